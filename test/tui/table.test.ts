import { describe, expect, it } from 'vitest'
import type { CacheEntry, UsageSnapshot } from '../../src/model.js'
import type { Account } from '../../src/providers/types.js'
import { renderTable, type TableOptions } from '../../src/tui/table.js'
import { finish, styleFor, truncate, visibleWidth } from '../../src/tui/term.js'
import { buildAccountView } from '../../src/view.js'

const NOW = new Date('2026-11-22T10:00:00Z')
const at = (s: number) => new Date(NOW.getTime() + s * 1000).toISOString()
const T = { warning: 70, critical: 90 }

function view(
  id: string,
  snap: Partial<UsageSnapshot> | null,
  extra: Partial<CacheEntry> = {},
  provider = 'claude',
  now = NOW,
) {
  const account: Account = { provider, id, key: `${provider}/${id}`, label: id, refreshSeconds: 300 }
  const snapshot: UsageSnapshot | null = snap
    ? { fetchedAt: at(-120), plan: null, email: null, windows: [], spend: [], ...snap }
    : null
  const entry: CacheEntry = {
    v: 1,
    key: account.key,
    fingerprint: null,
    credentialStamp: null,
    snapshot,
    lastAttemptAt: at(-120),
    error: null,
    retryAt: null,
    cooldown: false,
    failures: 0,
    rateLimitStrikes: 0,
    ...extra,
  }
  return buildAccountView(account, entry, now, T)
}

const w = (id: string, label: string, used: number, resetS: number | null) => ({
  id,
  label,
  usedPercent: used,
  resetsAt: resetS === null ? null : at(resetS),
  windowSeconds: id === 'session' ? 18_000 : 604_800,
})

const views = [
  {
    ...view('personal', {
      plan: 'Max 5x',
      windows: [w('session', '5h', 30, 2 * 3600), w('weekly', '7d', 85, 46 * 3600)],
    }),
    active: true,
  },
  {
    ...view('work', {
      plan: 'Pro',
      windows: [
        w('session', '5h', 90, 300),
        w('weekly', '7d', 40, 118 * 3600),
        w('weekly:opus', 'Opus', 12, 118 * 3600),
      ],
      spend: [{ id: 'extra', label: 'Extra', used: 7.63, limit: 40, currency: 'EUR', period: 'month' }],
    }),
    best: true,
  },
  view('old', null, {
    error: { kind: 'auth', message: 'Claude login expired', fix: 'run `claude`', httpStatus: null },
    retryAt: at(300),
  }),
  view('gh', { plan: 'Pro', windows: [w('premium', 'Premium', 42, 9 * 86400)] }, {}, 'copilot'),
]

const opts = (o: Partial<TableOptions> = {}): TableOptions => ({
  nowMs: NOW.getTime(),
  style: { color: false, unicode: true },
  thresholds: T,
  providerNames: { claude: 'Claude', copilot: 'Copilot' },
  width: null,
  title: { left: ' quotabar · 4 accounts', right: 'last refresh 2m ago' },
  ...o,
})

describe('renderTable', () => {
  it('golden: no colour, no width limit', () => {
    expect(renderTable(views, opts())).toEqual([
      ' quotabar · 4 accounts                                                                                       last refresh 2m ago',
      '#   Account     Provider  Plan    5h                  7d                      Other                                 Status   Age',
      ' 1  personal *  Claude    Max 5x   30% ███░░░░░░░ 2h   85% █████████░ 1d 22h                                        ok       2m',
      '>2  work        Claude    Pro      90% █████████░ 5m   40% ████░░░░░░ 4d 22h  Opus 12% 4d 22h · Extra €7.63/€40.00  ok       2m',
      ' 3  old         Claude    —          —                   —                                                          expired  —',
      ' 4  gh          Copilot   Pro        —                   —                    Premium 42% 9d                        ok       2m',
      '',
      '3 old: Claude login expired — run `claude`',
      '* active login (a new session of its CLI uses it)   > most headroom now (quotabar best)',
    ])
  })

  it.each([120, 100, 80, 60])('fits %d columns by dropping the least useful columns', (width) => {
    const lines = renderTable(views, opts({ width }))
    for (const l of lines) expect(visibleWidth(l)).toBeLessThanOrEqual(width)
    expect(lines[2]).toContain('personal *')
    expect(lines[3]).toMatch(/^>2 {2}work/)
    expect(lines[3]).toContain('90%')
  })

  it('at 80 columns every account keeps every window and meter: Other moves under its row', () => {
    const lines = renderTable(views, opts({ width: 80 }))
    for (const l of lines) expect(visibleWidth(l)).toBeLessThanOrEqual(80)
    expect(lines.slice(1, 8)).toEqual([
      '#   Account     Provider  5h             7d                 Status   Age',
      ' 1  personal *  Claude     30% ██░░░ 2h   85% ████░ 1d 22h  ok       2m',
      '>2  work        Claude     90% █████ 5m   40% ██░░░ 4d 22h  ok       2m',
      '    Opus 12% 4d 22h · Extra €7.63/€40.00',
      ' 3  old         Claude       —              —               expired  —',
      ' 4  gh          Copilot      —              —               ok       2m',
      '    Premium 42% 9d',
    ])
  })

  it('at 200 columns nothing is cut', () => {
    const long = view('a-rather-long-account-label-of-40-chars', {
      windows: [
        w('session', '5h', 10, 3600),
        ...['Opus', 'Sonnet', 'Haiku'].map((m) => w(`weekly:${m}`, m, 5, 3600)),
      ],
    })
    const lines = renderTable([...views, long], opts({ width: 200 }))
    expect(lines.join('\n')).not.toContain('…')
    expect(lines.join('\n')).toContain('a-rather-long-account-label-of-40-chars')
    expect(lines.join('\n')).toContain('Haiku 5% 1h')
  })

  it('at 100 columns the Other column goes before the windows do', () => {
    const lines = renderTable(views, opts({ width: 100 }))
    expect(lines[1]).not.toContain('Other')
    expect(lines[1]).toContain('7d')
  })

  it('colour: level colours on percentages and bars, reset on every cell', () => {
    const lines = renderTable(views, opts({ style: { color: true, unicode: true } }))
    expect(lines[3]).toContain('\x1b[31m 90%\x1b[0m \x1b[31m█████████░\x1b[0m')
    expect(lines[2]).toContain('\x1b[33m 85%\x1b[0m')
    expect(lines[4]).toContain('\x1b[31mexpired\x1b[0m')
    expect(lines.join('\n').replace(/\x1b\[[0-9;]*m/g, '')).toBe(renderTable(views, opts()).join('\n'))
  })

  it('a window that reset since the fetch shows 0% and "reset" until the next fetch', () => {
    const later = new Date(NOW.getTime() + 600_000)
    const v = view(
      'work',
      { windows: [w('session', '5h', 90, 300), w('weekly', '7d', 40, 7200)] },
      {},
      'claude',
      later,
    )
    const out = renderTable([v], { ...opts(), nowMs: later.getTime() })
    expect(out[2]).toBe(
      ' 1  work     Claude    —       0% ░░░░░░░░░░ reset   40% ████░░░░░░ 1h 50m  stale   12m',
    )
  })
})

describe('terminal style', () => {
  it.each([
    [{}, true, { color: true, unicode: true }],
    [{}, false, { color: false, unicode: true }],
    [{ NO_COLOR: '1' }, true, { color: false, unicode: true }],
    [{ NO_COLOR: '' }, true, { color: true, unicode: true }],
    [{ TERM: 'dumb' }, true, { color: false, unicode: true }],
    [{ FORCE_COLOR: '1' }, false, { color: true, unicode: true }],
    [{ FORCE_COLOR: '0' }, false, { color: false, unicode: true }],
    [{ LANG: 'C' }, true, { color: true, unicode: false }],
    [{ LANG: 'en_US.UTF-8' }, true, { color: true, unicode: true }],
    [{ LANG: 'en_US.UTF-8', LC_ALL: 'POSIX' }, true, { color: true, unicode: false }],
  ])('%o on a terminal: %s → %o', (env, tty, want) => {
    expect(styleFor(env, tty)).toEqual(want)
  })

  it('ASCII stand-ins keep every column one wide', () => {
    const lines = renderTable(views, opts())
    const ascii = lines.map((l) => finish({ color: false, unicode: false }, l))
    expect(ascii[3]).toContain(' 90% #########. 5m')
    for (const [i, l] of ascii.entries()) {
      expect(l).toMatch(/^[\x20-\x7e€]*$/)
      expect(visibleWidth(l)).toBe(visibleWidth(lines[i] ?? ''))
    }
  })

  it('wide characters count two columns; truncation respects them', () => {
    expect(visibleWidth('日本語')).toBe(6)
    expect(visibleWidth('\x1b[31mab\x1b[0m')).toBe(2)
    expect(truncate('日本語テキスト', 7)).toBe('日本語…')
    expect(truncate('short', 7)).toBe('short')
  })
})
