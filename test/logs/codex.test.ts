import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { usageMeters } from '../../src/logs/meters.js'
import { Calendar } from '../../src/logs/periods.js'
import { accountOf, byModel, scan, tempCopy } from './helpers.js'

// test/fixtures/logs/codex (prices per token: gpt-5.5 5e-6 / cached 5e-7 / out 3e-5,
// gpt-5.4 2.5e-6 / 2.5e-7 / 1.5e-5, gpt-5 1.25e-6 / 1.25e-7 / 1e-5):
//  live session: gpt-5.5 turn (last_token_usage 10000 in, 2000 cached, 500 out) = 0.056,
//    written twice (same totals: counted once); gpt-5.4 turns from totals only: 25000/12000/900
//    minus the previous totals = 15000/10000/400 → 0.021; totals that drop (3000/0/100) restart
//    the count → 0.009; then last_token_usage 1000/500/50 → 0.002125; a cut-off line.
//  sub-agent session: two replayed parent events in its first second (skipped), then totals
//    27000/12500/1000 minus the replayed 25000/12000/900 = 2000/500/100 on gpt-5.5 → 0.01075.
//  archived Sept-2025 session without turn_context → gpt-5: 4000/0/200 → 0.007, then totals only
//    10000/4000/600 minus 4000/0/200 → 0.007. The archived copy of the live session is ignored.
const NOW = '2026-08-12T12:00:00.000Z'

let t: ReturnType<typeof tempCopy> | undefined
afterEach(() => t?.cleanup())

describe('Codex session logs', () => {
  it('turns cumulative totals into per-turn tokens, per model, once per event', async () => {
    t = tempCopy('codex')
    const usage = await scan(accountOf('codex', t.dir), t.cacheDir, NOW)
    expect(byModel(usage)).toEqual({
      'gpt-5.5': { cost: 0.06675, tokens: 12600, requests: 2, unpriced: 0 },
      'gpt-5.4': { cost: 0.032125, tokens: 19550, requests: 3, unpriced: 0 },
      'gpt-5': { cost: 0.014, tokens: 10600, requests: 2, unpriced: 0 },
    })
    expect(usage.reasons).toEqual({
      duplicate: 1,
      'unparsable-line': 1,
      'subagent-replay': 2,
      'assumed-model': 2,
    })
    expect(usage.stats.files).toBe(3)
  })

  it("today's meters are estimates over this morning's sessions", async () => {
    t = tempCopy('codex')
    const usage = await scan(accountOf('codex', t.dir), t.cacheDir, NOW)
    const meters = usageMeters(usage, Date.parse(NOW), new Calendar('UTC'))
    const today = { used: 0.098875, tokens: 32150, requests: 5, estimated: true, label: 'API-equivalent' }
    expect(meters.find((m) => m.id === 'today')).toMatchObject({ period: 'day', ...today })
    expect(meters.find((m) => m.id === 'block')).toMatchObject({ period: 'block', ...today })
    expect(meters.find((m) => m.id === 'week')).toMatchObject({ period: 'week', ...today })
  })

  it('an appended event with totals only is measured against the totals remembered from last time', async () => {
    t = tempCopy('codex')
    const account = accountOf('codex', t.dir)
    await scan(account, t.cacheDir, NOW)
    const live = join(
      t.dir,
      'sessions/2026/08/12/rollout-2026-08-12T09-00-00-019b1111-2222-7333-8444-555566667777.jsonl',
    )
    const total = { input_tokens: 4500, cached_input_tokens: 600, output_tokens: 200, total_tokens: 4700 }
    const event = { type: 'token_count', info: { total_token_usage: total }, rate_limits: null }
    appendFileSync(
      live,
      `${JSON.stringify({ timestamp: '2026-08-12T11:00:00.000Z', type: 'event_msg', payload: event })}\n`,
    )
    const usage = await scan(account, t.cacheDir, NOW)
    expect(usage.stats.filesRead).toBe(1)
    // 4500/600/200 − 4000/500/150 = 500/100/50 on gpt-5.4 (the turn_context read last time):
    // 400·2.5e-6 + 100·2.5e-7 + 50·1.5e-5 = 0.001775
    expect(byModel(usage)['gpt-5.4']).toEqual({ cost: 0.0339, tokens: 20100, requests: 4, unpriced: 0 })
  })
})
