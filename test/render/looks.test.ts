import { describe, expect, it } from 'vitest'
import { emptyEntry } from '../../src/cache/store.js'
import { parseConfigText } from '../../src/config/load.js'
import { demoView } from '../../src/demo.js'
import type { CacheEntry, UsageSnapshot } from '../../src/model.js'
import { descriptors } from '../../src/providers/descriptors.js'
import type { ProviderDescriptor } from '../../src/providers/types.js'
import { renderers } from '../../src/render/index.js'
import { DEFAULT_COLORS, textOn } from '../../src/render/palette.js'
import { shortLabels } from '../../src/render/summary.js'
import { parseTemplate, type Template } from '../../src/render/template.js'
import { breakDetail, LINE_MAX, renderTooltip } from '../../src/render/tooltip.js'
import type { RenderOptions } from '../../src/render/types.js'
import { buildAccountView, type View } from '../../src/view.js'

const NOW = new Date('2026-11-22T10:00:00Z')
const T = { warning: 70, critical: 90 }
const providerNames = Object.fromEntries(Object.values(descriptors).map((d) => [d.id, d.name]))
const glyphs = (d: ProviderDescriptor) => d.icons ?? { nerd: '', emoji: '' }
const providerIcons = Object.fromEntries(Object.values(descriptors).map((d) => [d.id, glyphs(d)]))
const opts: RenderOptions = { colors: DEFAULT_COLORS, providerNames, providerIcons }
const demo = demoView(NOW)
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString()
const H = 3600_000

function template(text: string): Template {
  const parsed = parseTemplate(text)
  if (!parsed.ok) throw new Error(parsed.message)
  return parsed.template
}

const withText = (text: string): RenderOptions => ({
  ...opts,
  text: { override: template(text), global: null, byAccount: {} },
})

function account(
  provider: string,
  id: string,
  snap: Partial<UsageSnapshot>,
  entry: Partial<CacheEntry> = {},
  window = 'auto',
) {
  const snapshot: UsageSnapshot = {
    fetchedAt: NOW.toISOString(),
    plan: null,
    email: null,
    windows: [],
    spend: [],
    ...snap,
  }
  const full: CacheEntry = {
    ...emptyEntry(`${provider}/${id}`),
    snapshot,
    lastAttemptAt: NOW.toISOString(),
    ...entry,
  }
  const a = { provider, id, key: `${provider}/${id}`, label: id, refreshSeconds: 300 }
  return buildAccountView(a, full, NOW, T, window)
}

const viewOf = (accounts: View['accounts']): View => ({
  generatedAt: NOW.toISOString(),
  accounts,
  thresholds: T,
  problem: null,
})

const w = (id: string, label: string, usedPercent: number, resetMs: number | null = 2 * H) => ({
  id,
  label,
  usedPercent,
  resetsAt: resetMs === null ? null : at(resetMs),
  windowSeconds: 18_000,
})

/** The tooltip's grid rows as the reader sees them: markup gone, entities decoded. */
const visible = (line: string) =>
  line
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

describe('--text templates', () => {
  it.each([
    ['{label} {remaining} left', 'work 58% left · personal 24% left · client ~6% left'],
    [
      '{label}: {percent} of {window}, resets {countdown}',
      'work: 42% of 5h, resets 2h 14m · personal: 76% of 5h, resets 38m · client: ~94% of 5h, resets 1h 12m',
    ],
    ['{provider} {label} {status}', 'Claude work · Claude personal · Claude client cooldown'],
    ['{label} {reset}', 'work 12:14 · personal 10:38 · client 11:12'],
    ['{label} {spend}', 'work €7.63 · personal · client'],
    ['{{{label}}}', '{work} · {personal} · {client}'],
    // Pace through the driving window (− behind, + ahead) and the run-out countdown when on course.
    ['{label} {percent} {pace} {eta}', 'work 42% −13% · personal 76% −11% ≈32m · client ~94% +18% ≈36m'],
  ])('%s', (text, expected) => {
    expect(renderers.plain(demo, withText(text)).text).toBe(expected)
  })

  it('an empty placeholder leaves no double or trailing space', () => {
    expect(renderers.plain(demo, withText('{label}  {status}  {percent}')).text).toBe(
      'work 42% · personal 76% · client cooldown ~94%',
    )
  })

  it('unknown placeholders are an error that names every one', () => {
    const r = parseTemplate('{label} {precent} {lable}')
    expect(r).toEqual({
      ok: false,
      message: expect.stringContaining('unknown placeholders {precent}, {lable}'),
    })
    expect(parseTemplate('{label')).toEqual({ ok: false, message: expect.stringContaining('unclosed "{"') })
  })

  it('config format.text: global, per account (wins), and a typo named with its JSON path', () => {
    const ok = parseConfigText(
      JSON.stringify({
        accounts: [
          { provider: 'claude', id: 'work', format: { text: '{label}={remaining}' } },
          { provider: 'claude', id: 'home' },
        ],
        format: { text: '{label} {percent}' },
        icons: 'nerd',
      }),
      'config.json',
    )
    if (!ok.ok) throw new Error(ok.error.message)
    expect(ok.settings.icons).toBe('nerd')
    expect(ok.settings.text).toEqual({
      global: [{ p: 'label' }, ' ', { p: 'percent' }],
      byAccount: { 'claude/work': [{ p: 'label' }, '=', { p: 'remaining' }] },
    })
    const bad = parseConfigText(
      JSON.stringify({ accounts: [{ provider: 'claude', id: 'w', format: { text: '{label} {eta2}' } }] }),
      'config.json',
    )
    expect(bad.ok ? 'ok' : bad.error.message).toMatch(
      /accounts\[0\]\.format\.text: unknown placeholder \{eta2\}/,
    )
    const icons = parseConfigText(JSON.stringify({ icons: 'fancy' }), 'config.json')
    expect(icons.ok ? 'ok' : icons.error.message).toMatch(/icons: must be one of "none", "nerd", "emoji"/)
  })

  it('every format uses the template', () => {
    const o = withText('{label} {remaining}')
    expect(renderers.tmux(demo, o).text).toContain(' work 58% ')
    expect(renderers.polybar(demo, o).text).toContain('%{F#3a9d23}work 58%%{F-}')
    expect(renderers.i3blocks(demo, o).text.split('\n')[0]).toBe('work 58% · personal 24% · client ~6%')
    expect(JSON.parse(renderers.waybar(demo, o).text).text).toContain('>work 58%</span>')
  })
})

describe('icons', () => {
  it('none by default; nerd and emoji put the provider glyph first, and the state where colour cannot say it', () => {
    expect(renderers.plain(demo, opts).text).toBe('work 42% · personal 76% ≈32m · client ~94% ≈36m')
    expect(renderers.plain(demo, { ...opts, icons: 'emoji' }).text).toBe(
      '✳️ work 42% · ✳️ personal 76% ≈32m · ✳️⏳ client ~94% ≈36m',
    )
    expect(renderers.plain(demo, { ...opts, icons: 'nerd' }).text).toBe(
      '\u{f167a} work 42% · \u{f167a} personal 76% ≈32m · \u{f167a}\uf252 client ~94% ≈36m',
    )
  })

  it('tooltip headers carry the icon, and the level glyph at warning or worse', () => {
    const lines = renderTooltip(demo, { ...opts, icons: 'emoji' }).split('\n')
    expect(lines[0]).toMatch(/^<b>✳️ work<\/b> {2}<small>Claude/)
    expect(lines.find((l) => l.includes('personal'))).toMatch(/^<b>✳️ personal<\/b> ⚠️/)
  })

  it('every provider has its own glyph in both styles', () => {
    const list: ProviderDescriptor[] = Object.values(descriptors)
    expect(list.filter((d) => !d.icons).map((d) => d.id)).toEqual([])
    const nerd = list.map((d) => glyphs(d).nerd)
    const emoji = list.map((d) => glyphs(d).emoji)
    expect(new Set(nerd).size).toBe(nerd.length)
    expect(new Set(emoji).size).toBe(emoji.length)
  })
})

describe('the tooltip grid', () => {
  const claude = account('claude', 'work', {
    plan: 'Max 5x',
    windows: [w('session', '5h', 42), w('weekly', '7d', 18, 4 * 24 * H)],
    spend: [
      { id: 'api', label: 'API-equivalent', used: 0, limit: null, currency: 'USD', period: 'day', tokens: 0 },
      { id: 'x', label: 'Extra usage', used: 7.63, limit: 40, currency: 'EUR', period: 'month' },
    ],
  })
  const gemini = account('gemini', 'me', {
    windows: [w('model:pro', 'gemini-2.5-pro', 91, 5 * H), w('model:flash', 'flash', 3, 5 * H)],
  })
  const router = account('openrouter', 'key', {
    spend: [
      { id: 'm', label: 'Spend', used: 12.4, limit: null, currency: 'USD', period: 'month', tokens: 1200 },
    ],
    balances: [{ id: 'b', label: 'Credits', amount: 8, currency: 'USD' }],
  })
  const tip = renderTooltip(viewOf([claude, gemini, router]), opts)
  const rows = tip.split('\n').filter((l) => l.startsWith('<tt>'))

  it('bars of every account start in one column, and percentages end in one', () => {
    const meters = rows.map(visible).filter((l) => /[█░]/.test(l))
    expect(meters).toHaveLength(5)
    const starts = new Set(meters.map((l) => l.search(/[█░│]/)))
    const ends = new Set(meters.map((l) => l.search(/%/)))
    expect(starts.size).toBe(1)
    expect(ends.size).toBe(1)
    // Labels padded to the widest one in the whole tooltip (gemini-2.5-pro), not per account.
    expect([...starts][0]).toBe(' gemini-2.5-pro  '.length)
  })

  it('bars take their level colour; the provider is named in each header', () => {
    // 91 % of 24 cells: 22 in red; 42 %: 10 in green (the pace mark at the start takes cell 0).
    expect(rows.find((r) => r.includes('gemini-2.5-pro'))).toContain(
      `│<span foreground="${DEFAULT_COLORS.critical}">${'█'.repeat(21)}</span>`,
    )
    expect(rows.find((r) => r.includes(' 5h'))).toContain(
      `<span foreground="${DEFAULT_COLORS.ok}">${'█'.repeat(10)}</span>`,
    )
    const headers = tip.split('\n').filter((l) => l.startsWith('<b>'))
    expect(headers.map((h) => visible(h).split('  ')[1]?.split(' · ')[0])).toEqual([
      'Claude',
      'Gemini',
      'OpenRouter',
    ])
  })

  it('lines that carry nothing are left out; money without a limit is a text row', () => {
    expect(tip).not.toContain('API-equivalent')
    expect(rows.map(visible)).toContain(' Spend           $12.40 this month · 1.2k tokens')
    expect(rows.map(visible)).toContain(' Credits         $8.00 left')
    // Too long for one tooltip line (LINE_MAX): the period goes on the row below, in the meter's column.
    const extra = rows
      .map(visible)
      .indexOf(` Extra usage     ${'█'.repeat(5)}${'░'.repeat(19)}  19%  €7.63 of €40.00`)
    expect(extra).toBeGreaterThan(-1)
    expect(visible(rows[extra + 1] ?? '')).toBe(`${' '.repeat(17)}this month`)
  })

  it('a problem is one short line; the long reason and the fix are wrapped on their own lines', () => {
    const message = `HTTP 503 from https://example.test/usage: ${'upstream unavailable '.repeat(8).trim()}`
    const broken = account(
      'codex',
      'ci',
      { windows: [w('session', '5h', 20)] },
      {
        snapshot: {
          fetchedAt: at(-3 * H),
          plan: null,
          email: null,
          windows: [w('session', '5h', 20)],
          spend: [],
        },
        error: { kind: 'http', message, fix: 'nothing to do: quotabar retries on its own', httpStatus: 503 },
        retryAt: at(10 * 60_000),
      },
    )
    const lines = renderTooltip(viewOf([broken]), opts).split('\n')
    expect(visible(lines[2] ?? '')).toBe('stale · next try in 10m · updated 3h ago')
    const reason = lines.slice(3).map(visible)
    expect(reason.join(' ')).toBe(`${message} nothing to do: quotabar retries on its own`)
    for (const l of reason) expect(l.length).toBeLessThanOrEqual(72)
  })

  it('8 accounts or more: one row each, detail only for those at warning or worse', () => {
    const many = Array.from({ length: 9 }, (_, i) =>
      account('claude', `acct${i}`, {
        windows: [w('session', '5h', i === 4 ? 95 : 10 + i), w('weekly', '7d', 5, 3 * 24 * H)],
      }),
    )
    const lines = renderTooltip(viewOf(many), opts).split('\n')
    const compact = lines.filter((l) => l.startsWith('<tt> <b>'))
    expect(compact).toHaveLength(8)
    expect(visible(compact[0] ?? '')).toBe(
      ` acct0  ${'█'.repeat(2)}${'░'.repeat(22)}  10%  Claude · 5h resets in 2h`,
    )
    // One column past LINE_MAX: the last part on a row of its own, under the bar.
    expect(visible(lines[lines.indexOf(compact[0] ?? '') + 1] ?? '')).toBe(`${' '.repeat(8)}7d 5%`)
    // The critical one keeps its header and a row per window.
    expect(lines.filter((l) => l.startsWith('<b>acct4</b>'))).toHaveLength(1)
    expect(lines.length).toBeLessThan(9 * 4)
    // Compact rows and detail rows still share one bar column.
    const starts = new Set(
      lines.filter((l) => l.startsWith('<tt>') && /[█░]/.test(l)).map((l) => visible(l).search(/[█░│]/)),
    )
    expect(starts.size).toBe(1)
  })
})

describe('short text per bar', () => {
  it('i3bar short labels are the shortest unique prefixes', () => {
    expect(shortLabels(['work', 'personal', 'client'])).toEqual(['w', 'p', 'c'])
    expect(shortLabels(['work', 'web', 'w'])).toEqual(['wo', 'we', 'w'])
  })

  it('a pinned window is named in the text (work 5h 42%); auto is not', () => {
    const pinned = account(
      'claude',
      'work',
      { windows: [w('session', '5h', 42), w('weekly', '7d', 80)] },
      {},
      'session',
    )
    const auto = account('claude', 'home', { windows: [w('session', '5h', 42), w('weekly', '7d', 18)] })
    expect(renderers.plain(viewOf([pinned, auto]), opts).text).toBe('work 5h 42% · home 42%')
  })

  it('tmux chips keep readable text on every palette colour', () => {
    expect(textOn('#3a9d23')).toBe('#000000')
    expect(textOn('#e07000')).toBe('#000000')
    expect(textOn('#d00000')).toBe('#ffffff')
    expect(textOn('#1e1e2e')).toBe('#ffffff')
  })

  it('config colors reach every format', () => {
    const colors = { ...DEFAULT_COLORS, critical: '#ff00aa' }
    const o = { ...opts, colors }
    expect(renderers.polybar(demo, o).text).toContain('%{F#ff00aa}client')
    expect(renderers.tmux(demo, o).text).toContain('bg=#ff00aa] client')
    expect(renderers.i3blocks(demo, o).text.split('\n')[2]).toBe('#ff00aa')
    const waybar = JSON.parse(renderers.waybar(demo, o).text)
    expect(waybar.text).toContain('<span foreground="#ff00aa">client')
    expect(waybar.tooltip).toContain('<span foreground="#ff00aa">███')
  })
})

describe('every tooltip row fits on one GTK line', () => {
  // Waybar's tooltip (a GTK label) wraps at 70 columns, measured under the real Waybar with the
  // harness: a grid row past it is torn in two. LINE_MAX keeps a margin for other fonts.
  // Grid rows are monospace (<tt>); headers and problem lines are smaller proportional text.
  const widest = (tip: string) =>
    Math.max(
      ...tip
        .split('\n')
        .filter((l) => l.startsWith('<tt>'))
        .map((l) => [...visible(l)].length),
    )

  it('the demo, every format of window, and 8+ accounts in compact rows', () => {
    expect(widest(renderTooltip(demoView(NOW), opts))).toBeLessThanOrEqual(LINE_MAX)
    expect(widest(renderTooltip(demoView(NOW, 'weekly'), opts))).toBeLessThanOrEqual(LINE_MAX)
    const many = Array.from({ length: 9 }, (_, i) =>
      account('claude', `a-rather-long-account-label-${i}`, {
        windows: [w('session', '5h', 10 + i), w('weekly', '7d', 5, 3 * 24 * H)],
      }),
    )
    expect(widest(renderTooltip(viewOf(many), opts))).toBeLessThanOrEqual(LINE_MAX)
  })

  it('a long label, a long model name and money with counts break between their parts', () => {
    const long = account('gemini', 'me', {
      windows: [w('model:x', 'gemini-2.5-flash-lite-preview-09-2025', 40, 5 * H)],
      spend: [
        {
          id: 'm',
          label: 'Spend',
          used: 1234.5,
          limit: 5000,
          currency: 'USD',
          period: 'month',
          tokens: 12_345_678,
          requests: 98_765,
        },
      ],
    })
    const tip = renderTooltip(viewOf([long]), opts)
    expect(widest(tip)).toBeLessThanOrEqual(LINE_MAX)
    // Nothing is lost: every part of the money row is still there, in order.
    const text = tip.split('\n').map(visible).join(' ').replace(/ · /g, ' ').replace(/\s+/g, ' ')
    expect(text).toContain('$1,234.50 of $5,000.00 this month 12.3M tokens 98.8k requests')
  })
})

describe('breakDetail', () => {
  const parts = (s: string) => s.split(/(?<= · |, )/)
  it('keeps a text that fits whole', () => {
    expect(breakDetail(parts('resets in 2h · ≈65% at reset'), 40, 40)).toEqual([
      'resets in 2h · ≈65% at reset',
    ])
  })
  it('breaks after a separator, dropping a trailing ` · `', () => {
    expect(breakDetail(parts('resets in 2h 14m · ≈65% at reset'), 20, 50)).toEqual([
      'resets in 2h 14m',
      '≈65% at reset',
    ])
    expect(breakDetail(parts('runs out ≈Thu 05:34 (in 1d 14h), 15h 10m before reset'), 52, 40)).toEqual([
      'runs out ≈Thu 05:34 (in 1d 14h),',
      '15h 10m before reset',
    ])
  })
  it('an empty first line when not even a word fits there; words only inside a part too long for a line', () => {
    expect(breakDetail(parts('one two three four'), 2, 9)).toEqual(['', 'one two', 'three', 'four'])
    expect(breakDetail(['averyveryverylongword rest'], 5, 10)).toEqual(['', 'averyveryverylongword', 'rest'])
  })
})
