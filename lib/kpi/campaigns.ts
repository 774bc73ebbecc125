/**
 * @module The campaign-name rule: which artist a Meta campaign promotes, read from its name (Meta has no
 * artist field). It ports the original parser (seed_ops §1.8) and fixes its IWARY mistake.
 *
 * The mistake: the original checked known *tracks* before known artists and gave every track-led name
 * the implied artist ZONE A0. IWARY is both an artist name and a track, and the track IWARY is PIG1987's
 * (seed track_artists), so `IWARY - BROAD` was booked to ZONE A0 — as was every other PIG1987 track
 * named first (THE STATE OF THE WORLD, RENEGADE PIPELINE, TRANSFORMER ARCHITECTURE).
 *
 * The rule, in order (names are trimmed, upper-cased, runs of spaces collapsed):
 *  1. Contains `NEW ENGAGEMENT` → no artist, no track, targeting ENGAGEMENT.
 *  2. A trailing ` - Copy` or ` - Copy N` (Meta's duplicate suffix) is dropped.
 *  3. Split on ` - `.
 *  4. First part is a catalogue track → track = it, artist = **that track's owner** from TRACK_OWNERS
 *     (never a default), targeting = the rest. A name that is both a track and an artist (IWARY) is the
 *     track: campaigns are named `<TRACK> - <targeting>` far more than `<ARTIST> - <targeting>`.
 *  5. First part is an artist (alias table, e.g. `zone_a0`) → artist = it; with 3+ parts track = part 2
 *     and targeting = the rest; with 2 parts part 2 is the track if it is a catalogue track, else the
 *     targeting (the original made the artist its own track).
 *  6. No separator but the name starts with an artist as a whole word (`ZONE A0 ANOVUS STREAMING
 *     CAMPAIGN`) → artist = it, targeting = the rest.
 *  7. 3+ parts otherwise → the `ARTIST - TRACK - TARGETING` convention: artist = part 1 (upper case).
 *  8. 2 parts otherwise → track = part 1, targeting = part 2, artist unknown: the spend stays
 *     unattributed rather than guessed.
 *  9. 1 part otherwise → targeting = it.
 * Below the rule: the Meta queries that apply it (spend per campaign, day and artist).
 */
import { sql } from 'kysely'
import { canonicalArtist } from '../names.ts'
import type { KpiEnv } from './define.ts'
import type { Window } from './window.ts'

export const KNOWN_ARTISTS: readonly string[] = ['PIG1987', 'ZONE A0', 'XXMEATWARRIOR69XX', 'IWARY', 'ZONE A0 X SXNCTUARY']

/** Track → primary artist: the seed's track_artists plus the titles the DistroKid ledger reports per artist. */
export const TRACK_OWNERS: Readonly<Record<string, string>> = {
  // seed track_artists (seed_ops §1.3)
  'THE STATE OF THE WORLD': 'PIG1987',
  'THE SOURCE': 'ZONE A0',
  'RENEGADE PIPELINE': 'PIG1987',
  'THE SCALE': 'ZONE A0',
  IWARY: 'PIG1987',
  'TRANSFORMER ARCHITECTURE': 'PIG1987',
  // the ledger's Artist for each Title
  'AI GENERATED GHOST JOBS': 'PIG1987',
  DYSMORPHIA: 'PIG1987',
  KEYGEN: 'PIG1987',
  PERVERSION: 'PIG1987',
  'HEAVEN NIGHTCLUB': 'PIG1987',
  GATEWAY: 'ZONE A0',
  'HOLD ON I': 'ZONE A0',
  'HOLD ON II': 'ZONE A0',
  LUNA: 'ZONE A0',
  PATHFINDER: 'ZONE A0',
  'THE FEW THAT REMAINED': 'ZONE A0',
  // Not in the ledger yet; Meta's own "ZONE A0 ANOVUS STREAMING CAMPAIGN" names its artist.
  ANOVUS: 'ZONE A0',
}

export interface ParsedCampaign {
  artist: string | null
  track: string | null
  targeting: string | null
}

const COPY_SUFFIX = /\s*-\s*COPY(?:\s+\d+)?\s*$/

function knownArtist(part: string): string | null {
  const artist = canonicalArtist(part)
  return KNOWN_ARTISTS.includes(artist) ? artist : null
}

export function parseCampaignName(name: string): ParsedCampaign {
  const upper = name.trim().toUpperCase().replace(/\s+/g, ' ')
  if (upper.includes('NEW ENGAGEMENT')) return { artist: null, track: null, targeting: 'ENGAGEMENT' }
  const parts = upper
    .replace(COPY_SUFFIX, '')
    .split(' - ')
    .map((p) => p.trim())
    .filter(Boolean)
  if (!parts.length) return { artist: null, track: null, targeting: null }
  const [first, ...rest] = parts
  const rested = rest.length ? rest.join(' - ') : null

  if (TRACK_OWNERS[first]) return { artist: TRACK_OWNERS[first], track: first, targeting: rested }

  const artist = knownArtist(first)
  if (artist) {
    if (rest.length >= 2) return { artist, track: rest[0], targeting: rest.slice(1).join(' - ') }
    if (rest.length === 1) return TRACK_OWNERS[rest[0]] ? { artist, track: rest[0], targeting: null } : { artist, track: null, targeting: rest[0] }
    return { artist, track: null, targeting: null }
  }

  if (parts.length === 1) {
    // Longest first, so `ZONE A0 X SXNCTUARY …` is the collaboration, not ZONE A0.
    const prefix = [...KNOWN_ARTISTS].sort((a, b) => b.length - a.length).find((a) => first.startsWith(`${a} `))
    if (prefix) return { artist: prefix, track: null, targeting: first.slice(prefix.length + 1) }
    return { artist: null, track: null, targeting: first }
  }
  if (parts.length >= 3) return { artist: canonicalArtist(first), track: rest[0], targeting: rest.slice(1).join(' - ') }
  return { artist: null, track: first, targeting: rested }
}

/** The artist a campaign is attributed to, or null (unattributed). */
export function campaignArtist(name: string): string | null {
  return parseCampaignName(name).artist
}

/**
 * Meta daily insights per (date, campaign) in a window. A campaign's day can hold a campaign-level row
 * (adset_id '') and ad-set rows for the same spend; the campaign-level row wins, ad sets are summed only
 * where it is absent, so the same money is never counted twice.
 */
export async function adInsightsDaily({ db }: KpiEnv, w: Window) {
  const rows = await db
    .selectFrom('ad_insights_daily as i')
    .select([
      'i.date',
      'i.campaign_id',
      sql<number>`sum(i.spend_cents)`.as('cents'),
      sql<number>`sum(i.impressions)`.as('impressions'),
      sql<number>`sum(i.clicks)`.as('clicks'),
      sql<number | null>`sum(i.reach)`.as('reach'),
    ])
    .where('i.date', '>=', w.from)
    .where('i.date', '<=', w.to)
    .where((eb) =>
      eb.or([
        eb('i.adset_id', '=', ''),
        eb.not(
          eb.exists(
            eb
              .selectFrom('ad_insights_daily as c')
              .select(sql`1`.as('one'))
              .whereRef('c.date', '=', 'i.date')
              .whereRef('c.campaign_id', '=', 'i.campaign_id')
              .where('c.adset_id', '=', ''),
          ),
        ),
      ]),
    )
    .groupBy(['i.date', 'i.campaign_id'])
    .orderBy('i.date')
    .execute()
  return rows.map((r) => ({
    date: r.date,
    campaignId: r.campaign_id,
    cents: Number(r.cents),
    impressions: Number(r.impressions),
    clicks: Number(r.clicks),
    reach: r.reach === null ? null : Number(r.reach),
  }))
}

/** Every campaign's name and the artist the campaign-name rule (lib/kpi/campaigns.ts) gives it. */
export async function campaignArtists({ db }: KpiEnv): Promise<Map<string, { name: string; artist: string | null }>> {
  const rows = await db.selectFrom('ad_campaigns').select(['campaign_id', 'name']).execute()
  const snapshotNames = await db
    .selectFrom('ad_snapshots')
    .select(['campaign_id', sql<string>`max(name)`.as('name')])
    .where('level', '=', 'campaign')
    .where('name', 'is not', null)
    .groupBy('campaign_id')
    .execute()
  const out = new Map<string, { name: string; artist: string | null }>()
  for (const r of [...snapshotNames, ...rows]) out.set(r.campaign_id, { name: r.name, artist: campaignArtist(r.name) })
  return out
}

/** Meta spend (cents) per artist and date in a window; campaigns the rule cannot attribute are keyed null. */
export async function spendByArtistDay(env: KpiEnv, w: Window) {
  const names = await campaignArtists(env)
  const out = new Map<string | null, Map<string, number>>()
  for (const r of await adInsightsDaily(env, w)) {
    const artist = names.get(r.campaignId)?.artist ?? null
    const days = out.get(artist) ?? new Map<string, number>()
    days.set(r.date, (days.get(r.date) ?? 0) + r.cents)
    out.set(artist, days)
  }
  return out
}
