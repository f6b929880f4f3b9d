import { describe, expect, it } from 'vitest'
import { parseBackground, parseFast, parseHook } from '../../src/cli/args.js'
import { commandsFor } from '../../src/cli/registry.js'

const base = { format: 'plain', selectors: [], window: 'auto', demo: false, refresh: true }

describe('the fast status parser', () => {
  it.each([
    [[], base],
    [['status'], base],
    [['-f', 'waybar'], { ...base, format: 'waybar' }],
    [['--format=tmux', '--no-refresh'], { ...base, format: 'tmux', refresh: false }],
    [['-a', 'work', '--account=claude/personal'], { ...base, selectors: ['work', 'claude/personal'] }],
    [['--window', 'weekly', '--demo'], { ...base, window: 'weekly', demo: true }],
    [['--config', '/tmp/c.json'], { ...base, config: '/tmp/c.json' }],
    [['--icons', 'nerd'], { ...base, icons: 'nerd' }],
    [
      ['--text', '{label} {remaining}'],
      { ...base, text: { ok: true, template: [{ p: 'label' }, ' ', { p: 'remaining' }] } },
    ],
    // Parsed once, here; the error reaches the bar as a config-error line (status.ts).
    [['--text={lable}'], { ...base, text: { ok: false, message: expect.stringContaining('{lable}') } }],
  ])('%j', (argv, expected) => {
    expect(parseFast(argv)).toEqual(expected)
  })

  it.each([
    [['refresh']],
    [['--help']],
    [['-f', 'nope']],
    [['-f']],
    [['--bogus']],
    [['--demo=yes']],
    [['status', 'extra']],
    [['--icons', 'fancy']],
  ])('hands %j to the full CLI', (argv) => {
    expect(parseFast(argv)).toBeNull()
  })
})

describe('the hook fast path', () => {
  it.each([
    [['hook', 'claude-statusline'], { color: true, config: undefined }],
    [['hook', 'claude-statusline', '--no-color', '--config', '/c.json'], { color: false, config: '/c.json' }],
    [['hook', 'claude-statusline', '--config=/c.json'], { color: true, config: '/c.json' }],
  ])('%j', (argv, expected) => {
    expect(parseHook(argv)).toEqual(expected)
  })
  it.each([[['hook']], [['hook', 'other']], [['hook', 'claude-statusline', '--verbose']], [['status']]])(
    'leaves %j to the full CLI',
    (argv) => {
      expect(parseHook(argv)).toBeNull()
    },
  )
})

describe('the detached refresh fast path', () => {
  it.each([
    [['__refresh', '--token', 't1', 'claude/a'], { token: 't1', config: undefined, keys: ['claude/a'] }],
    [
      ['__refresh', '--token', 't1', '--config', '/c.json', 'claude/a', 'codex/b'],
      { token: 't1', config: '/c.json', keys: ['claude/a', 'codex/b'] },
    ],
    [['__refresh', '--token', 't1'], { token: 't1', config: undefined, keys: [] }],
  ])('%j is what spawnRefresh writes', (argv, expected) => {
    expect(parseBackground(argv)).toEqual(expected)
  })

  it.each([
    [['__refresh', 'claude/a']],
    [['__refresh', '--token']],
    [['__refresh', '--token', 't1', '--config']],
    [['__refresh', '--token', 't1', 'claude/a', '--verbose']],
    [['refresh', '--token', 't1']],
  ])('%j goes to the full CLI', (argv) => {
    expect(parseBackground(argv)).toBeNull()
  })
})

describe('the full CLI loads only the command it runs', () => {
  it.each([
    [['refresh', 'work']],
    [['--config', '/c.json', 'accounts', 'list']],
    [['--verbose', 'report']],
    [['doctor']],
  ])('%j registers one command module', async (argv) => {
    expect(await commandsFor(argv)).toHaveLength(1)
  })

  it.each([[[]], [['-f', 'waybar', '--verbose']], [['refesh']]])(
    '%j registers every command module, as --help does',
    async (argv) => {
      const all = await commandsFor(['--help'])
      expect(all.length).toBeGreaterThan(10)
      expect(await commandsFor(argv)).toEqual(all)
    },
  )
})
