/** Where TikTok lives and which accounts run, from the source declaration (source.ts) and its env. */
import type { Context } from '../../lib/context.ts'

export const tiktokBase = (ctx: Context) => ctx.sources.get('tiktok')!.baseUrls.main
export const tiktokAccounts = (ctx: Context) => ctx.sources.get('tiktok')!.accounts.map((a) => a.name)
