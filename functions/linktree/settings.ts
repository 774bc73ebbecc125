/** Where Linktree's GraphQL lives, from the source declaration (source.ts) and its env. */
import type { Context } from '../../lib/context.ts'

export const linktreeBase = (ctx: Context) => ctx.sources.get('linktree')!.baseUrls.main
