/**
 * After runs the server asks for the page's default view itself (lib/http/warm.ts), so the first visit
 * after the daily run is answered from the KPI cache. Counted by KPI evaluations, not by timing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../lib/app.ts'
import { warmers } from '../../lib/http/warm.ts'
import { makeSystem } from '../helpers.ts'

type System = Awaited<ReturnType<typeof makeSystem>>

describe('warming the page after runs', () => {
  let sys: System
  let app: ReturnType<typeof createApp>
  beforeAll(async () => {
    sys = await makeSystem()
    app = createApp(sys.runner, { today: () => '2025-06-01', apiToken: sys.token, warm: true })
  })
  afterAll(() => sys.close())

  it('computes the default view once after a run of every source, and the first visit computes nothing', async () => {
    const def = sys.runner.registry.kpis.get('streams-total')!
    const evaluate = vi.spyOn(def, 'evaluate')
    try {
      await sys.runner.runAll({ skipExtract: true, trigger: 'cli' }, ['toolost', 'spotify', 'youtube'])
      await warmers.get(app)!.idle()
      // Once for the page's view (28 days), not once per run.
      expect(evaluate.mock.calls.map(([, q]) => q)).toEqual([expect.objectContaining({ days: 28 })])
      // The first visit: the page and a poll of the same KPI are answered from what was computed.
      const page = await app.request('/', { headers: { authorization: `Bearer ${sys.token}` } })
      expect(await page.text()).toContain('data-kpi="streams-total"')
      const poll = await app.request('/kpi/streams-total?days=28', { headers: { authorization: `Bearer ${sys.token}` } })
      expect(poll.status).toBe(200)
      expect(evaluate).toHaveBeenCalledTimes(1)
    } finally {
      evaluate.mockRestore()
    }
  })

  it('is not done by an app created without it', async () => {
    const plain = createApp(sys.runner, { today: () => '2025-06-01', apiToken: sys.token })
    expect(warmers.get(plain)).toBeUndefined()
  })
})
