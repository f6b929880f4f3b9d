import { afterEach, describe, expect, it } from 'vitest'
import { emptyEntry, writeEntry } from '../../src/cache/store.js'
import { runCli } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'

/** The bin as a bar runs it: templates, icons and colours from the config, through the cached path. */

const NOW = '2026-11-22T10:00:00.000Z'
let h: TempHome | null = null
afterEach(() => h?.cleanup())

function homeWith(config: unknown): TempHome {
  const home = makeHome()
  home.writeConfig(config)
  for (const [id, used] of [
    ['work', 42],
    ['home', 96],
  ] as const) {
    writeEntry(home.cacheDir, {
      ...emptyEntry(`claude/${id}`),
      lastAttemptAt: NOW,
      snapshot: {
        fetchedAt: NOW,
        plan: 'Pro',
        email: null,
        windows: [
          {
            id: 'session',
            label: '5h',
            usedPercent: used,
            resetsAt: '2026-11-22T11:12:00.000Z',
            windowSeconds: 18000,
          },
          {
            id: 'weekly',
            label: '7d',
            usedPercent: 10,
            resetsAt: '2026-11-25T10:00:00.000Z',
            windowSeconds: 604800,
          },
        ],
        spend: [],
      },
    })
  }
  return home
}

const run = (home: TempHome, args: string[]) =>
  runCli([...args, '--no-refresh'], { ...home.env, QUOTABAR_NOW: NOW })

describe('your own text, icons and palette', () => {
  it('format.text (global and per account), icons and colors from the config, twice (checked-config path)', async () => {
    h = homeWith({
      accounts: [
        { provider: 'claude', id: 'work', format: { text: '{label}: {remaining} left' } },
        { provider: 'claude', id: 'home' },
      ],
      format: { text: '{icon} {label} {percent} {countdown}' },
      icons: 'emoji',
      colors: { critical: '#ff00aa' },
    })
    for (let i = 0; i < 2; i++) {
      const r = await run(h, ['-f', 'waybar'])
      expect(r.code).toBe(0)
      const o = JSON.parse(r.stdout)
      expect(o.text).toBe(
        '<span foreground="#3a9d23">work: 58% left</span> · <span foreground="#ff00aa">✳️ home 96% 1h 12m</span>',
      )
      expect(o.class[0]).toBe('critical')
    }
    // --text wins over both.
    const r = await run(h, ['-f', 'tmux', '--text', '{label} {window} {remaining}'])
    expect(r.stdout.trim()).toBe(
      '#[fg=#000000,bg=#3a9d23] work 5h 58% #[default] #[fg=#000000,bg=#ff00aa] home 5h 4% #[default]',
    )
  })

  it('an unknown placeholder: the bar still gets one valid line that names it, exit 0', async () => {
    h = homeWith({ accounts: [{ provider: 'claude', id: 'work' }] })
    const bad = await run(h, ['-f', 'waybar', '--text', '{label} {pct}'])
    expect(bad.code).toBe(0)
    const o = JSON.parse(bad.stdout)
    expect([o.text, o.class]).toEqual(['quotabar: config error', ['error']])
    expect(o.tooltip).toContain('unknown placeholder {pct}')
    h.writeConfig({ accounts: [{ provider: 'claude', id: 'work' }], format: { text: '{lable}' } })
    const cfg = await run(h, ['-f', 'i3blocks'])
    expect([cfg.code, cfg.stdout.split('\n')[0]]).toEqual([0, 'quotabar: config error'])
    const plain = await run(h, [])
    expect(plain.stdout).toMatch(/format\.text: unknown placeholder \{lable\}/)
  })

  it('show --json prints the very document -f json prints', async () => {
    h = homeWith({
      accounts: [
        { provider: 'claude', id: 'work' },
        { provider: 'claude', id: 'home' },
      ],
    })
    const [doc, show] = await Promise.all([run(h, ['-f', 'json']), run(h, ['show', '--json'])])
    expect(show.code).toBe(0)
    expect(show.stdout).toBe(doc.stdout)
    expect(JSON.parse(show.stdout).accounts.map((a: { key: string }) => a.key)).toEqual([
      'claude/work',
      'claude/home',
    ])
  })
})

describe('--window names a window some accounts lack', () => {
  it('those accounts show their own most constrained window, and the worst level still sets the class', async () => {
    h = makeHome()
    const env = { ...h.env, QUOTABAR_NOW: NOW }
    // The demo's work account alone has a weekly:fable window; personal is at 76 %, client at 94 %.
    const plain = await runCli(['--demo', '-f', 'plain', '--window', 'weekly:fable'], env)
    const auto = await runCli(['--demo', '-f', 'plain'], env)
    const [work, ...others] = plain.stdout.trim().split(' · ')
    expect(work).toBe('work Fable 32%')
    expect(others).toEqual(auto.stdout.trim().split(' · ').slice(1))
    expect(others.join(' · ')).toMatch(/^personal 76% .* · client ~94% /)
    const waybar = JSON.parse(
      (await runCli(['--demo', '-f', 'waybar', '--window', 'weekly:fable'], env)).stdout,
    )
    expect(waybar.class[0]).toBe('critical')
    expect(waybar.percentage).toBe(94)
  })
})
