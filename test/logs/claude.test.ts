import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { usageMeters } from '../../src/logs/meters.js'
import { Calendar } from '../../src/logs/periods.js'
import { accountOf, byModel, scan, tempCopy } from './helpers.js'

// test/fixtures/logs/claude: a main transcript, its sub-agent and an old (1.0.x) transcript.
// Hand-computed with the bundled prices (USD per token):
//  msg_01AAA opus-4-8, 3 chunks (output 12 → 480 → 480), fast ×2, 1h cache write 1000:
//    (6·5e-6 + 1000·1e-5 + 20000·5e-7 + 480·2.5e-5) · 2 = 0.06406           tokens 21486
//  msg_01BBB sonnet-4-6, fast (×1 for sonnet), 5m write 3000 (no breakdown):
//    2·3e-6 + 3000·3.75e-6 + 50000·3e-7 + 700·1.5e-5 = 0.036756              tokens 53702
//  msg_01SUB1 haiku-4-5 (sub-agent's own, output 10 → 90): 500·1e-6 + 8000·1e-7 + 90·5e-6 = 0.00175
//  msg_01CCC claude-mystery-9: 150 tokens, no price
//  msg_01DDD haiku, no requestId (never deduplicated, as ccusage): 2 × 0.0015
//  legacy costUSD line (sonnet-4, 2026-08-09): 0.02 as logged (not re-priced)
//  legacy sonnet-4-5 with 250k input (2026-08-11): 200000·3e-6 + 50000·6e-6 + 1000·1.5e-5 = 0.915
const NOW = '2026-08-12T12:00:00.000Z' // a Wednesday: the ISO week began Monday 2026-08-10

let t: ReturnType<typeof tempCopy> | undefined
afterEach(() => t?.cleanup())

async function scanFixture() {
  t = tempCopy('claude')
  return scan(accountOf('claude', t.dir), t.cacheDir, NOW)
}

describe('Claude Code transcripts', () => {
  it('counts each request once: the largest chunk, main thread first, replays dropped', async () => {
    const usage = await scanFixture()
    expect(byModel(usage)).toEqual({
      'claude-opus-4-8': { cost: 0.06406, tokens: 21486, requests: 1, unpriced: 0 },
      'claude-sonnet-4-6': { cost: 0.036756, tokens: 53702, requests: 1, unpriced: 0 },
      'claude-haiku-4-5-20251001': { cost: 0.00475, tokens: 10790, requests: 3, unpriced: 0 },
      'claude-mystery-9': { cost: 0, tokens: 150, requests: 1, unpriced: 1 },
      'claude-sonnet-4-20250514': { cost: 0.02, tokens: 12410, requests: 1, unpriced: 0 },
      'claude-sonnet-4-5-20250929': { cost: 0.915, tokens: 251000, requests: 1, unpriced: 0 },
    })
  })

  it('counts the reasons for every line it skips or counts with a caveat', async () => {
    const usage = await scanFixture()
    expect(usage.reasons).toEqual({
      // AAA chunks 2 and 3, SUB1 chunk 2, the sub-agent's copy of BBB
      duplicate: 4,
      'sidechain-replay': 1,
      synthetic: 1,
      'malformed-usage': 1,
      'future-timestamp': 1,
      'unknown-model': 1,
      'incomplete-last-line': 1,
    })
  })

  it('today, the current 5-hour block and this week as estimated USD meters', async () => {
    const usage = await scanFixture()
    const meters = usageMeters(usage, Date.parse(NOW), new Calendar('UTC'))
    const pick = (id: string) => meters.find((m) => m.id === id)
    // Today: AAA, BBB, SUB1, CCC (unpriced) and DDD ×2 at 02:30.
    expect(pick('today')).toEqual({
      id: 'today',
      label: 'API-equivalent (1 unpriced)',
      used: 0.105566,
      limit: null,
      currency: 'USD',
      period: 'day',
      tokens: 86128,
      requests: 6,
      estimated: true,
    })
    // The block opened at 09:00 (first request 09:12, more than 5 h after 02:30): DDD is not in it.
    expect(pick('block')).toMatchObject({ period: 'block', used: 0.102566, tokens: 83928, requests: 4 })
    // The week adds Tuesday's 250k request; Sunday's costUSD line is last week.
    expect(pick('week')).toMatchObject({ period: 'week', used: 1.020566, tokens: 337128, requests: 7 })
  })

  it('no active block once the last request is 5 hours old', async () => {
    const usage = await scanFixture()
    const later = Date.parse('2026-08-12T15:05:00.000Z')
    const meters = usageMeters(usage, later, new Calendar('UTC'))
    expect(meters.find((m) => m.id === 'block')).toMatchObject({ used: 0, tokens: 0, requests: 0 })
    expect(meters.find((m) => m.id === 'today')).toMatchObject({ used: 0.105566, requests: 6 })
  })

  it('a second scan reads nothing and gives the same totals (state under the cache dir)', async () => {
    const first = await scanFixture()
    const again = await scan(
      accountOf('claude', (t as NonNullable<typeof t>).dir),
      (t as NonNullable<typeof t>).cacheDir,
      NOW,
    )
    expect(again.stats).toMatchObject({ filesRead: 0, bytesRead: 0, changed: false })
    expect(byModel(again)).toEqual(byModel(first))
    expect(again.reasons).toEqual(first.reasons)
  })

  it('files never read and last written before `since` are skipped; files already read stay', async () => {
    t = tempCopy('claude')
    const account = accountOf('claude', t.dir)
    const tomorrow = Date.now() + 86_400_000
    const skipped = await scan(account, t.cacheDir, NOW, tomorrow)
    expect(skipped.stats).toMatchObject({ files: 0, filesRead: 0 })
    expect(skipped.slots.size).toBe(0)
    await scan(account, t.cacheDir, NOW, 0)
    const kept = await scan(account, t.cacheDir, NOW, tomorrow)
    expect(kept.stats).toMatchObject({ files: 3, filesRead: 0 })
    expect(byModel(kept)['claude-sonnet-4-5-20250929']).toMatchObject({ cost: 0.915, requests: 1 })
  })
})

describe('Claude Code usage lines, checked by hand first and by the schema otherwise', () => {
  const usageLine = (n: number, usage: unknown, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      type: 'assistant',
      timestamp: '2026-08-12T10:00:00.000Z',
      requestId: `req_${n}`,
      message: { id: `msg_${n}`, model: 'claude-haiku-4-5-20251001', usage },
      ...extra,
    })

  it('counts the same requests and reasons whichever check decides', async () => {
    t = tempCopy()
    const dir = join(t.dir, 'projects', '-p')
    mkdirSync(dir, { recursive: true })
    const lines = [
      usageLine(1, { input_tokens: 100, output_tokens: 10 }),
      // nullish fields in every place the schema allows them
      usageLine(
        2,
        {
          input_tokens: 100,
          output_tokens: 10,
          cache_read_input_tokens: null,
          cache_creation: null,
          speed: null,
        },
        { requestId: null, isSidechain: null, costUSD: null },
      ),
      usageLine(3, {
        input_tokens: 100,
        output_tokens: 10,
        cache_creation: { ephemeral_1h_input_tokens: 5 },
      }),
      usageLine(4, { input_tokens: 100, output_tokens: 10 }, { costUSD: 0.5 }),
      // malformed: a fraction, a negative count, an unsafe integer, a cost as text, a bad breakdown
      usageLine(5, { input_tokens: 1.5, output_tokens: 10 }),
      usageLine(6, { input_tokens: -1, output_tokens: 10 }),
      usageLine(7, { input_tokens: 2 ** 53, output_tokens: 10 }),
      usageLine(8, { input_tokens: 1, output_tokens: 10 }, { costUSD: '0.5' }),
      usageLine(9, {
        input_tokens: 1,
        output_tokens: 10,
        cache_creation: { ephemeral_5m_input_tokens: 'x' },
      }),
      usageLine(10, { input_tokens: 1, output_tokens: 10 }, { isSidechain: 'no' }),
      // not a usage line at all: no message.usage object
      JSON.stringify({ type: 'user', timestamp: '2026-08-12T10:00:00.000Z', toolUseResult: { usage: 1 } }),
    ]
    writeFileSync(join(dir, 's.jsonl'), `${lines.join('\n')}\n`)
    const usage = await scan(accountOf('claude', t.dir), t.cacheDir, NOW)
    expect(byModel(usage)['claude-haiku-4-5-20251001']).toEqual({
      cost: Number(
        (100e-6 + 10 * 5e-6 + (100e-6 + 10 * 5e-6) + (100e-6 + 10 * 5e-6 + 5 * 2e-6) + 0.5).toFixed(9),
      ),
      tokens: 110 + 110 + 115 + 110,
      requests: 4,
      unpriced: 0,
    })
    expect(usage.reasons).toEqual({ 'malformed-usage': 6 })
  })
})
