/**
 * @module Canonical names: artists upper case through one alias table, stores mapped to platforms.
 * Unknown stores stay "other" — the original counted them as Spotify.
 */

export type Platform = 'spotify' | 'apple' | 'youtube' | 'amazon' | 'tiktok' | 'other'

const STORE_PLATFORM: Record<string, Platform> = {
  spotify: 'spotify',
  'apple music': 'apple',
  'itunes songs': 'apple',
  'itunes match': 'apple',
  'itunes albums': 'apple',
  itunes: 'apple',
  'youtube (red)': 'youtube',
  'youtube (ads)': 'youtube',
  'youtube (audio)': 'youtube',
  'youtube music': 'youtube',
  'amazon unlimited (streaming)': 'amazon',
  'amazon prime (streaming)': 'amazon',
  'amazon music': 'amazon',
  tiktok: 'tiktok',
}

export function storePlatform(store: string): Platform {
  return STORE_PLATFORM[store.trim().toLowerCase()] ?? 'other'
}

/** Stores whose units are streams (for revenue per stream); downloads and ad views are not. */
export function isStreamingStore(store: string): boolean {
  return !/itunes songs|itunes albums|youtube \(ads\)|facebook|tiktok/i.test(store)
}

const ARTIST_ALIASES: Record<string, string> = {
  'zone a0': 'ZONE A0',
  zone_a0: 'ZONE A0',
  'zone.a0': 'ZONE A0',
  zonea0: 'ZONE A0',
  'zone-a0': 'ZONE A0',
  pig1987: 'PIG1987',
  'pig 1987': 'PIG1987',
  pig_1987: 'PIG1987',
}

/** Canonical artist name; unknown artists are kept, upper-cased and trimmed. */
export function canonicalArtist(name: string): string {
  const key = name.trim().toLowerCase()
  return ARTIST_ALIASES[key] ?? name.trim().toUpperCase()
}
