/**
 * @module The page's artist / track filter (`?artist=ZONE%20A0`, `?track=<ISRC>`), applied to every KPI
 * without touching the KPI's own query: a Kysely plugin swaps each filterable table in a FROM or JOIN
 * for the same table narrowed to the artist or track. So KPIs that exist today and KPIs added later get
 * the filter the same way, and a KPI never half-applies it: one that also reads a table without that
 * dimension (distributor streams have no artist) is answered unfiltered and says `filter: 'not
 * applicable'`, never mixes filtered actuals with label-wide expectations.
 */
import {
  AliasNode,
  FromNode,
  IdentifierNode,
  type JoinNode,
  type Kysely,
  type KyselyPlugin,
  type OperationNode,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  sql,
  TableNode,
} from 'kysely'
import type { DB } from '../warehouse/schema.ts'
import { campaignArtists } from './campaigns.ts'
import type { KpiEnv } from './define.ts'

export type Dimension = 'artist' | 'track'
export interface KpiFilter {
  artist?: string
  track?: string
}
/** What a filtered envelope says about the filter. */
export type FilterState = 'applied' | 'not applicable'

/** The filter a KPI query asks for; undefined when it asks for none. */
export function filterOf(q: { artist?: string; track?: string }): KpiFilter | undefined {
  const f: KpiFilter = {}
  if (q.artist) f.artist = q.artist
  if (q.track) f.track = q.track
  return f.artist || f.track ? f : undefined
}

/** KPIs measured against label-wide targets or thresholds: a per-artist reading would mislead. */
export const LABEL_WIDE = new Set(['goals', 'alerts'])

// Tables that only name things (no facts): reading them does not make a KPI unfilterable.
const NEUTRAL = new Set(['artists', 'artist_aliases', 'runs', 'steps', 'source_state', 'quarantine'])

type Narrow = (f: KpiFilter, campaigns: readonly string[]) => ReturnType<typeof sql> | null
const inList = (ids: readonly string[]) => (ids.length ? sql.join(ids.map((i) => sql`${i}`)) : sql`NULL`)
// Per table: the dimensions it carries and the narrowed rows; null → the table lacks a dimension asked for.
const TABLES: Record<string, Narrow> = {
  revenue_lines: (f) =>
    sql`(select * from revenue_lines where ${f.artist ? sql`artist = ${f.artist}` : sql`1 = 1`} and ${f.track ? sql`isrc = ${f.track}` : sql`1 = 1`})`,
  spotify_track_daily: (f) =>
    sql`(select * from spotify_track_daily where ${f.artist ? sql`artist = ${f.artist}` : sql`1 = 1`} and ${f.track ? sql`isrc = ${f.track}` : sql`1 = 1`})`,
  spotify_audience_daily: (f) => (f.track ? null : sql`(select * from spotify_audience_daily where artist = ${f.artist})`),
  // TikTok / Instagram accounts carry the artist they belong to (null: the label's own account).
  social_daily: (f) => (f.track ? null : sql`(select * from social_daily where artist = ${f.artist})`),
  // Meta has no artist field: a campaign belongs to the artist its name names (lib/kpi/campaigns.ts).
  ad_insights_daily: (f, ids) => (f.track ? null : sql`(select * from ad_insights_daily where campaign_id in (${inList(ids)}))`),
  ad_campaigns: (f, ids) => (f.track ? null : sql`(select * from ad_campaigns where campaign_id in (${inList(ids)}))`),
  ad_snapshots: (f, ids) => (f.track ? null : sql`(select * from ad_snapshots where campaign_id in (${inList(ids)}))`),
}

class Narrower extends OperationNodeTransformer {
  /** Every fact table a query read, and whether each could be narrowed. */
  readonly seen = new Map<string, boolean>()
  constructor(
    private readonly filter: KpiFilter,
    private readonly campaigns: readonly string[],
  ) {
    super()
  }
  private swap(node: OperationNode): OperationNode {
    const table = TableNode.is(node) ? node : AliasNode.is(node) && TableNode.is(node.node) ? node.node : null
    if (!table) return this.transformNode(node)
    const name = table.table.identifier.name
    if (NEUTRAL.has(name)) return node
    const narrow = TABLES[name]?.(this.filter, this.campaigns) ?? null
    this.seen.set(name, (this.seen.get(name) ?? true) && narrow !== null)
    if (!narrow) return node
    const alias = AliasNode.is(node) ? node.alias : IdentifierNode.create(name)
    return AliasNode.create(narrow.toOperationNode(), alias)
  }
  protected override transformFrom(node: FromNode): FromNode {
    return FromNode.create(node.froms.map((f) => this.swap(f)))
  }
  protected override transformJoin(node: JoinNode): JoinNode {
    const table = this.swap(node.table)
    return Object.freeze({ ...node, table, on: node.on && this.transformNode(node.on) }) as JoinNode
  }
}

class FilterPlugin implements KyselyPlugin {
  constructor(private readonly narrower: Narrower) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.narrower.transformNode(args.node)
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

/**
 * An env whose warehouse reads only the filter's artist / track, and `state()` afterwards: 'applied'
 * when every fact table the KPI read carries the filter's dimensions, else 'not applicable'.
 */
export async function filteredEnv(env: KpiEnv, filter: KpiFilter) {
  const campaigns = filter.artist ? [...(await campaignArtists(env)).entries()].filter(([, c]) => c.artist === filter.artist).map(([id]) => id) : []
  const narrower = new Narrower(filter, campaigns)
  const db: Kysely<DB> = env.db.withPlugin(new FilterPlugin(narrower))
  const state = (): FilterState => ([...narrower.seen.values()].every(Boolean) && narrower.seen.size > 0 ? 'applied' : 'not applicable')
  return { env: { ...env, db }, state }
}

/** The note a KPI adds when it cannot be narrowed to the filter. */
export function notApplicableNote(filter: KpiFilter): string {
  const what = [filter.artist && `artist ${filter.artist}`, filter.track && `track ${filter.track}`].filter(Boolean).join(' and ')
  return `shown for the whole label: this KPI has no breakdown by ${what}`
}
