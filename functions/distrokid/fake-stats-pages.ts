/**
 * @module The fake DistroKid's stats pages. Shapes, key order and whitespace copy the real saved pages
 * (shared fixtures README §2): scrapers find the data with regexes, so details matter. Track names and
 * demographic splits are invented.
 */
import type { DailyPoint } from './fake.ts'
import { total, lastN, thousands, mondayOf, bucket, mysqlWeek, layout } from './fake-layout.ts'

/** One amCharts 3 config exactly as the real streams page writes it (points all on one line). */
function amChart(id: string, minPeriod: string, points: { category: string; value: number }[]) {
  const line = points.map((p) => `{"category": "${p.category}","column-1": ${p.value}}`).join(',')
  return `<div id="${id}" class="chartStyle" style="overflow: hidden; text-align: left;"></div>
<!-- amCharts javascript code -->
<script type="text/javascript">
$( document ).ready( function(){
var ${id} = AmCharts.makeChart("${id}",
{
"panEventsEnabled":false,
"type": "serial",
"pathToImages": "/js/amcharts/images/",
"categoryField": "category",
"dataDateFormat": "YYYY-MM-DD",
"startDuration": 0.25,
"backgroundColor": "#f6f6f6",
"categoryAxis": {
"gridPosition": "start",
"parseDates": true,
"minPeriod": "${minPeriod}"
},
"chartCursor": {},
"chartScrollbar": {
"graph": "${id}",
"graphType": "smoothedLine"
},
"trendLines": [],
"graphs": [
{
"fillAlphas": 1,
"id": "${id}",
"title": "${id}",
"type": "column",
"valueField": "column-1"
}
],
"guides": [],
"valueAxes": [
{
"id": "ValueAxis-1",
"title": "Streams",
"min": 0
}
],
"allLabels": [],
"balloon": {},
"dataProvider": [
${line}
]
}
);
// var panelsSettings = new AmCharts.PanelsSettings();
${id}.addListener("clickGraphItem", graphClick);
});
</script>`
}

/** The `?data=streams` page ("SPOTIFY ESTIMATES"); all four charts derive from the daily series. */
export function streamsPage(daily: DailyPoint[]): string {
  const days = (ps: DailyPoint[]) => ps.map((p) => ({ category: p.date, value: p.streams }))
  const weeks = bucket(daily, mondayOf).map((b) => ({ category: b.first, value: b.value }))
  const months = bucket(daily, (d) => d.slice(0, 7))
  const monthly = months.map((b) => ({ category: `${b.first.slice(0, 7)}-01`, value: b.value }))
  // Real quirks: trend60day holds 59 points, and 'Last 7 days' sums only the last 5 daily points.
  const sixty = daily.slice(Math.max(0, daily.length - 59))
  const row = (label: string, n: number) => `<tr class="tableRow">
<td class="tableCell" style="width:400px;">
${label}
</td>
<td class="tableCell">
${thousands(n)}
</td>
</tr>`
  return layout(
    'Stats | DistroKid',
    `<div style="margin:2px;">
<table cellpadding="0" cellspacing="0" width="100%">
<tbody><tr class="tableRow">
<td class="tableHeader" colspan="2">
SPOTIFY ESTIMATES (<a target="_blank" href="https://distrokid.zendesk.com/">why estimates?</a>)
</td>
</tr>
${row('Last 365 days', total(daily))}
${row('Last 60 days', total(sixty))}
${row('Last 7 days', lastN(daily, 5))}
</tbody></table>
</div>
<div class="col-6">
<div class="tableHeader">
Weekly
</div>
${amChart('trendWeekly', 'WW', weeks)}
</div>
<div class="col-6">
<div class="tableHeader">
Monthly
</div>
${amChart('trendMonthly', 'MM', monthly)}
</div>
<div class="chartFullPageWidth">
<div class="tableHeader">
Daily
</div>
${amChart('trend60day', 'DD', days(sixty))}
</div>
<div class="col-12">
<div class="tableHeader">
Last 365 Days
</div>
${amChart('trend365day', 'DD', days(daily))}
</div>`,
    true,
  )
}

type Field = { field: string; id?: number; value: number }

/** Serial (line/column/list) block, keys in the real order. */
function serial(dp: Field[], sum: number, type: string, dates: boolean, parseDates = false) {
  return {
    isEmpty: dp.length ? 0 : 1,
    categoryField: 'field',
    dataProvider: dp,
    trendLines: [],
    ...(dates ? { dataDateFormat: 'YYYY-MM-DD' } : {}),
    valueAxes: [{ id: 'ValueAxis-1', title: 'streams' }],
    chartScrollbar: { enabled: true },
    allLabels: [],
    guides: [],
    graphs: [
      {
        valueField: 'value',
        lineThickness: 2,
        fillAlphas: 0.7,
        id: 'AmGraph-1',
        type,
        title: 'graph 1',
      },
    ],
    balloon: {},
    rotate: false,
    total: sum,
    type: 'serial',
    chartCursor: { enabled: true },
    startDuration: 0,
    categoryAxis: {
      gridPosition: 'start',
      autoRotateAngle: dates ? 30 : 0,
      autoRotateCount: 0,
      ...(parseDates ? { parseDates } : {}),
    },
  }
}

/** Pie block, keys in the real order. */
function pie(dp: Field[], sum: number) {
  return {
    legend: { position: 'right', markerType: 'circle', enabled: false, align: 'center' },
    isEmpty: dp.length ? 0 : 1,
    dataProvider: dp,
    valueField: 'value',
    allLabels: [],
    balloonText: "[[title]]<br><span style='font-size:14px'><b>[[value]]</b> ([[percents]]%)</span>",
    balloon: {},
    titleField: 'field',
    total: sum,
    type: 'pie',
    titles: [],
    startDuration: 0,
  }
}

// [block, share of the daily total, chart type, 'field:weight,…']. On the real page these blocks
// do not reconcile with the daily total (only tracks/albums come close), so most are smaller.
const BREAKDOWNS: [string, number, 'pie' | 'column', string][] = [
  ['tracks1year', 1, 'pie', 'TRACK ONE:45,TRACK TWO:30,TRACK THREE:15,TRACK FOUR:10'],
  ['devices1year', 0.78, 'pie', 'Mobile:95,Desktop:4,Other:1'],
  ['gender1year', 0.004, 'pie', 'Male:1'],
  ['age1year', 0.004, 'column', '18-24:66,25-34:34,35-44:0'],
  ['listening1year', 0.63, 'pie', 'Complete:96,Skip:2,Manually Changed:2'],
  ['sources1year', 0.72, 'pie', 'Library:90,Search:7,Discovery:3'],
  ['offline1year', 0.83, 'pie', 'Online:99,Offline:1'],
  ['types1year', 0.6, 'pie', 'Playlist:45,Single Track:32,Album:23'],
  ['country1year', 0.6, 'column', 'US:200,RU:9,UA:8,CA:7,GB:6,MX:5,FR:4,JP:3,DE:2,BR:1'],
  ['albums1year', 1, 'pie', 'ALBUM ONE:60,SINGLE TWO:40'],
]
const BLOCK_ORDER = ['byMonth', 'tracks1year', 'playlists1year', 'last365days', 'devices1year']
  .concat(['gender1year', 'age1year', 'listening1year', 'sources1year', 'byWeek', 'offline1year'])
  .concat(['types1year', 'country1year', 'albums1year'])

/** Splits `n` by integer weights (remainder to the first part) so the blocks are deterministic. */
function split(n: number, spec: string, withId: boolean): Field[] {
  if (n <= 0) return []
  const parts = spec.split(',').map((s) => s.split(':'))
  const weight = parts.reduce((a, [, w]) => a + Number(w), 0)
  const out = parts.map(([field, w], id) => ({
    field,
    ...(withId ? { id } : {}),
    value: Math.floor((n * Number(w)) / weight),
  }))
  out[0].value += n - out.reduce((a, p) => a + p.value, 0)
  return out
}

/** The `var chartData` object of the `?data=applemusic` page: 14 blocks in the real order. */
export function appleChartData(daily: DailyPoint[]): Record<string, unknown> {
  const sum = total(daily)
  const label = {
    month: (d: string) => `${d.slice(5, 7)}-${d.slice(2, 4)}`,
    week: (d: string) => `${mysqlWeek(d)}/${d.slice(2, 4)}`,
  }
  const byMonth = bucket(daily, (d) => d.slice(0, 7)).map((b) => ({
    field: label.month(b.first),
    value: b.value,
  }))
  const byWeek = bucket(daily, mondayOf).map((b) => ({
    field: label.week(b.first),
    value: b.value,
  }))
  const blocks: Record<string, unknown> = {
    byMonth: serial(byMonth, sum, 'line', true),
    playlists1year: serial([], 0, 'list', false),
    last365days: serial(
      daily.map((p) => ({ field: p.date, value: p.streams })),
      sum,
      'line',
      true,
      true,
    ),
    byWeek: serial(byWeek, sum, 'line', true),
  }
  for (const [name, share, type, spec] of BREAKDOWNS) {
    const n = Math.round(sum * share)
    // Countries carry no id on the real page; the other breakdowns do.
    const dp = split(n, spec, name !== 'country1year')
    blocks[name] = type === 'pie' ? pie(dp, n) : serial(dp, n, type, false)
  }
  return Object.fromEntries(BLOCK_ORDER.map((k) => [k, blocks[k]]))
}

/** The `?data=applemusic` page. The JSON sits on one line and `;` ends it before a newline. */
export function applePage(daily: DailyPoint[]): string {
  const actions = ['last365days', 'byWeek', 'byMonth', 'age1year', 'country1year', 'devices1year']
    .map((src) => `{"endpoint":"totals","axis":"streams","value":"quantity","src":"${src}"}`)
    .join(',')
  // Real quirks: 'Last 60/30/7 days' sum the last 59/29/6 points.
  const row = (id: string, n: number) => `<tr class="tableRow lessPadding">
<td class="tableCell" style="width:400px;">
Last ${id} days
</td>
<td class="tableCell"><div style="text-align:right" id="last${id}">${thousands(n)}</div></td>
</tr>`
  return layout(
    'Stats | DistroKid',
    `<script>
var chartData = ${JSON.stringify(appleChartData(daily))};
var aActions = [${actions}];
var appleTrackName = '';
</script>
<script type="text/javascript" src="/js/amcharts/amcharts.js"></script>
<table cellpadding="0" cellspacing="0" width="100%;" border="0">
<tbody><tr class="tableRow">
<td class="tableHeader" colspan="2">
APPLE MUSIC ESTIMATES
</td>
</tr>
${row('365', total(daily))}
${row('60', lastN(daily, 59))}
${row('30', lastN(daily, 29))}
${row('7', lastN(daily, 6))}
</tbody></table>
<div id="chartdiv_1" class="chartStyle"></div>`,
    true,
  )
}
