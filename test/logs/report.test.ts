import { afterEach, describe, expect, it } from 'vitest'
import { Calendar } from '../../src/logs/periods.js'
import { buildReport } from '../../src/logs/report.js'
import { renderReport } from '../../src/logs/report-text.js'
import type { SpendMeter } from '../../src/model.js'
import { accountOf, scan, tempCopy } from './helpers.js'

const NOW = '2026-08-12T12:00:00.000Z'
const cal = new Calendar('UTC')
let temps: ReturnType<typeof tempCopy>[] = []
afterEach(() => {
  for (const t of temps) t.cleanup()
  temps = []
})

async function usages() {
  const c = tempCopy('claude')
  const x = tempCopy('codex')
  temps.push(c, x)
  return [
    await scan(accountOf('claude', c.dir, 'work'), c.cacheDir, NOW),
    await scan(accountOf('codex', x.dir, 'main'), x.cacheDir, NOW),
  ]
}

const openaiSpend: SpendMeter[] = [
  {
    id: 'today',
    label: 'OpenAI API',
    used: 0.4,
    limit: null,
    currency: 'USD',
    period: 'day',
    tokens: 12000,
    requests: 9,
  },
  {
    id: 'month',
    label: 'OpenAI API',
    used: 12.5,
    limit: null,
    currency: 'USD',
    period: 'month',
    tokens: 900000,
    requests: 700,
  },
]

describe('quotabar report', () => {
  it('by account over today, with a provider-reported API account sharing the total', async () => {
    const r = buildReport(await usages(), [{ key: 'openai/org', spend: openaiSpend }], {
      by: 'account',
      days: 1,
      now: Date.parse(NOW),
      cal,
    })
    expect(r).toMatchObject({ from: '2026-08-12', to: '2026-08-12', days: 1, timeZone: 'UTC', by: 'account' })
    expect(r.rows.map((x) => [x.key, x.source, x.cost, x.requests, x.estimated])).toEqual([
      ['openai/org', 'api', 0.4, 9, false],
      ['claude/work', 'logs', 0.105566, 6, true],
      ['codex/main', 'logs', 0.098875, 5, true],
    ])
    // 0.105566 + 0.098875 + 0.4
    expect(r.total.cost).toBe(0.604441)
    expect(r.rows.map((x) => x.share?.toFixed(4))).toEqual(['0.6618', '0.1747', '0.1636'])
    // input 6 + 2 + 500 + 100 + 2·1000, output 480 + 700 + 90 + 50 + 2·100, cache 20000 + 50000 + 8000 / 1000 + 3000
    expect(r.rows[1]).toMatchObject({
      inputTokens: 2608,
      outputTokens: 1520,
      cacheReadTokens: 78000,
      cacheWriteTokens: 4000,
      tokens: 86128,
      unpricedRequests: 1,
    })
    // Codex input is the uncached part: 8000 + 5000 + 3000 + 500 + 1500; cached 2000 + 10000 + 500 + 500
    expect(r.rows[2]).toMatchObject({
      inputTokens: 18000,
      outputTokens: 1150,
      cacheReadTokens: 13000,
      cacheWriteTokens: 0,
    })
    expect(r.reasons['claude/work']).toMatchObject({ duplicate: 4 })
  })

  it("an API account's month does not share a 7-day period", async () => {
    const r = buildReport(await usages(), [{ key: 'openai/org', spend: openaiSpend }], {
      by: 'account',
      days: 7,
      now: Date.parse(NOW),
      cal,
    })
    const api = r.rows.find((x) => x.key === 'openai/org')
    expect(api).toMatchObject({ period: 'month', cost: 12.5, share: null })
    // 7 days from Thursday the 6th: Claude adds Sunday's $0.02 and Tuesday's $0.915.
    expect(r.rows.find((x) => x.key === 'claude/work')).toMatchObject({ cost: 1.040566, requests: 8 })
    expect(r.total.cost).toBe(1.139441)
  })

  it('by model and by day (local days)', async () => {
    const u = await usages()
    const byModel = buildReport(u, [], { by: 'model', days: 7, now: Date.parse(NOW), cal })
    expect(byModel.rows.map((x) => x.key)).toEqual([
      'claude-sonnet-4-5-20250929',
      'gpt-5.5',
      'claude-opus-4-8',
      'claude-sonnet-4-6',
      'gpt-5.4',
      'claude-sonnet-4-20250514',
      'claude-haiku-4-5-20251001',
      'claude-mystery-9',
    ])
    const byDay = buildReport(u, [], {
      by: 'day',
      days: 7,
      now: Date.parse(NOW),
      cal: new Calendar('America/New_York'),
    })
    // New York: the 02:30 UTC requests were still the 11th, Tuesday 20:00 UTC is Tuesday 16:00.
    expect(byDay.rows.map((x) => [x.key, x.requests])).toEqual([
      ['2026-08-09', 1],
      ['2026-08-11', 3],
      ['2026-08-12', 9],
    ])
  })

  it('renders a table with the pricing note, and the reasons with --verbose', async () => {
    const r = buildReport(await usages(), [{ key: 'openai/org', spend: openaiSpend }], {
      by: 'account',
      days: 1,
      now: Date.parse(NOW),
      cal,
    })
    const text = renderReport(r, { verbose: true, pricing: 'the bundled prices dated 2026-08-20' })
    expect(text).toBe(
      [
        'Usage 2026-08-12 – 2026-08-12 (today, UTC) by account',
        '',
        'ACCOUNT                  INPUT  OUTPUT  CACHE READ  CACHE WRITE  REQUESTS      COST  SHARE',
        'openai/org (API, today)      —       —           —            —         9     $0.40    66%',
        'claude/work               2.6k    1.5k       78.0k         4.0k         6  ~$0.11+?    17%',
        'codex/main               18.0k    1.1k       13.0k            0         5    ~$0.10    16%',
        'total                    20.6k    2.7k       91.0k         4.0k        11  ~$0.60+?      —',
        '',
        '~ API-equivalent: priced here from token counts with the bundled prices dated 2026-08-20; subscriptions do not pay this.',
        '+? some requests use a model with no price: their cost is missing.',
        '(API, ...) rows are the amount the provider reports for its own period; only the same period shares the total.',
        '',
        'Lines skipped or counted with a caveat:',
        '  claude/work',
        '          4  duplicate — the same request logged again (the largest copy counts): skipped',
        '          1  future-timestamp — dated more than a day after now (clock skew): skipped',
        '          1  incomplete-last-line — files whose last line is still being written: read next time',
        '          1  malformed-usage — a usage object of an unexpected shape: skipped',
        "          1  sidechain-replay — a sub-agent's replay of a main-thread message: skipped",
        "          1  synthetic — Claude Code's synthetic error / limit messages: skipped",
        '          1  unknown-model — a model missing from the pricing table: tokens counted, cost unknown',
        '  codex/main',
        '          2  assumed-model — no model recorded: counted as gpt-5 (as ccusage does)',
        '          1  duplicate — the same request logged again (the largest copy counts): skipped',
        "          2  subagent-replay — a Codex sub-agent's replay of its parent's events: skipped",
        '          1  unparsable-line — not JSON (cut off or corrupt): skipped',
        '',
      ].join('\n'),
    )
  })
})
