/**
 * KPI 30: what needs a look now; value = how many alerts. Thresholds are settings (lib/kpi/settings.ts).
 *  - revenue (high): the newest complete sale month (lib/kpi/complete-months: the stores that usually
 *    report it have, judged at the ledger's as-of date) earned more than $100 less than the complete
 *    month before it. Months still being reported are never compared (the original compared a month
 *    holding only its early stores and raised a false drop).
 *  - streams (warning): the average of the 7 calendar days up to the newest complete date (distributors
 *    still reporting, summed per date: lib/kpi/complete-days) is more than 20 % below the average of the
 *    7 days before, over the same distributors.
 *  - stale:<source> (warning): a source's newest business date is more than 7 days old (the ledger: its
 *    newest sale month ended more than 75 days ago).
 *  - session:<source>:<account>: a login session is expiring (warning) or expired (high), when the
 *    environment provides session statuses.
 * Alerts ignore the window: each looks at its source's newest data.
 */
import { defineKpi } from '../../lib/define.ts'
import { addMonths, round } from '../../lib/kpi/stats.ts'
import { dayBasis, includedTotal } from '../../lib/kpi/complete-days.ts'
import { ledgerBasis } from '../../lib/kpi/complete-months.ts'
import { ledgerByMonth, money, sourceNewestDates } from '../../lib/kpi/queries.ts'
import { kpiSettings } from '../../lib/kpi/settings.ts'
import { addDays, daysBetween } from '../../lib/kpi/window.ts'

interface Alert {
  key: string
  value: number | null
  level: 'high' | 'warning' | 'info'
  message: string
  [k: string]: unknown
}

const usd = (v: number) => `$${v.toFixed(2)}`

export default defineKpi({
  name: 'alerts',
  title: 'Alerts',
  unit: 'count',
  description: 'revenue drop month over month, 7-day streams drop, stale sources, sessions expiring',
  usesSessions: true,
  sources: ['distrokid', 'toolost', 'spotify', 'tiktok', 'instagram', 'metaads', 'linktree', 'youtube', 'mailchimp'],
  async range(env) {
    const dates = (await sourceNewestDates(env)).map((s) => s.newest).sort()
    return { min: dates[0] ?? null, max: dates.at(-1) ?? null }
  },
  async compute(env) {
    const { alerts: limits, payment } = kpiSettings()
    const alerts: Alert[] = []
    const newest = await sourceNewestDates(env)

    const ledgerTo = newest.find((s) => s.source === 'ledger')?.newest.slice(0, 7)
    if (ledgerTo) {
      const months = await ledgerByMonth(env, addMonths(ledgerTo, -12), ledgerTo)
      const basis = await ledgerBasis(env, payment)
      const due = months.filter((m) => basis.state(m.month).complete)
      const last = due.at(-1)
      const before = last && due.find((m) => m.month === addMonths(last.month, -1))
      if (last && before) {
        const drop = money(before.e8).value - money(last.e8).value
        if (drop > limits.revenueDropUsd) {
          alerts.push({
            key: 'revenue',
            value: round(drop, 2),
            level: 'high',
            message: `Revenue for ${last.month} was ${usd(money(last.e8).value)}, ${usd(drop)} below ${before.month} (${usd(money(before.e8).value)})`,
            month: last.month,
            previousMonth: before.month,
          })
        }
      }
    }

    const streamsTo = newest
      .filter((s) => s.source === 'distrokid' || s.source === 'toolost')
      .map((s) => s.newest)
      .sort()
      .at(-1)
    if (streamsTo) {
      const basis = await dayBasis(env, streamsTo)
      const end = basis.through ?? streamsTo
      const last = await includedTotal(env, { from: addDays(end, -6), to: end }, basis)
      const before = await includedTotal(env, { from: addDays(end, -13), to: addDays(end, -7) }, basis)
      if (last !== null && before !== null && before > 0) {
        const dropPct = ((before - last) / before) * 100
        if (dropPct > limits.streamsDropPct) {
          alerts.push({
            key: 'streams',
            value: round(dropPct, 1),
            level: 'warning',
            message: `Streams averaged ${Math.round(last / 7)} a day in the 7 days to ${end}, ${dropPct.toFixed(1)}% below the 7 days before (${Math.round(before / 7)})`,
            average: last / 7,
            previousAverage: before / 7,
            through: end,
          })
        }
      }
    }

    for (const s of newest) {
      const age = daysBetween(s.newest, env.today)
      const limit = s.kind === 'monthly' ? limits.ledgerStaleDays : limits.staleDays
      if (age > limit) {
        alerts.push({
          key: `stale:${s.source}`,
          value: age,
          level: 'warning',
          message: `${s.source}: newest data is from ${s.newest}, ${age} days ago`,
          source: s.source,
          newest: s.newest,
        })
      }
    }

    for (const s of (await env.sessions?.()) ?? []) {
      if (s.status !== 'expiring' && s.status !== 'expired') continue
      const who = s.account === 'default' ? s.source : `${s.source} (${s.account})`
      const when = s.status === 'expired' ? 'has expired' : `expires in ${s.daysLeft} day${s.daysLeft === 1 ? '' : 's'}`
      alerts.push({
        key: `session:${s.source}:${s.account}`,
        value: s.daysLeft,
        level: s.status === 'expired' ? 'high' : 'warning',
        message: `${who} session ${when}: run \`${s.command}\``,
        source: s.source,
        account: s.account,
        status: s.status,
      })
    }

    return { value: alerts.length, breakdown: alerts }
  },
})
