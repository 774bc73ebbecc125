import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { campaignArtist, parseCampaignName } from '../../lib/kpi/campaigns.ts'
import { REAL, skipReal } from '../helpers.ts'

describe('campaign-name rule', () => {
  // The original's golden table (seed_ops §1.8), where we agree with it.
  it.each([
    ['PIG1987 - THE STATE OF THE WORLD - BROAD', 'PIG1987', 'THE STATE OF THE WORLD', 'BROAD'],
    ['THE SOURCE - Streaming', 'ZONE A0', 'THE SOURCE', 'STREAMING'],
    ['New Engagement Ad Set', null, null, 'ENGAGEMENT'],
    ['FOO - BAR', null, 'FOO', 'BAR'],
    ['A - B - C - D', 'A', 'B', 'C - D'],
    ['', null, null, null],
  ])('%j → %s / %s / %s', (name, artist, track, targeting) => {
    expect(parseCampaignName(name)).toEqual({ artist, track, targeting })
  })

  it('books IWARY campaigns to PIG1987, whose track IWARY is — not to ZONE A0 (the original mistake)', () => {
    expect(parseCampaignName('IWARY - BROAD')).toEqual({
      artist: 'PIG1987',
      track: 'IWARY',
      targeting: 'BROAD',
    })
    expect(parseCampaignName('IWARY - TECHNO SPOTIFY - Copy')).toEqual({
      artist: 'PIG1987',
      track: 'IWARY',
      targeting: 'TECHNO SPOTIFY',
    })
  })

  it('takes a track-led name’s artist from the track’s owner, never a default', () => {
    expect(campaignArtist('TRANSFORMER ARCHITECTURE - Streaming')).toBe('PIG1987')
    expect(campaignArtist('THE SCALE')).toBe('ZONE A0')
    expect(campaignArtist('SOME NEW SONG - Streaming')).toBeNull()
  })

  it('reads artist-led names, aliases, separator-less names and numbered copies', () => {
    expect(parseCampaignName('PIG1987 - HEAVEN NIGHTCLUB')).toEqual({
      artist: 'PIG1987',
      track: 'HEAVEN NIGHTCLUB',
      targeting: null,
    })
    expect(parseCampaignName('ZONE A0 - FOO')).toEqual({ artist: 'ZONE A0', track: null, targeting: 'FOO' })
    expect(campaignArtist('zone_a0 - LUNA - broad')).toBe('ZONE A0')
    expect(campaignArtist('ZONE A0 ANOVUS STREAMING CAMPAIGN')).toBe('ZONE A0')
    expect(campaignArtist('ZONE A0 X SXNCTUARY COLLAB PUSH')).toBe('ZONE A0 X SXNCTUARY')
    expect(parseCampaignName('ANOVUS - Streaming - Copy 2')).toEqual({
      artist: 'ZONE A0',
      track: 'ANOVUS',
      targeting: 'STREAMING',
    })
  })

  it.skipIf(skipReal)('attributes the real Meta campaigns', () => {
    const campaigns = JSON.parse(readFileSync(path.join(REAL, 'metaads/meta_ads_dump_20250527_123754/campaigns.json'), 'utf8')) as { name: string }[]
    const byArtist = Object.fromEntries(campaigns.map((c) => [c.name, campaignArtist(c.name)]))
    expect(byArtist).toEqual({
      'PIG1987 - THE STATE OF THE WORLD - BROAD': 'PIG1987',
      'PIG1987 - THE STATE OF THE WORLD - BROAD SPOTIFY': 'PIG1987',
      'PIG1987 - THE STATE OF THE WORLD - HARD TRANCE': 'PIG1987',
      'PIG1987 - THE STATE OF THE WORLD - TECHNO': 'PIG1987',
      'THE SOURCE - Streaming': 'ZONE A0',
      'PIG1987 - TRANSFORMER ARCHITECTURE - STREAMING': 'PIG1987',
      'PIG1987 - HEAVEN NIGHTCLUB - Streaming - Copy': 'PIG1987',
      'ANOVUS - Streaming - Copy 2': 'ZONE A0',
      'ZONE A0 ANOVUS STREAMING CAMPAIGN': 'ZONE A0',
      'PIG1987 - HEAVEN NIGHTCLUB': 'PIG1987',
      // Not a catalogue track and no artist in the name: left unattributed rather than guessed.
      'ENGAGEMENT PROTOCOL - Streaming - Copy': null,
      'PIG1987 - DYSMORPHIA - Streaming': 'PIG1987',
      'THE FEW THAT REMAINED - Streaming': 'ZONE A0',
    })
  })
})
