/**
 * The S4A artists — the source's accounts (functions/spotify/source.ts, overridable by
 * BEDROT_SPOTIFY_ACCOUNTS) with their Spotify ids — and how a landed file's name tells which artist it
 * holds. Names go through canonicalArtist, so an artist reaches the warehouse under one spelling.
 */
import { canonicalArtist } from '../../lib/names.ts'
import type { Sources } from '../../lib/source.ts'

export interface SpotifyArtist {
  /** Stored-session account name (one of the source's accounts). */
  account: string
  /** Spotify artist id: S4A paths and the Web API use it. */
  id: string
  /** Canonical warehouse name. */
  name: string
}

/** The configured artists; an account without a Spotify id cannot be read and is left out. */
export function spotifyArtists(sources: Sources): SpotifyArtist[] {
  return (sources.get('spotify')?.accounts ?? []).filter((a) => a.id).map((a) => ({ account: a.name, id: a.id!, name: canonicalArtist(a.name) }))
}

/** Spotify ids are 22 base-62 characters. */
const ID = /(?:^|[^0-9A-Za-z])([0-9A-Za-z]{22})(?![0-9A-Za-z])/g

/**
 * The artist a file name points at: an artist id anywhere in it (how extracts and S4A downloads are
 * named), else an alias word such as `zone_a0`. The original mapped unrecognised names to ZONE A0;
 * here they are refused instead, so nothing lands under the wrong artist.
 */
export function artistFromName(fileName: string, artists: readonly SpotifyArtist[]): SpotifyArtist | null {
  for (const m of fileName.matchAll(ID)) {
    const hit = artists.find((a) => a.id === m[1])
    if (hit) return hit
  }
  const words = fileName.toLowerCase().replace(/\.[a-z]+$/, '')
  for (const a of artists) {
    const alias = a.name.toLowerCase()
    const spellings = [alias.replace(/ /g, '_'), alias.replace(/ /g, '.'), alias.replace(/ /g, '-'), alias.replace(/ /g, '')]
    if (spellings.some((s) => new RegExp(`(?:^|[^a-z0-9])${s.replace('.', '\\.')}(?![a-z0-9])`).test(words))) return a
  }
  return null
}

export function artistById(id: string, artists: readonly SpotifyArtist[]): SpotifyArtist | null {
  return artists.find((a) => a.id === id) ?? null
}
