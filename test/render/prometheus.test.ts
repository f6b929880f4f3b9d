import { describe, expect, it } from 'vitest'
import { parseFast } from '../../src/cli/args.js'
import { demoView } from '../../src/demo.js'
import type { CacheEntry } from '../../src/model.js'
import type { Account } from '../../src/providers/types.js'
import { DEFAULT_COLORS } from '../../src/render/palette.js'
import { BAR_FORMATS, renderers } from '../../src/render/index.js'
import { escapeLabel, formatValue } from '../../src/render/prometheus.js'
import { buildAccountView, type View } from '../../src/view.js'

const NOW = new Date('2026-11-22T10:00:00Z')
const opts = { colors: DEFAULT_COLORS, providerNames: { claude: 'Claude' } }
const T = { warning: 70, critical: 90 }
const render = (view: View) => renderers.prometheus(view, opts)

function entry(key: string, snapshot: CacheEntry['snapshot'], extra: Partial<CacheEntry> = {}): CacheEntry {
  return {
    v: 1,
    key,
    fingerprint: null,
    credentialStamp: null,
    snapshot,
    lastAttemptAt: snapshot?.fetchedAt ?? '2026-11-22T09:59:00Z',
    error: null,
    retryAt: null,
    cooldown: false,
    failures: 0,
    rateLimitStrikes: 0,
    ...extra,
  }
}

const account = (provider: string, id: string, label = id): Account => ({
  provider,
  id,
  label,
  key: `${provider}/${id}`,
  refreshSeconds: 300,
})

describe('prometheus renderer', () => {
  it('pace and forecast: projected percent and the run-out time, only where there is one', () => {
    const lines = render(demoView(NOW)).text.split('\n')
    const get = (name: string) => lines.filter((l) => l.startsWith(`${name}{`))
    expect(get('quotabar_window_projected_percent')).toContain(
      'quotabar_window_projected_percent{provider="claude",account="work",window="session"} 64.7',
    )
    // 10:32 for personal's 5h window; work's windows do not run out, so they have no series.
    expect(get('quotabar_window_exhausts_timestamp_seconds')).toContain(
      `quotabar_window_exhausts_timestamp_seconds{provider="claude",account="personal",window="session"} ${Date.parse('2026-11-22T10:32:00Z') / 1000}`,
    )
    expect(get('quotabar_window_exhausts_timestamp_seconds').some((l) => l.includes('account="work"'))).toBe(
      false,
    )
    expect(lines).toContain('# UNIT quotabar_window_projected_percent percent')
  })

  it('registers as a format that is not a bar format and that the fast path serves', () => {
    expect(BAR_FORMATS.has('prometheus')).toBe(false)
    expect(parseFast(['-f', 'prometheus'])?.format).toBe('prometheus')
    // --output needs the full CLI (and its atomic write): the fast parser hands it over.
    expect(parseFast(['-f', 'prometheus', '--output', '/tmp/x.prom'])).toBeNull()
    expect(parseFast(['--output=/tmp/x.prom'])).toBeNull()
  })

  it('golden: label values with quotes, backslashes and newlines are escaped; spend, tokens, balances', () => {
    const weird = account('openrouter', 'me', 'say "hi"\\path\nnext')
    const view: View = {
      generatedAt: NOW.toISOString(),
      thresholds: T,
      problem: null,
      accounts: [
        buildAccountView(
          weird,
          entry(weird.key, {
            fetchedAt: '2026-11-22T09:58:20Z',
            plan: 'Tier "1"\\\n\tx',
            email: 'secret@example.com',
            windows: [
              {
                id: 'monthly',
                label: 'Month',
                usedPercent: 112.5,
                resetsAt: '2026-12-01T00:00:00Z',
                windowSeconds: null,
              },
              // Already reset: shown as 0 until the next fetch, like every other format.
              {
                id: 'daily',
                label: 'Day',
                usedPercent: 80,
                resetsAt: '2026-11-22T00:00:00Z',
                windowSeconds: 86400,
              },
            ],
            spend: [
              {
                id: 'api',
                label: 'API',
                used: 12.345,
                limit: 50,
                currency: 'USD',
                period: 'month',
                tokens: 1234567,
                requests: 89,
                estimated: true,
              },
              { id: 'logs', label: 'Logs', used: 0.1 + 0.2, limit: null, currency: 'USD', period: 'day' },
            ],
            balances: [{ id: 'credits', label: 'Credits', amount: 4.5, currency: 'USD' }],
          }),
          NOW,
          T,
        ),
      ],
    }
    const out = render(view)
    expect(out.exitCode).toBe(0)
    expect(out.text).toBe(
      [
        '# HELP quotabar_accounts Number of accounts rendered.',
        '# TYPE quotabar_accounts gauge',
        'quotabar_accounts 1',
        '# HELP quotabar_account_info Account metadata; the value is always 1.',
        '# TYPE quotabar_account_info gauge',
        'quotabar_account_info{provider="openrouter",account="me",label="say \\"hi\\"\\\\path\\nnext",plan="Tier \\"1\\"\\\\\\n x"} 1',
        '# HELP quotabar_account_status Account status: 1 for the current one, 0 for the others.',
        '# TYPE quotabar_account_status gauge',
        'quotabar_account_status{provider="openrouter",account="me",status="ok"} 1',
        'quotabar_account_status{provider="openrouter",account="me",status="stale"} 0',
        'quotabar_account_status{provider="openrouter",account="me",status="cooldown"} 0',
        'quotabar_account_status{provider="openrouter",account="me",status="expired"} 0',
        'quotabar_account_status{provider="openrouter",account="me",status="error"} 0',
        'quotabar_account_status{provider="openrouter",account="me",status="pending"} 0',
        '# HELP quotabar_account_up Whether the last refresh succeeded and the data is fresh (status ok).',
        '# TYPE quotabar_account_up gauge',
        'quotabar_account_up{provider="openrouter",account="me"} 1',
        '# HELP quotabar_snapshot_age_seconds Age of the last good snapshot.',
        '# TYPE quotabar_snapshot_age_seconds gauge',
        '# UNIT quotabar_snapshot_age_seconds seconds',
        'quotabar_snapshot_age_seconds{provider="openrouter",account="me"} 100',
        '# HELP quotabar_snapshot_timestamp_seconds Unix time of the last good snapshot.',
        '# TYPE quotabar_snapshot_timestamp_seconds gauge',
        '# UNIT quotabar_snapshot_timestamp_seconds seconds',
        'quotabar_snapshot_timestamp_seconds{provider="openrouter",account="me"} 1795341500',
        '# HELP quotabar_window_used_ratio Share of the quota window used, 0 to 1 (above 1 when the provider reports overage).',
        '# TYPE quotabar_window_used_ratio gauge',
        '# UNIT quotabar_window_used_ratio ratio',
        'quotabar_window_used_ratio{provider="openrouter",account="me",window="monthly"} 1.125',
        'quotabar_window_used_ratio{provider="openrouter",account="me",window="daily"} 0',
        '# HELP quotabar_window_resets_timestamp_seconds Unix time the window resets.',
        '# TYPE quotabar_window_resets_timestamp_seconds gauge',
        '# UNIT quotabar_window_resets_timestamp_seconds seconds',
        'quotabar_window_resets_timestamp_seconds{provider="openrouter",account="me",window="monthly"} 1796083200',
        'quotabar_window_resets_timestamp_seconds{provider="openrouter",account="me",window="daily"} 1795392000',
        '# HELP quotabar_window_length_seconds Length of the quota window.',
        '# TYPE quotabar_window_length_seconds gauge',
        '# UNIT quotabar_window_length_seconds seconds',
        'quotabar_window_length_seconds{provider="openrouter",account="me",window="daily"} 86400',
        '# HELP quotabar_window_elapsed_ratio Share of the quota window elapsed, 0 to 1.',
        '# TYPE quotabar_window_elapsed_ratio gauge',
        '# UNIT quotabar_window_elapsed_ratio ratio',
        'quotabar_window_elapsed_ratio{provider="openrouter",account="me",window="daily"} 0.417',
        '# HELP quotabar_window_pace_delta_ratio Used minus elapsed share of the window: above 0 it is used faster than an even pace.',
        '# TYPE quotabar_window_pace_delta_ratio gauge',
        '# UNIT quotabar_window_pace_delta_ratio ratio',
        'quotabar_window_pace_delta_ratio{provider="openrouter",account="me",window="daily"} -0.417',
        '# HELP quotabar_spend_amount Money spent in the period, in major units of the currency.',
        '# TYPE quotabar_spend_amount gauge',
        'quotabar_spend_amount{provider="openrouter",account="me",meter="api",period="month",currency="USD"} 12.345',
        'quotabar_spend_amount{provider="openrouter",account="me",meter="logs",period="day",currency="USD"} 0.3',
        '# HELP quotabar_spend_limit_amount Spend limit or budget for the period, in major units.',
        '# TYPE quotabar_spend_limit_amount gauge',
        'quotabar_spend_limit_amount{provider="openrouter",account="me",meter="api",period="month",currency="USD"} 50',
        '# HELP quotabar_spend_tokens Tokens behind the spend in the period.',
        '# TYPE quotabar_spend_tokens gauge',
        'quotabar_spend_tokens{provider="openrouter",account="me",meter="api",period="month",currency="USD"} 1234567',
        '# HELP quotabar_spend_requests Requests behind the spend in the period.',
        '# TYPE quotabar_spend_requests gauge',
        'quotabar_spend_requests{provider="openrouter",account="me",meter="api",period="month",currency="USD"} 89',
        '# HELP quotabar_balance_amount Prepaid balance left, in major units of the currency.',
        '# TYPE quotabar_balance_amount gauge',
        'quotabar_balance_amount{provider="openrouter",account="me",meter="credits",currency="USD"} 4.5',
        '# EOF',
      ].join('\n'),
    )
    expect(out.text).not.toContain('secret@example.com')
  })

  it('statuses: expired, cooldown with retry time, pending with no snapshot', () => {
    const a = account('claude', 'a')
    const b = account('claude', 'b')
    const c = account('codex', 'c')
    const snap = { fetchedAt: '2026-11-22T09:00:00Z', plan: null, email: null, windows: [], spend: [] }
    const auth = { kind: 'auth' as const, message: 'expired', fix: null, httpStatus: 401 }
    const limited = { kind: 'rate-limited' as const, message: '429', fix: null, httpStatus: 429 }
    const view: View = {
      generatedAt: NOW.toISOString(),
      thresholds: T,
      problem: null,
      accounts: [
        buildAccountView(a, entry(a.key, snap, { error: auth }), NOW, T),
        buildAccountView(
          b,
          entry(b.key, snap, { error: limited, cooldown: true, retryAt: '2026-11-22T10:05:00Z' }),
          NOW,
          T,
        ),
        buildAccountView(c, null, NOW, T),
      ],
    }
    const lines = render(view).text.split('\n')
    const value = (prefix: string) =>
      lines
        .find((l) => l.startsWith(prefix))
        ?.split(' ')
        .pop()
    expect(value('quotabar_account_status{provider="claude",account="a",status="expired"}')).toBe('1')
    expect(value('quotabar_account_status{provider="claude",account="b",status="cooldown"}')).toBe('1')
    expect(value('quotabar_account_status{provider="codex",account="c",status="pending"}')).toBe('1')
    expect(value('quotabar_account_up{provider="claude",account="a"}')).toBe('0')
    expect(value('quotabar_retry_timestamp_seconds{provider="claude",account="b"}')).toBe('1795341900')
    // No snapshot, no age: an absent series, never a made-up 0.
    expect(lines.some((l) => l.startsWith('quotabar_snapshot_age_seconds{provider="codex"'))).toBe(false)
    expect(lines.filter((l) => l.startsWith('quotabar_account_status{')).length).toBe(18)
  })

  it('a problem view still yields valid text with the reason, and # EOF last', () => {
    const out = render({
      generatedAt: NOW.toISOString(),
      thresholds: T,
      accounts: [],
      problem: {
        kind: 'config',
        message: 'config.json: accounts[0].provider: must be "x"',
        fix: null,
        httpStatus: null,
      },
    })
    expect(out).toEqual({
      text: [
        '# HELP quotabar_accounts Number of accounts rendered.',
        '# TYPE quotabar_accounts gauge',
        'quotabar_accounts 0',
        '# HELP quotabar_problem Set when nothing can be shown (no accounts, or a config that cannot be read).',
        '# TYPE quotabar_problem gauge',
        'quotabar_problem{kind="config",message="config.json: accounts[0].provider: must be \\"x\\""} 1',
        '# EOF',
      ].join('\n'),
      exitCode: 0,
    })
  })

  it('the same window id twice is one series (a duplicate fails a whole scrape)', () => {
    const a = account('claude', 'a')
    const w = { id: 'weekly', label: '7d', usedPercent: 10, resetsAt: null, windowSeconds: null }
    const snap = {
      fetchedAt: '2026-11-22T09:59:00Z',
      plan: null,
      email: null,
      windows: [w, { ...w, usedPercent: 20 }],
      spend: [],
    }
    const text = render({
      generatedAt: NOW.toISOString(),
      thresholds: T,
      problem: null,
      accounts: [buildAccountView(a, entry(a.key, snap), NOW, T)],
    }).text
    expect(text.match(/^quotabar_window_used_ratio\{/gm)).toHaveLength(1)
  })

  it('values and labels: float noise trimmed, specials spelled as OpenMetrics wants', () => {
    expect(formatValue(0.14300000000000002)).toBe('0.143')
    expect(formatValue(1795341600)).toBe('1795341600')
    expect(formatValue(Number.NaN)).toBe('NaN')
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('+Inf')
    expect(formatValue(-0.5)).toBe('-0.5')
    expect(escapeLabel('a\\b"c\nd\re\u0007')).toBe('a\\\\b\\"c\\nd e ')
  })

  it('demo view: one family per block, every sample line well-formed', () => {
    const text = render(demoView(NOW)).text
    const lines = text.split('\n')
    expect(lines.at(-1)).toBe('# EOF')
    const sample = /^[a-z_]+(\{([a-z_]+="([^"\\\n]|\\.)*",?)*\})? -?[0-9.e+]+$/
    for (const l of lines) if (!l.startsWith('#')) expect(l).toMatch(sample)
    const types = lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2])
    expect(new Set(types).size).toBe(types.length)
    expect(text).toContain(
      'quotabar_window_used_ratio{provider="claude",account="work",window="weekly:fable"} 0.32',
    )
  })
})
