/**
 * npm run auth -- <source> [account]   opens a visible Chromium at the sign-in page and saves the session
 * npm run auth -- --status             lists every session's status (never a secret value)
 */
import { z } from 'zod'
import { EXIT, main, openRunner, parseCli, UsageError } from '../lib/cli.ts'
import { loginFlow, NoDisplayError } from '../lib/credentials/login.ts'

const USAGE = 'npm run auth -- <source> [account] | npm run auth -- --status'
const Args = z.object({
  positionals: z.array(z.string()).max(2),
  status: z.boolean().default(false),
  'timeout-seconds': z.coerce.number().int().min(5).default(300),
})

/** One line from stdin: typed at a prompt (not echoed) or piped in (`… | npm run auth -- mailchimp`). */
async function readSecret(prompt: string): Promise<string> {
  if (process.stdin.isTTY) process.stdout.write(prompt)
  const chunks: Buffer[] = []
  if (process.stdin.isTTY) process.stdin.setRawMode(true)
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer
    const nl = b.indexOf(process.stdin.isTTY ? 13 : 10)
    chunks.push(nl >= 0 ? b.subarray(0, nl) : b)
    if (nl >= 0) break
  }
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(false)
    process.stdout.write('\n')
  }
  return Buffer.concat(chunks).toString('utf8').trim()
}

main(async () => {
  const args = parseCli(USAGE, { status: { type: 'boolean' }, 'timeout-seconds': { type: 'string' } }, Args)
  const runner = await openRunner()
  const { services } = runner
  try {
    if (args.status) {
      const rows = await runner.sessionStatuses()
      for (const s of rows) {
        const left = s.daysLeft === null ? '' : ` (${s.daysLeft} days left, expires ${s.expiresAt})`
        console.log(`${s.source.padEnd(10)} ${s.account.padEnd(8)} ${s.status.padEnd(8)}${left}${s.status === 'valid' ? '' : `  → ${s.command}`}`)
      }
      return rows.some((s) => s.status === 'expired' || s.status === 'missing') ? EXIT.needsAuth : EXIT.ok
    }
    const [source, account = 'default'] = args.positionals
    const src = source ? services.sources.get(source) : undefined
    if (!src?.session) {
      const withLogin = [...services.sources.values()].filter((s) => s.session).map((s) => s.name)
      throw new UsageError(`unknown source '${source ?? ''}'; sources with a login: ${withLogin.join(', ')}\nusage: ${USAGE}`)
    }
    const accounts = src.accounts.map((a) => a.name)
    if (!accounts.includes(account)) throw new UsageError(`unknown account '${account}' for ${source}; accounts: ${accounts.join(', ')}`)
    if (!src.session.loginPath) {
      // API sources: the person pastes the credential the service issued (never echoed, never logged).
      const token = await readSecret(`Paste the ${src.title} credential for ${account} and press Enter: `)
      if (!token) throw new UsageError(`no credential given for ${source}`)
      await services.credentials.save(source, account, { token })
      const saved = await services.credentials.status(source, account)
      console.log(`${source} ${account}: ${saved.status}, expires ${saved.expiresAt} (${saved.daysLeft} days)`)
      return EXIT.ok
    }
    if (!services.config.hasDisplay) {
      console.error(new NoDisplayError(`npm run auth -- ${source}${account === 'default' ? '' : ` '${account}'`}`).message)
      return EXIT.usage
    }
    console.log(`Opening ${source} sign-in in Chromium; log in there (2FA included). Waiting up to ${args['timeout-seconds']} s…`)
    let status
    try {
      status = await loginFlow(services, source, account, { timeoutMs: args['timeout-seconds'] * 1000 })
    } catch (err) {
      if (!(err instanceof NoDisplayError)) throw err
      console.error(err.message)
      return EXIT.usage
    }
    console.log(`${source} ${account}: ${status.status}, expires ${status.expiresAt} (${status.daysLeft} days)`)
    return EXIT.ok
  } finally {
    await services.close()
  }
})
