/**
 * DistroKid extractor. The stats pages are fetched over plain HTTP with the stored session's cookies
 * (the site serves them to a logged-in session as HTML with embedded chart data); the bank-details
 * ledger is only reachable through the UI, so Playwright clicks the download with the same session.
 * A sign-in redirect or page at any point means the session is gone: needs_auth, nothing landed
 * from that point on, and no waiting for a person.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright'
import { isLoginWall, LoginWall } from '../../lib/browser/browser.ts'
import { cookieHeader } from '../../lib/browser/cookies.ts'
import { defineExtractor } from '../../lib/define.ts'
import { cadenceDue } from '../../lib/lake/cadence.ts'
import { UpstreamError } from '../../lib/upstream/client.ts'
import { upstreamFailure } from '../../lib/upstream/outcome.ts'
import { statsPageKind } from './stats-page.ts'

const PAGES = [
  { data: 'streams', name: 'streams_stats.html', kind: 'spotify' },
  { data: 'applemusic', name: 'applemusic_stats.html', kind: 'apple' },
] as const

const LOGIN = /\/(log-?in|sign-?in)/i

export default defineExtractor({
  source: 'distrokid',
  description: 'DistroKid stats pages (Spotify, Apple Music) and the bank-details ledger, with the stored session',
  async run(ctx) {
    const base = ctx.sources.get('distrokid')!.baseUrls.main
    const session = await ctx.credentials.load('distrokid', 'default')
    const state = session?.storageState
    let filesOut = 0
    try {
      for (const p of PAGES) {
        const url = `${base}/stats/?type=all&data=${p.data}`
        const html = await ctx.upstream.text(url, { headers: { Cookie: cookieHeader(state, url) }, loginUrlPattern: LOGIN, source: 'distrokid' })
        const kind = statsPageKind(html)
        if (kind === 'signin') throw new LoginWall(`the ${p.data} stats page answered with the sign-in page`)
        if (kind !== p.kind) throw new UpstreamError('drift', `the ${p.data} stats page has no ${p.kind} chart data (page layout changed?)`)
        await ctx.lake.land('distrokid', 'stats', p.name, html, ctx.now)
        filesOut++
      }
    } catch (err) {
      return upstreamFailure('distrokid', loginWallAsAuth(err), { filesOut })
    }

    const due = await cadenceDue(ctx, {
      source: 'distrokid',
      dataset: 'bank',
      everyMs: (ctx.sources.get('distrokid')!.settings.ledgerEveryDays as number) * 86_400_000,
      what: 'the ledger',
      setting: 'BEDROT_DISTROKID_LEDGER_EVERY_DAYS',
    })
    if (!due.due) return { status: 'ok', filesOut, message: `landed ${filesOut} files; ${due.why}` }

    const dir = await mkdtemp(path.join(tmpdir(), 'dk-bank-'))
    try {
      const { result: file } = await ctx.browser.withSession(state, async (page) => {
        await page.goto(`${base}/bank/`)
        if (await isLoginWall(page)) throw new LoginWall('the bank page redirected to sign-in')
        await expectElement(page, 'a[href="/bank/details/"]', 'the bank page has no link to the bank details')
        // Wait for the details page or a sign-in page, whichever comes: never for a URL that cannot come.
        const arrived = (u: URL) => /\/bank\/details\/?$/.test(u.pathname) || LOGIN.test(u.pathname)
        await Promise.all([page.waitForURL(arrived), page.click('a[href="/bank/details/"]')])
        if (await isLoginWall(page)) throw new LoginWall('the bank-details page redirected to sign-in')
        await expectElement(page, 'div[onclick^="downloadBank"]', 'the bank-details page has no download button')
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('div[onclick^="downloadBank"]')])
        const target = path.join(dir, 'download.tsv')
        await download.saveAs(target)
        return target
      })
      await ctx.lake.landFile('distrokid', 'bank', 'dk_bank_details.tsv', file, ctx.now)
      filesOut++
    } catch (err) {
      // The stats pages already landed; a failed download costs only the ledger for today.
      return upstreamFailure('distrokid', loginWallAsAuth(err), { filesOut, what: 'bank-details download' })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    return { status: 'ok', filesOut, message: `landed ${filesOut} files` }
  },
})

/** An element the flow needs is missing: the site changed, which no amount of waiting fixes. */
async function expectElement(page: Page, selector: string, what: string) {
  if ((await page.locator(selector).count()) === 0) throw new UpstreamError('drift', `${what} (${selector}; page layout changed?)`)
}

/** A login wall met in the browser is the same thing as a 401: the session is gone. */
function loginWallAsAuth(err: unknown): unknown {
  return err instanceof LoginWall ? new UpstreamError('needs_auth', err.message) : err
}
