/** Where Linktree's GraphQL lives (until the source declaration provides it). */
import type { Context } from '../../lib/context.ts'

export const linktreeBase = (ctx: Context) => ctx.config.baseUrls.linktree ?? 'https://graph.linktr.ee'
