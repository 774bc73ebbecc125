/**
 * landing → raw → staging for TikTok:
 *   overview   one Studio export ZIP → staging `daily` {account, date, views, profile_views, likes,
 *              comments, shares, downloaded_at}; raw keeps each CSV record as received.
 *   followers  one insight JSON → staging `followers` {account, date, followers, captured_at}: a level
 *              on the day it was read, never a daily value.
 * Anything that does not fit is refused whole and stays in landing.
 */
import { readFile } from 'node:fs/promises'
import { RefusedFile } from '../../lib/errors.ts'
import type { LakeFile } from '../../lib/lake/lake.ts'
import type { PromoteSink } from '../../lib/lake/promote.ts'
import { accountOfFollowersFile, FollowerInsight, InsightEnvelope, STATUS_LOGIN_EXPIRED } from './insight.ts'
import { csvOfZip, parseOverviewCsv, parseOverviewName } from './overview.ts'

export interface DailyRow {
  account: string
  date: string
  views: number
  profile_views: number
  likes: number
  comments: number
  shares: number
  downloaded_at: string
}

export interface FollowersRow {
  account: string
  date: string
  followers: number
  captured_at: string
}

export async function promoteOverview(file: LakeFile, sink: PromoteSink): Promise<void> {
  const name = parseOverviewName(file.name)
  if (!name) throw new RefusedFile(`not named like a Studio export (Overview_<window start>_<epoch>_<account>.zip): ${file.name}; the account cannot be told`)
  const csv = csvOfZip(new Uint8Array(await readFile(file.path)))
  const { records, days } = parseOverviewCsv(csv, name.windowStart, name.downloadedAt)
  for (const [i, r] of records.entries()) await sink.raw({ account: name.account, row: i + 1, ...r })
  for (const d of days) await sink.staging('daily', { account: name.account, ...d, downloaded_at: name.downloadedAt } satisfies DailyRow)
}

export async function promoteFollowers(file: LakeFile, sink: PromoteSink): Promise<void> {
  const account = accountOfFollowersFile(file.name)
  if (!account) throw new RefusedFile(`cannot tell the account from ${file.name} (tiktok_followers_<account>.json)`)
  let doc: unknown
  try {
    doc = JSON.parse(await readFile(file.path, 'utf8'))
  } catch (err) {
    throw new RefusedFile(`not valid JSON: ${(err as Error).message}`)
  }
  const env = InsightEnvelope.safeParse(doc)
  if (!env.success) throw new RefusedFile('not a TikTok insight answer (no status_code)')
  if (env.data.status_code === STATUS_LOGIN_EXPIRED) throw new RefusedFile(`TikTok's expired-login answer (status_code 8), not data`)
  const parsed = FollowerInsight.safeParse(doc)
  if (!parsed.success) throw new RefusedFile(`no follower_num in the insight answer (status_code ${env.data.status_code})`)
  const capturedAt = sink.lineage._extracted_at
  await sink.raw({ account, status_code: parsed.data.status_code, follower_num: parsed.data.follower_num })
  await sink.staging('followers', {
    account,
    date: capturedAt.slice(0, 10),
    followers: parsed.data.follower_num.value,
    captured_at: capturedAt,
  } satisfies FollowersRow)
}
