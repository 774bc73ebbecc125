/**
 * The two S4A artists, their stored-session accounts and Spotify ids (the original system's defaults),
 * and how a landed file's name tells which artist it holds. Names go through canonicalArtist with a
 * known alias, so no artist ever reaches the warehouse under a spelling the alias table lacks.
 */
import { canonicalArtist } from '../../lib/names.ts'

export interface SpotifyArtist {
  /** Stored-session account name (SESSION_POLICIES.spotify.accounts). */
  account: string
  /** Spotify artist id: S4A paths and the Web API use it. */
  id: string
  /** Canonical warehouse name. */
  name: string
}

export const ARTISTS: readonly SpotifyArtist[] = [
  { account: 'ZONE A0', id: '62owJQCD2XzVB2o19CVsFM', name: canonicalArtist('zone_a0') },
  { account: 'PIG1987', id: '1Eu67EqPy2NutiM0lqCarw', name: canonicalArtist('pig1987') },
]

export const ACCOUNTS = ARTISTS.map((a) => a.account)

/** Spotify ids are 22 base-62 characters. */
const ID = /(?:^|[^0-9A-Za-z])([0-9A-Za-z]{22})(?![0-9A-Za-z])/g

/**
 * The artist a file name points at: an artist id anywhere in it (how extracts and S4A downloads are
 * named), else an alias word such as `zone_a0`. The original mapped unrecognised names to ZONE A0;
 * here they are refused instead, so nothing lands under the wrong artist.
 */
export function artistFromName(fileName: string): SpotifyArtist | null {
  for (const m of fileName.matchAll(ID)) {
    const hit = ARTISTS.find((a) => a.id === m[1])
    if (hit) return hit
  }
  const words = fileName.toLowerCase().replace(/\.[a-z]+$/, '')
  for (const a of ARTISTS) {
    const alias = a.name.toLowerCase()
    const spellings = [alias.replace(/ /g, '_'), alias.replace(/ /g, '.'), alias.replace(/ /g, '-'), alias.replace(/ /g, '')]
    if (spellings.some((s) => new RegExp(`(?:^|[^a-z0-9])${s.replace('.', '\\.')}(?![a-z0-9])`).test(words))) return a
  }
  return null
}

export function artistById(id: string): SpotifyArtist | null {
  return ARTISTS.find((a) => a.id === id) ?? null
}
