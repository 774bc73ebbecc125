/**
 * KPI 28: Mailchimp audience: members (the newest reported count per list, summed over lists; a level,
 * never summed over days), subscribes and unsubscribes in the window, and the campaigns sent in it:
 * sends, opens, clicks, open rate = Σ unique opens / Σ sends (weighted by sends, not a mean of rates).
 */
import { sql } from 'kysely'
import { defineKpi } from '../../lib/define.ts'
import { sumReported } from '../../lib/kpi/queries.ts'
import { ratio } from '../../lib/kpi/stats.ts'

export default defineKpi({
  name: 'email-audience',
  title: 'E-mail audience',
  unit: 'count',
  description: 'members, opens, clicks, open rate weighted by sends',
  sources: ['mailchimp'],
  async range({ db }) {
    const { rows } = await sql<{ min: string | null; max: string | null }>`
      select min(d) as min, max(d) as max from (
        select date as d from email_daily
        union all select substr(send_time, 1, 10) from email_campaigns where send_time is not null)`.execute(db)
    return { min: rows[0]?.min ?? null, max: rows[0]?.max ?? null }
  },
  async compute({ db }, w) {
    const days = await db.selectFrom('email_daily').selectAll().where('date', '<=', w.to).orderBy('date').execute()
    const lists = [...new Set(days.map((r) => r.list_id))].sort()
    const inWindow = days.filter((r) => r.date >= w.from)
    const newest = (list: string) => [...days].reverse().find((r) => r.list_id === list && r.members !== null) ?? null
    const campaigns = await db
      .selectFrom('email_campaigns')
      .selectAll()
      .where(sql`substr(send_time, 1, 10)`, '>=', w.from)
      .where(sql`substr(send_time, 1, 10)`, '<=', w.to)
      .orderBy('send_time')
      .execute()
    const sent = sumReported(campaigns, (c) => c.emails_sent)
    const opens = sumReported(campaigns, (c) => c.unique_opens ?? c.opens)
    const clicks = sumReported(campaigns, (c) => c.unique_clicks ?? c.clicks)
    return {
      value: sumReported(lists, (l) => newest(l)?.members ?? null),
      subscribes: sumReported(inWindow, (r) => r.subscribes),
      unsubscribes: sumReported(inWindow, (r) => r.unsubscribes),
      campaigns: campaigns.length,
      sent,
      opens,
      clicks,
      openRate: ratio(opens, sent),
      clickRate: ratio(clicks, sent),
      breakdown: lists.map((l) => ({
        key: l,
        value: newest(l)?.members ?? null,
        asOf: newest(l)?.date ?? null,
      })),
      series: [...new Set(inWindow.map((r) => r.date))].map((date) => {
        const day = inWindow.filter((r) => r.date === date)
        return {
          date,
          value: sumReported(day, (r) => r.members),
          subscribes: sumReported(day, (r) => r.subscribes),
          unsubscribes: sumReported(day, (r) => r.unsubscribes),
        }
      }),
    }
  },
})
