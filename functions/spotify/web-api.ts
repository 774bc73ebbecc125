/**
 * Spotify Web API artist object (external_apis.md §1a). Since the February 2026 change, Development
 * Mode apps get the object without `followers` and `popularity`: both are optional here and an absent
 * value is null — never 0, and never a reason to fail the run.
 */
import { z } from 'zod'

export const WEB_API_CREDENTIAL = { source: 'spotify-api', account: 'default' } as const

export const ArtistObject = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.literal('artist').optional(),
    genres: z.array(z.string()).optional(),
    followers: z.object({ href: z.string().nullable().optional(), total: z.number().int().nonnegative().nullable().optional() }).nullable().optional(),
    popularity: z.number().int().min(0).max(100).nullable().optional(),
  })
  .loose()
export type ArtistObject = z.infer<typeof ArtistObject>

export interface ArtistProfile {
  artist_id: string
  name: string
  followers: number | null
  popularity: number | null
  genres: string
}

export function artistProfile(a: ArtistObject): ArtistProfile {
  return {
    artist_id: a.id,
    name: a.name,
    followers: a.followers?.total ?? null,
    popularity: a.popularity ?? null,
    genres: (a.genres ?? []).join('|'),
  }
}
