import { describe, expect, it } from 'vitest'
import { parseFast } from '../../src/cli/args.js'

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
