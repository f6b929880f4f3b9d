import { describe, expect, it } from 'vitest'
import { emptyEntry } from '../../src/cache/store.js'
import { demoView } from '../../src/demo.js'
import type { CacheEntry } from '../../src/model.js'
import { NO_PACE } from '../../src/pace.js'
import type { Account } from '../../src/providers/types.js'
import { formatDuration, formatMoney } from '../../src/render/format.js'
import { DEFAULT_COLORS } from '../../src/render/palette.js'
import { renderers } from '../../src/render/index.js'
import { buildAccountView, rollWindow, type View } from '../../src/view.js'

const NOW = new Date('2026-11-22T10:00:00Z')
const opts = { colors: DEFAULT_COLORS, providerNames: { claude: 'Claude' } }
const demo = demoView(NOW)
const [G, O, R, U] = [
  DEFAULT_COLORS.ok,
  DEFAULT_COLORS.warning,
  DEFAULT_COLORS.critical,
  DEFAULT_COLORS.unknown,
]
const span = (color: string, text: string) => `<span foreground="${color}">${text}</span>`
/** The tooltip as the reader sees it: markup gone. */
const visible = (tooltip: string) => tooltip.split('\n').map((l) => l.replace(/<[^>]+>/g, ''))

describe('golden output per format (demo accounts)', () => {
  it('plain', () => {
    expect(renderers.plain(demo, opts)).toEqual({
      text: 'work 42% · personal 76% ≈32m · client ~94% ≈36m',
      exitCode: 0,
    })
  })

  it('waybar: each segment in its level colour, state class first, one tooltip grid', () => {
    const out = renderers.waybar(demo, opts)
    expect(out.text).not.toContain('\n')
    const o = JSON.parse(out.text)
    expect(o.text).toBe(
      `${span(G, 'work 42%')} · ${span(O, 'personal 76% ≈32m')} · ${span(R, 'client ~94% ≈36m')}`,
    )
    // The class stays the worst level, for CSS.
    expect(o.class).toEqual(['critical', 'stale', 'cooldown', 'claude'])
    expect(o.percentage).toBe(94)
    expect(visible(o.tooltip)).toEqual([
      'work  Claude · Max 20x · dev@example.com · updated 2m ago',
      // GTK wraps a tooltip line past 70 columns: what would run past 66 goes on a row below.
      ' 5h           ██████████░░░│░░░░░░░░░░  42%  resets in 2h 14m',
      '              ≈65% at reset',
      ' 7d           ████░░░░░│░░░░░░░░░░░░░░  18%  resets in 4d 11h',
      '              ≈45% at reset',
      ' Fable        ████████░│░░░░░░░░░░░░░░  32%  resets in 4d 11h',
      '              ≈53% at reset',
      ' Extra usage  █████░░░░░░░░░░░░░░░░░░░  19%  €7.63 of €40.00',
      '              this month',
      '              ▁▁▁▁▁▁▁▁▁▂▃▅▆▁▂▂▃▃▄▅▆▁▂▄       5h · last 24h',
      '',
      'personal  Claude · Pro · me@example.org · updated 4m ago',
      ' 5h           ██████████████████░░░│░░  76%  resets in 38m',
      '              runs out ≈10:32 (in 32m), 6m before reset',
      ' 7d           ████████████████│░░░░░░░  65%  resets in 2d 6h',
      '              runs out ≈Tue 00:49 (in 1d 14h),',
      '              15h 10m before reset',
      '              ▅▆▇▁▁▁▁▁▁▁····▁▁▁▁▁▁▁▃▅▇       5h · last 24h',
      '',
      'client  Claude · Max 5x · contractor@example.net',
      ' 5h           ██████████████████│████░  94%  resets in 1h 12m',
      '              runs out ≈10:36 (in 36m), 36m before reset',
      ' 7d           █████████████████░░░│░░░  71%  resets in 1d 3h',
      '              runs out ≈Mon 12:12 (in 1d 2h), 47m before reset',
      '              ▄▅▆▆▁▁▁▁▁▁▁▁▁▁▁▂▃▃▄▅▆▇██       5h · last 24h',
      'cooldown · next try in 4m · updated 9m ago',
      'HTTP 429 from https://api.anthropic.com/api/oauth/usage: Rate limited.',
      'Please try again later.',
      'quotabar waits before asking again; polling less often avoids this',
    ])
    const lines = o.tooltip.split('\n')
    // Bars in their window's level colour, the pace mark in the text colour, a grey track.
    expect(lines[1]).toBe(
      `<tt> 5h           ${span(G, '█'.repeat(10))}${span(U, '░'.repeat(3))}│${span(U, '░'.repeat(10))}  42%  resets in 2h 14m</tt>`,
    )
    // On course to run out: warning at 65 % (thresholds.pace), red at 94 %.
    expect(lines[14]).toContain(span(O, '█'.repeat(16)))
    expect(lines[20]).toContain(span(R, '█'.repeat(18)))
    expect(lines[25]).toBe(
      `<small>${span('#c01c28', '<b>cooldown</b>')} · next try in 4m · updated 9m ago</small>`,
    )
  })

  it('i3blocks: three raw lines and exit 33 when critical', () => {
    expect(renderers.i3blocks(demo, opts)).toEqual({
      text: 'work 42% · personal 76% ≈32m · client ~94% ≈36m\nclient ~94% ≈36m\n#d00000',
      exitCode: 33,
    })
  })

  it('tmux: a chip per account (palette background, contrasting text), lower-case hex', () => {
    expect(renderers.tmux(demo, opts).text).toBe(
      '#[fg=#000000,bg=#3a9d23] work 42% #[default] #[fg=#000000,bg=#e07000] personal 76% ≈32m #[default] #[fg=#ffffff,bg=#d00000] client ~94% ≈36m #[default]',
    )
  })

  it('polybar: %{F#rrggbb} spans', () => {
    expect(renderers.polybar(demo, opts).text).toBe(
      '%{F#3a9d23}work 42%%{F-} · %{F#e07000}personal 76% ≈32m%{F-} · %{F#d00000}client ~94% ≈36m%{F-}',
    )
  })

  it('json: the documented document', () => {
    const doc = JSON.parse(renderers.json(demo, opts).text)
    expect(doc.schema).toBe('quotabar/v1')
    expect(doc.generatedAt).toBe(NOW.toISOString())
    expect(doc.accounts[0]).toMatchObject({
      key: 'claude/work',
      provider: 'claude',
      id: 'work',
      plan: 'Max 20x',
      status: 'ok',
      ageSeconds: 120,
      error: null,
      retryAt: null,
    })
    expect(doc.accounts[0].windows[0]).toEqual({
      id: 'session',
      label: '5h',
      usedPercent: 42,
      resetsAt: '2026-11-22T12:14:00.000Z',
      windowSeconds: 18000,
      // 2h 46m of 5h gone; 10 %/h from the fetch 2m ago to the reset: 42 + 0.3 + 22.3.
      elapsedPercent: 55.3,
      paceDelta: -13.3,
      projectedPercent: 64.7,
      exhaustsAt: null,
      burnPerHour: 10,
    })
    // 76 % fetched at 9:56 at 40 %/h: 100 % at 10:32, six minutes before the reset.
    expect(doc.accounts[1].windows[0]).toMatchObject({
      projectedPercent: 104,
      exhaustsAt: '2026-11-22T10:32:00.000Z',
    })
    expect(doc.accounts[1].spark).toHaveLength(24)
    expect(doc.accounts[1].spark).toContain(null)
    expect(doc.accounts[0].spend[0]).toEqual({
      id: 'extra',
      label: 'Extra usage',
      used: 7.63,
      limit: 40,
      currency: 'EUR',
      period: 'month',
    })
  })

  it('--window weekly drives the text from the weekly window, and the text names it', () => {
    expect(renderers.plain(demoView(NOW, 'weekly'), opts).text).toBe(
      'work 7d 18% · personal 7d 65% ≈1d 14h · client 7d ~71% ≈1d 2h',
    )
  })
})

describe('waybar percentage', () => {
  it('is clamped to 0–100 when the driving window is above 100 % (Copilot overage)', () => {
    const account: Account = {
      provider: 'copilot',
      id: 'me',
      key: 'copilot/me',
      label: 'me',
      refreshSeconds: 300,
    }
    const premium = {
      id: 'premium',
      label: 'Premium',
      usedPercent: 104.5,
      resetsAt: null,
      windowSeconds: null,
    }
    const entry: CacheEntry = {
      v: 1,
      key: account.key,
      fingerprint: null,
      credentialStamp: null,
      lastAttemptAt: NOW.toISOString(),
      error: null,
      retryAt: null,
      cooldown: false,
      failures: 0,
      rateLimitStrikes: 0,
      snapshot: { fetchedAt: NOW.toISOString(), plan: null, email: null, windows: [premium], spend: [] },
    }
    const a = buildAccountView(account, entry, NOW, { warning: 70, critical: 90 })
    expect(a.driver?.percent).toBe(104.5)
    const out = JSON.parse(renderers.waybar({ ...demo, accounts: [a] }, opts).text)
    expect(out.percentage).toBe(100)
    expect(out.class[0]).toBe('critical')
  })
})

describe('hostile provider text is sanitised for each bar', () => {
  const account: Account = {
    provider: 'claude',
    id: 'x',
    key: 'claude/x',
    label: 'a&b <i> #S %{F#f00}\nz',
    refreshSeconds: 300,
  }
  const entry: CacheEntry = {
    ...emptyEntry('claude/x'),
    lastAttemptAt: NOW.toISOString(),
    snapshot: {
      fetchedAt: NOW.toISOString(),
      plan: 'Pro <b>',
      email: null,
      windows: [
        { id: 'session', label: '5h & <more>', usedPercent: 10, resetsAt: null, windowSeconds: 18000 },
      ],
      spend: [],
    },
  }
  const view: View = {
    generatedAt: NOW.toISOString(),
    accounts: [buildAccountView(account, entry, NOW, { warning: 70, critical: 90 })],
    thresholds: { warning: 70, critical: 90 },
    problem: null,
  }
  it('waybar escapes Pango and keeps one line', () => {
    const o = JSON.parse(renderers.waybar(view, opts).text)
    expect(o.text).toBe(span(G, 'a&amp;b &lt;i&gt; #S %{F#f00} z 10%'))
    expect(o.tooltip).toContain('Pro &lt;b&gt;')
    expect(o.tooltip).toContain('5h &amp; &lt;more&gt;')
    expect(o.tooltip).not.toMatch(/<i>|<more>/)
  })
  it('tmux doubles every #', () => {
    expect(renderers.tmux(view, opts).text).toBe(
      '#[fg=#000000,bg=#3a9d23] a&b <i> ##S %{F##f00} z 10% #[default]',
    )
  })
  it('polybar breaks %{', () => {
    expect(renderers.polybar(view, opts).text).toBe('%{F#3a9d23}a&b <i> #S % {F#f00} z 10%%{F-}')
  })
  it('i3blocks has no newline inside a line', () => {
    expect(renderers.i3blocks(view, opts).text.split('\n')).toHaveLength(3)
  })
})

describe('render-time facts', () => {
  it('a window whose reset passed shows 0 % and rolls a fixed cadence forward', () => {
    const weekly = {
      id: 'weekly',
      label: '7d',
      usedPercent: 80,
      resetsAt: '2026-11-20T00:00:00.000Z',
      windowSeconds: 604800,
    }
    expect(rollWindow(weekly, NOW.getTime())).toEqual({
      ...weekly,
      usedPercent: 0,
      resetsAt: '2026-11-27T00:00:00.000Z',
      rolledOver: true,
      ...NO_PACE,
    })
    const session = {
      id: 'session',
      label: '5h',
      usedPercent: 99,
      resetsAt: '2026-11-22T09:00:00.000Z',
      windowSeconds: 18000,
    }
    expect(rollWindow(session, NOW.getTime())).toMatchObject({
      usedPercent: 0,
      resetsAt: null,
      rolledOver: true,
    })
  })

  it.each([
    [30, '<1m'],
    [60, '1m'],
    [3600 + 14 * 60, '1h 14m'],
    [7200, '2h'],
    [4 * 86400 + 11 * 3600 + 59, '4d 11h'],
  ])('formatDuration(%i) = %s', (s, text) => {
    expect(formatDuration(s)).toBe(text)
  })

  it.each([
    [7.63, 'EUR', '€7.63'],
    [1234.5, 'USD', '$1,234.50'],
    [1200, 'JPY', '¥1,200'],
    [3, 'CHF', '3.00 CHF'],
  ])('formatMoney(%d, %s) = %s', (n, c, text) => {
    expect(formatMoney(n, c)).toBe(text)
  })
})

describe('problems still give one valid line', () => {
  const view: View = {
    generatedAt: NOW.toISOString(),
    accounts: [],
    thresholds: { warning: 70, critical: 90 },
    problem: {
      kind: 'config',
      message: 'config.json: accounts[0].provider: bad & <wrong>',
      fix: 'edit it',
      httpStatus: null,
    },
  }
  it('waybar: class error with the reason and fix in the tooltip', () => {
    const o = JSON.parse(renderers.waybar(view, opts).text)
    expect(o).toEqual({
      text: 'quotabar: config error',
      alt: 'error',
      tooltip: '<b>config.json: accounts[0].provider: bad &amp; &lt;wrong&gt;</b>\nedit it',
      class: ['error'],
      percentage: 0,
    })
  })
  it('i3blocks exits 0 with the error colour', () => {
    expect(renderers.i3blocks(view, opts)).toEqual({
      text: 'quotabar: config error\nquotabar: config error\n#c01c28',
      exitCode: 0,
    })
  })
})

describe('spend and balance lines', () => {
  it('counts, estimates and blocks', async () => {
    const { formatSpend } = await import('../../src/render/format.js')
    expect(
      formatSpend({
        id: 'today',
        label: 'Today',
        used: 3.456,
        limit: null,
        currency: 'USD',
        period: 'day',
        tokens: 1_234_567,
        requests: 42,
        estimated: true,
      }),
    ).toBe('~$3.46 today · 1.2M tokens · 42 requests')
    expect(
      formatSpend({ id: 'b', label: 'Block', used: 0.5, limit: 2, currency: 'USD', period: 'block' }),
    ).toBe('$0.50 of $2.00 this 5h block (25%)')
  })
})

describe('budgets', () => {
  it('become the limit of the matching spend meter and drive the level; other currencies untouched', async () => {
    const { applyBudget } = await import('../../src/view.js')
    const spend = [
      { id: 'month', label: 'This month', used: 180, limit: null, currency: 'USD', period: 'month' as const },
      { id: 'today', label: 'Today', used: 12, limit: null, currency: 'USD', period: 'day' as const },
      { id: 'eur', label: 'EUR', used: 5, limit: null, currency: 'EUR', period: 'month' as const },
    ]
    const out = applyBudget(spend, { amount: 200, currency: 'USD', period: 'month' })
    expect(out.map((s) => s.limit)).toEqual([200, null, null])
    const account: Account = {
      provider: 'claude',
      id: 'api',
      key: 'claude/api',
      label: 'api',
      refreshSeconds: 300,
      budget: { amount: 200, currency: 'USD', period: 'month' },
    }
    const entry: CacheEntry = {
      ...emptyEntry('claude/api'),
      lastAttemptAt: NOW.toISOString(),
      snapshot: { fetchedAt: NOW.toISOString(), plan: null, email: null, windows: [], spend },
    }
    const v = buildAccountView(account, entry, NOW, { warning: 70, critical: 90 })
    expect([v.driver?.id, v.driver?.percent, v.level]).toEqual(['month', 90, 'critical'])
    expect(renderers.plain({ ...demo, accounts: [v] }, opts).text).toBe('api 90%')
  })
})

describe('money-only accounts', () => {
  const base: CacheEntry = {
    ...emptyEntry('openrouter/me'),
    lastAttemptAt: NOW.toISOString(),
    snapshot: null,
  }
  const view = (snapshot: CacheEntry['snapshot']) => {
    const account: Account = {
      provider: 'openrouter',
      id: 'me',
      key: 'openrouter/me',
      label: 'me',
      refreshSeconds: 300,
    }
    return buildAccountView(account, { ...base, snapshot }, NOW, { warning: 70, critical: 90 })
  }
  const snap = { fetchedAt: NOW.toISOString(), plan: null, email: null, windows: [] }
  it('show this month’s spend, or the balance left, in the ok colour', () => {
    const spent = view({
      ...snap,
      spend: [
        { id: 'day', label: 'Spend', used: 1, limit: null, currency: 'USD', period: 'day' },
        { id: 'month', label: 'Spend', used: 12.4, limit: null, currency: 'USD', period: 'month' },
      ],
    })
    const left = view({
      ...snap,
      spend: [],
      balances: [{ id: 'cny', label: 'Balance', amount: 88.5, currency: 'CNY' }],
    })
    const v: View = { ...demo, accounts: [spent, left] }
    expect(renderers.plain(v, opts).text).toBe('me $12.40 · me ¥88.50 left')
    expect(renderers.tmux(v, opts).text).toBe(
      '#[fg=#000000,bg=#3a9d23] me $12.40 #[default] #[fg=#000000,bg=#3a9d23] me ¥88.50 left #[default]',
    )
    expect(JSON.parse(renderers.waybar(v, opts).text).class[0]).toBe('ok')
  })
  it('a count balance (Codex reset credits): a whole count, its expiry in the tooltip and the json document', () => {
    const codex = view({
      ...snap,
      spend: [],
      balances: [
        {
          id: 'reset-credits',
          label: 'Reset credits',
          amount: 2,
          currency: 'resets',
          expiresAt: '2026-12-10T00:00:00.000Z',
        },
        { id: 'balance:cny', label: 'Balance', amount: 88.5, currency: 'CNY', expiresAt: null },
      ],
    })
    const v: View = { ...demo, accounts: [codex] }
    const tooltip = JSON.parse(renderers.waybar(v, opts).text).tooltip.split('\n')
    expect(tooltip).toContain('<tt> Reset credits  2 resets left · expires in 17d 14h</tt>')
    expect(tooltip).toContain('<tt> Balance        ¥88.50 left</tt>')
    const doc = JSON.parse(renderers.json(v, opts).text)
    expect(doc.accounts[0].balances[0]).toEqual({
      id: 'reset-credits',
      label: 'Reset credits',
      amount: 2,
      currency: 'resets',
      expiresAt: '2026-12-10T00:00:00.000Z',
    })
    expect(renderers.plain(v, opts).text).toBe('me 2 resets left')
  })
  it('notes of what was left out show in the tooltip, the json document and nowhere in the bar text', () => {
    const note = 'window left out (five_hour.utilization: expected number, received <string>)'
    const noted = view({
      ...snap,
      spend: [{ id: 'month', label: 'Spend', used: 12.4, limit: null, currency: 'USD', period: 'month' }],
      notes: [note],
    })
    const v: View = { ...demo, accounts: [noted, view({ ...snap, spend: [] })] }
    const tooltip = JSON.parse(renderers.waybar(v, opts).text).tooltip.split('\n')
    // A small note under the account, wrapped like every long reason.
    const small = tooltip.slice(0, tooltip.indexOf('')).filter((l: string) => l.startsWith('<small>'))
    expect(small.map((l: string) => l.replace(/<\/?small>/g, '')).join(' ')).toBe(
      'window left out (five_hour.utilization: expected number, received &lt;string&gt;)',
    )
    const doc = JSON.parse(renderers.json(v, opts).text)
    expect(doc.accounts.map((a: { notes: string[] }) => a.notes)).toEqual([[note], []])
    expect(renderers.plain(v, opts).text).not.toContain('left out')
  })
  it('negative amounts put the sign first', () => {
    expect(formatMoney(-1.25, 'USD')).toBe('-$1.25')
    expect(formatMoney(-0.001, 'USD')).toBe('$0.00')
  })
})
