import { describe, expect, it } from 'vitest'
import { parseFast, parseHook } from '../../src/cli/args.js'

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
