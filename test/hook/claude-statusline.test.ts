import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { accountsForDir, hookConfigDir, isNews } from '../../src/hook/claude-cache.js'
import { parseStatuslineInput, toIsoTime } from '../../src/hook/claude-input.js'
import { formatStatusline, wantsColor } from '../../src/hook/claude-line.js'
import type { Account } from '../../src/providers/types.js'
import { rollWindow } from '../../src/view.js'

const T = { warning: 70, critical: 90 }
const NOW = Date.parse('2026-11-22T10:00:00Z')

describe('claude-statusline input', () => {
  it.each([
    [1795349640, '2026-11-22T12:14:00.000Z'],
    ['1795349640', '2026-11-22T12:14:00.000Z'],
    [1795349640123, '2026-11-22T12:14:00.123Z'],
    ['2026-11-22T12:14:00.000100+00:00', '2026-11-22T12:14:00.000Z'],
    ['2026-11-22T13:14:00+01:00', '2026-11-22T12:14:00.000Z'],
    ['soon', null],
    [0, null],
    [-5, null],
    ['', null],
  ])('resets_at %j → %j', (raw, iso) => {
    expect(toIsoTime(raw)).toBe(iso)
  })

  it('reads each window on its own; junk in one leaves the other', () => {
    const parsed = parseStatuslineInput(
      JSON.stringify({
        model: { id: 'claude-x', display_name: '  ' },
        rate_limits: {
          five_hour: { used_percentage: 'lots', resets_at: 1 },
          seven_day: { used_percentage: 120 },
        },
      }),
    )
    expect(parsed).toEqual({
      model: 'claude-x',
      windows: [{ id: 'weekly', label: '7d', usedPercent: 100, resetsAt: null, windowSeconds: 604800 }],
    })
    expect(parseStatuslineInput('{"rate_limits": [1, 2]}')).toEqual({ model: null, windows: [] })
    expect(parseStatuslineInput('{"__proto__": {"model": {"id": "x"}}}')).toEqual({
      model: null,
      windows: [],
    })
  })
})

/** The zod schemas the input had, kept as the rule the hand checks follow. */
const numeric = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
])
const limitSchema = z.object({
  used_percentage: numeric,
  resets_at: z.union([z.number(), z.string()]).nullish(),
})
const modelSchema = z.object({ id: z.string().nullish(), display_name: z.string().nullish() })

describe('claude-statusline input, checked by hand as the zod schemas did', () => {
  const limits: unknown[] = [
    { used_percentage: 42, resets_at: 1795349640 },
    { used_percentage: '42.5', resets_at: '2026-11-22T12:14:00Z' },
    { used_percentage: '-3' },
    { used_percentage: 0, resets_at: null, extra: true },
    { used_percentage: '1'.repeat(400) },
    { used_percentage: '4e1' },
    { used_percentage: ' 42' },
    { used_percentage: '42.' },
    { used_percentage: null },
    { used_percentage: true },
    { used_percentage: [42] },
    {},
    { used_percentage: 42, resets_at: true },
    { used_percentage: 42, resets_at: {} },
    { used_percentage: 42, resets_at: [1] },
    [{ used_percentage: 42 }],
    42,
    'full',
    null,
  ]
  it.each(limits.map((l) => [JSON.stringify(l), l]))('a window %s', (_, limit) => {
    const parsed = limitSchema.safeParse(limit)
    const ok = parsed.success && Number.isFinite(parsed.data.used_percentage)
    const got = parseStatuslineInput(JSON.stringify({ rate_limits: { five_hour: limit } })).windows
    expect(got.length).toBe(ok ? 1 : 0)
    if (parsed.success && ok)
      expect(got[0]?.usedPercent).toBe(Math.min(100, Math.max(0, parsed.data.used_percentage)))
  })

  const models: unknown[] = [
    { id: 'claude-opus-4-1', display_name: 'Opus 4.1' },
    { id: 'claude-x', display_name: ' ' },
    { id: ' claude-x ' },
    { display_name: null, id: null },
    {},
    { id: 42, display_name: 'Opus' },
    { id: 'x', display_name: ['Opus'] },
    ['Opus'],
    'Opus',
    null,
  ]
  it.each(models.map((m) => [JSON.stringify(m), m]))('a model %s', (_, model) => {
    const parsed = modelSchema.safeParse(model)
    const want = parsed.success ? parsed.data.display_name?.trim() || parsed.data.id?.trim() || null : null
    expect(parseStatuslineInput(JSON.stringify({ model })).model).toBe(want)
  })
})

describe('claude-statusline line', () => {
  const w = (id: string, label: string, usedPercent: number, resetsAt: string | null) =>
    rollWindow({ id, label, usedPercent, resetsAt, windowSeconds: id === 'session' ? 18000 : 604800 }, NOW)

  it.each([
    [[w('session', '5h', 71, '2026-11-22T10:38:00Z')], 'Sonnet · 5h 71% (38m)'],
    // A passed reset reads 0 %; the 5-hour session's next reset is unknowable.
    [[w('session', '5h', 99, '2026-11-22T09:00:00Z')], 'Sonnet · 5h 0%'],
    [[w('weekly', '7d', 5, null), w('session', '5h', 1, null)], 'Sonnet · 5h 1% · 7d 5%'],
    [[w('weekly:opus', 'Opus', 50, null)], 'Sonnet'],
  ])('%#', (windows, line) => {
    expect(formatStatusline('Sonnet', windows, NOW, T, false)).toBe(line)
  })

  it('colour by level, and only when wanted', () => {
    const line = formatStatusline(null, [w('session', '5h', 95, null)], NOW, T, true)
    expect(line).toBe('5h \x1b[31m95%\x1b[0m')
    expect(wantsColor({})).toBe(true)
    expect(wantsColor({ NO_COLOR: '1' })).toBe(false)
    expect(wantsColor({ NO_COLOR: '' })).toBe(true)
    expect(wantsColor({ FORCE_COLOR: '0' })).toBe(false)
    expect(wantsColor({ TERM: 'dumb' })).toBe(false)
  })
})

describe('claude-statusline account', () => {
  const home = mkdtempSync(join(tmpdir(), 'quotabar-hook-'))
  afterAll(() => rmSync(home, { recursive: true, force: true }))
  mkdirSync(join(home, '.claude'))
  mkdirSync(join(home, 'real-work'))
  symlinkSync(join(home, 'real-work'), join(home, '.claude-work'))
  const acct = (id: string, configDir?: string, provider = 'claude'): Account => ({
    provider,
    id,
    key: `${provider}/${id}`,
    label: id,
    refreshSeconds: 300,
    ...(configDir ? { configDir } : {}),
  })
  const accounts = [
    acct('work', '~/.claude-work'),
    acct('plain'),
    acct('default', join(home, '.claude')),
    acct('codex', join(home, '.claude'), 'codex'),
  ]
  const env = { HOME: home }
  const keys = (dirEnv: Record<string, string>) =>
    accountsForDir(accounts, hookConfigDir({ ...env, ...dirEnv }, home), { ...env, ...dirEnv }, home).map(
      (a) => a.key,
    )

  it('matches configDir through ~, trailing slashes and symlinks; no configDir means ~/.claude', () => {
    expect(keys({ CLAUDE_CONFIG_DIR: join(home, 'real-work/') })).toEqual(['claude/work'])
    expect(keys({ CLAUDE_CONFIG_DIR: join(home, '.claude-work') })).toEqual(['claude/work'])
    expect(keys({})).toEqual(['claude/plain', 'claude/default'])
    expect(keys({ CLAUDE_CONFIG_DIR: join(home, '.claude-other') })).toEqual([])
  })
})

describe('claude-statusline news', () => {
  const win = (usedPercent: number, resetsAt: string | null) => ({
    id: 'session',
    label: '5h',
    usedPercent,
    resetsAt,
    windowSeconds: 18000,
  })
  it.each([
    ['nothing cached', win(5, '2026-11-22T12:00:00Z'), undefined, true],
    ['same window, more use', win(43, '2026-11-22T12:00:00Z'), win(42, '2026-11-22T12:00:00.9Z'), true],
    ['same window, same use', win(42, '2026-11-22T12:00:00Z'), win(42, '2026-11-22T12:00:00Z'), false],
    [
      'same window, less use (older answer)',
      win(40, '2026-11-22T12:00:30Z'),
      win(42, '2026-11-22T12:00:00Z'),
      false,
    ],
    ['a later window', win(1, '2026-11-22T17:00:00Z'), win(42, '2026-11-22T12:00:00Z'), true],
    ['an earlier window', win(99, '2026-11-22T07:00:00Z'), win(42, '2026-11-22T12:00:00Z'), false],
    ['no reset known, changed', win(3, null), win(42, '2026-11-22T12:00:00Z'), true],
    ['no reset known, same', win(3, null), win(3, null), false],
  ])('%s', (_, fresh, cached, news) => {
    expect(isNews(fresh, cached)).toBe(news)
  })
})
