/**
 * A year of daily data for every source, written straight into the warehouse for the KPI and page
 * benches (the ledger comes from the real pipeline). Deterministic: the same seed, the same rows.
 */
import Database from 'better-sqlite3'
import { rng } from '../../functions/distrokid/fake-data.ts'

const DAY = 86_400_000

export function seedYear(file: string, lastDay: string): void {
  const db = new Database(file)
  const r = rng(99)
  const days = Array.from({ length: 365 }, (_, i) => new Date(Date.parse(`${lastDay}T00:00:00Z`) - (364 - i) * DAY).toISOString().slice(0, 10))
  const at = new Date().toISOString()
  const n = (scale: number) => Math.floor(scale * (0.5 + r()))
  const tx = db.transaction(() => {
    const streams = db.prepare('INSERT OR REPLACE INTO streams_daily VALUES (?, ?, ?, ?, ?, ?)')
    const audience = db.prepare('INSERT OR REPLACE INTO spotify_audience_daily VALUES (?, ?, ?, ?, ?, ?, ?)')
    const social = db.prepare(
      'INSERT OR REPLACE INTO social_daily (date, platform, account, artist, views, profile_views, likes, comments, shares, followers, reach, extracted_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
    )
    const ads = db.prepare('INSERT OR REPLACE INTO ad_insights_daily VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    const link = db.prepare('INSERT OR REPLACE INTO link_daily VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    const yt = db.prepare('INSERT OR REPLACE INTO youtube_daily VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    const email = db.prepare('INSERT OR REPLACE INTO email_daily VALUES (?, ?, ?, ?, ?, ?, ?)')
    const campaigns = [
      ['120218209525770075', 'ZONE A0 ANOVUS STREAMING CAMPAIGN', 'ZONE A0'],
      ['120214961689440075', 'PIG1987 - DYSMORPHIA - Streaming', 'PIG1987'],
    ]
    const camp = db.prepare('INSERT OR REPLACE INTO ad_campaigns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    for (const [id, name, artist] of campaigns) camp.run(id, name, 'ACTIVE', 'OUTCOME_ENGAGEMENT', artist, null, null, at, 'bench')
    let followers = [5000, 3000]
    days.forEach((d, i) => {
      for (const [dist, scale] of [
        ['distrokid', 3000],
        ['toolost', 900],
      ] as const) {
        streams.run(d, dist, 'spotify', n(scale), at, 'bench')
        streams.run(d, dist, 'apple', n(scale / 20), at, 'bench')
      }
      ;(['ZONE A0', 'PIG1987'] as const).forEach((artist, k) => {
        followers[k] += Math.floor(r() * 12)
        audience.run(d, artist, n(1500), n(2000), followers[k], at, 'bench')
        social.run(d, 'tiktok', artist === 'ZONE A0' ? 'zone.a0' : 'pig1987', artist, n(12000), n(120), n(1500), n(150), n(90), null, null, at)
      })
      social.run(d, 'instagram', 'bedrot', null, n(800), null, n(60), n(5), n(3), 1200 + i, n(700), at)
      for (const [id] of campaigns) ads.run(d, id, '', n(1500), n(4000), n(40), n(3000), at, 'bench')
      link.run(d, 'bedrot', n(12), n(8), n(7), n(3), at, 'bench')
      yt.run(d, 'bedrot', n(300), n(900), n(3), n(1), at, 'bench')
      email.run(d, 'main', 800 + i, n(3), n(1), at, 'bench')
    })
    followers = []
  })
  tx()
  db.close()
}
