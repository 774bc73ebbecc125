/** @module The demo's DistroKid: a year of daily streams and a few thousand ledger lines, logged in. */
import { CredentialStore } from '../../lib/credentials/store.ts'
import type { DemoFake } from '../../lib/source.ts'
import { createFakeDistroKid } from './fake.ts'
import { dailySeries, ledgerLines, ledgerTsv } from './fake-data.ts'

function lastMonth(today: string): string {
  const d = new Date(Date.parse(`${today.slice(0, 7)}-01T00:00:00Z`) - 86_400_000)
  return d.toISOString().slice(0, 7)
}

/** The demo's DistroKid: a year of daily streams and a few thousand ledger lines, logged in. */
export const demo: DemoFake = {
  create(today) {
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10)
    const fake = createFakeDistroKid({
      spotifyDaily: dailySeries(from, today, 11, 3000),
      appleDaily: dailySeries(from, today, 12, 120),
      // Statements arrive a month or two late: the ledger ends with last month's sales, about $1,000 a month.
      ledgerTsv: ledgerTsv([...ledgerLines(6000, 13, { lastMonth: lastMonth(today), maxEarningsE8: 4e7 })], 15),
    })
    return {
      app: fake.app,
      async logIn(sessionsDir: string, url: string) {
        const expires = Math.floor(Date.now() / 1000) + 90 * 86_400
        await new CredentialStore(sessionsDir).save('distrokid', 'default', {
          storageState: {
            cookies: [
              {
                name: 'dk_session',
                value: fake.issueSession(),
                domain: new URL(url).hostname,
                path: '/',
                expires,
                httpOnly: true,
                secure: false,
                sameSite: 'Lax',
              },
            ],
            origins: [],
          },
        })
      },
    }
  },
}
