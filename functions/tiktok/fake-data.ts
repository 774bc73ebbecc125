/**
 * @module The fake Studio's numbers and its export file: a seeded daily series per account, recent days
 * "not final" (they drift between downloads, as TikTok restates them), and the Overview ZIP exactly as
 * the real one is built (fixtures/real/README.md §4): one stored `Overview.csv`, UTF-8 with a BOM, every
 * field quoted, LF, no final newline, year-less dates, no follower column.
 */
import { strToU8, zipSync } from 'fflate'
import { addDays } from './overview.ts'

export interface FakeDay {
  date: string
  views: number
  profileViews: number
  likes: number
  comments: number
  shares: number
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

function rng(seed: number) {
  let s = seed >>> 0 || 1
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function hash(text: string): number {
  let h = 2166136261
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0
  // Avalanche (murmur3's finaliser): keys differing in their last character must not give near-equal values.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** A day's numbers: seeded by account and date, so every download agrees on final days. */
export function fakeDay(account: string, date: string, scale: number, revision = 0): FakeDay {
  const r = rng(hash(`${account}|${date}|${revision}`))
  // A weekly rhythm and the odd viral day, like the real account's 9 → 349,108 range.
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
  const viral = r() < 0.03 ? 8 + r() * 20 : 1
  const views = Math.floor(scale * (0.4 + r()) * (weekday === 0 || weekday === 6 ? 1.3 : 1) * viral)
  const likes = Math.floor(views * (0.06 + r() * 0.08))
  return {
    date,
    views,
    profileViews: Math.floor(views * (0.005 + r() * 0.01)),
    likes,
    comments: Math.floor(likes * (0.05 + r() * 0.1)),
    shares: Math.floor(likes * (0.03 + r() * 0.06)),
  }
}

export function dateLabel(date: string): string {
  return `${MONTHS[Number(date.slice(5, 7)) - 1]} ${Number(date.slice(8, 10))}`
}

/** `days` days ending today; the last `unfinal` days are provisional and change with each `revision`. */
export function exportWindow(account: string, today: string, days: number, scale: number, revision: number, unfinal = 2): FakeDay[] {
  const out: FakeDay[] = []
  for (let i = days - 1; i >= 0; i--) {
    const date = addDays(today, -i)
    out.push(fakeDay(account, date, scale, i < unfinal ? revision : 0))
  }
  return out
}

export function overviewCsv(days: FakeDay[]): string {
  const q = (v: string | number) => `"${v}"`
  const lines = [['Date', 'Video Views', 'Profile Views', 'Likes', 'Comments', 'Shares'].map(q).join(',')]
  for (const d of days) lines.push([dateLabel(d.date), d.views, d.profileViews, d.likes, d.comments, d.shares].map(q).join(','))
  return `\uFEFF${lines.join('\n')}`
}

/** The export ZIP: one member, stored (level 0) like TikTok's. */
export function overviewZip(days: FakeDay[], memberTime = new Date()): Uint8Array {
  return zipSync({ 'Overview.csv': [strToU8(overviewCsv(days)), { level: 0, mtime: memberTime }] })
}
