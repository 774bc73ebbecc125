/** @module Interactive mode: before extracting, offer the login flow for a source whose session is not valid. */
import { createInterface } from 'node:readline/promises'
import type { Runner } from '../pipeline.ts'
import { loginFlow } from './login.ts'

export async function offerLogin(runner: Runner, source: string): Promise<void> {
  const src = runner.services.sources.get(source)
  if (!src?.session) return
  for (const { name: account } of src.accounts) {
    const status = await runner.services.credentials.status(source, account)
    if (status.status === 'valid') continue
    if (!process.stdin.isTTY) {
      console.error(`${source} (${account}) session ${status.status}: run \`${status.command}\``)
      continue
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout })
    const answer = await rl.question(`${source}${account === 'default' ? '' : ` (${account})`} session is ${status.status}. Log in now? [y/N] `)
    rl.close()
    if (/^y/i.test(answer)) {
      const after = await loginFlow(runner.services, source, account)
      console.log(`${source}: session ${after.status}, expires ${after.expiresAt}`)
    }
  }
}
