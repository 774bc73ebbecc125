/**
 * @module Where notifications go: an incoming webhook (JSON with `text`, which Slack and Discord-style
 * receivers show as the message, plus the structured fields) and e-mail over SMTP (nodemailer). Each
 * is on only when configured; the webhook URL and the SMTP URL are secrets (their paths and passwords
 * grant posting), so they are registered with the log scrubber and never printed.
 */
import nodemailer from 'nodemailer'
import type { Config } from '../config.ts'
import { registerSecret } from '../log.ts'

export interface Message {
  key: string
  kind: string
  level: string
  source: string | null
  account: string | null
  text: string
  command: string | null
  createdAt: string
}

export interface Channel {
  name: 'webhook' | 'email'
  send(m: Message): Promise<void>
}

const TIMEOUT_MS = 10_000

function webhook(url: string): Channel {
  registerSecret(url)
  return {
    name: 'webhook',
    async send(m) {
      const body = {
        // Slack reads `text`, Discord `content`; both get the same line.
        text: `[BEDROT ${m.level.toUpperCase()}] ${m.text}`,
        content: `[BEDROT ${m.level.toUpperCase()}] ${m.text}`,
        event: { key: m.key, kind: m.kind, level: m.level, source: m.source, account: m.account, command: m.command, at: m.createdAt },
      }
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
      await res.body?.cancel()
      if (!res.ok) throw new Error(`webhook answered HTTP ${res.status}`)
    },
  }
}

function email(smtpUrl: string, to: string, from: string): Channel {
  registerSecret(smtpUrl)
  try {
    registerSecret(decodeURIComponent(new URL(smtpUrl).password) || null)
  } catch {
    /* not a URL with a password */
  }
  const transport = nodemailer.createTransport(smtpUrl)
  return {
    name: 'email',
    async send(m) {
      const lines = [
        m.text,
        '',
        ...(m.command ? [`To fix it, run:  ${m.command}`, ''] : []),
        `source: ${m.source ?? '-'}`,
        `event: ${m.kind} (${m.key})`,
        `at: ${m.createdAt}`,
      ]
      await transport.sendMail({ from, to, subject: `[BEDROT ${m.level.toUpperCase()}] ${m.text.slice(0, 90)}`, text: lines.join('\n') })
    },
  }
}

export function channelsFrom(config: Config): Channel[] {
  const out: Channel[] = []
  if (config.notify.webhookUrl) out.push(webhook(config.notify.webhookUrl))
  if (config.notify.smtpUrl && config.notify.email) out.push(email(config.notify.smtpUrl, config.notify.email, config.notify.from))
  return out
}
