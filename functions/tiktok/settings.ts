/** Where TikTok lives and which accounts run (until the source declaration provides both). */
import type { Context } from '../../lib/context.ts'

export const DEFAULT_ACCOUNTS = ['zone.a0', 'pig1987']

export const tiktokBase = (ctx: Context) => ctx.config.baseUrls.tiktok ?? 'https://www.tiktok.com'
export const tiktokAccounts = (_ctx: Context) => DEFAULT_ACCOUNTS
