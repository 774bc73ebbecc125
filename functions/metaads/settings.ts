/**
 * Meta's configuration: the Graph API version (Meta retires versions; a retired one answers code
 * 2635) and the ad account are configuration, never constants; so are how far back the first run
 * reads and how many recent days every run re-reads.
 */
import { z } from 'zod'
import type { Context } from '../../lib/context.ts'

export const SETTINGS = {
  graphVersion: {
    env: 'META_GRAPH_VERSION',
    schema: z
      .string()
      .regex(/^v\d+\.\d+$/, 'a Graph version like v25.0')
      .default('v25.0'),
  },
  adAccountId: {
    env: 'META_AD_ACCOUNT_ID',
    schema: z
      .string()
      .regex(/^(act_)?\d+$/, 'act_<digits>')
      .optional(),
  },
  backfillDays: { env: 'META_BACKFILL_DAYS', schema: z.coerce.number().int().min(1).max(1100).default(365) },
  restateDays: { env: 'META_RESTATE_DAYS', schema: z.coerce.number().int().min(1).max(90).default(28) },
  paceMs: { env: 'META_PACE_MS', schema: z.coerce.number().int().min(0).max(3_600_000).default(60_000) },
}

export interface MetaSettings {
  graphVersion: string
  adAccountId?: string
  backfillDays: number
  restateDays: number
  paceMs: number
}

export function metaSettings(ctx: Context): MetaSettings {
  return ctx.sources.get('metaads')!.settings as unknown as MetaSettings
}

export function metaBaseUrl(ctx: Context): string {
  return ctx.sources.get('metaads')!.baseUrls.main
}
