import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { emptyEntry } from '../../src/cache/store.js'
import { parseFast } from '../../src/cli/args.js'
import { applyClick, describeClick, parseButton } from '../../src/live/click-action.js'
import { parseClickLine } from '../../src/live/clicks.js'
import {
  cycle,
  focusOf,
  NO_CHOICE,
  readChoice,
  windowFor,
  windowIds,
  writeChoice,
} from '../../src/live/choice.js'
import type { CacheEntry } from '../../src/model.js'

const KEYS = ['claude/work', 'claude/personal', 'codex/main']

function entry(key: string, windows: string[]): CacheEntry {
  const w = (id: string) => ({ id, label: id, usedPercent: 10, resetsAt: null, windowSeconds: null })
  return {
    ...emptyEntry(key),
    snapshot: {
      fetchedAt: '2026-11-22T10:00:00Z',
      plan: null,
      email: null,
      windows: windows.map(w),
      spend: [],
    },
  }
}
const ENTRIES = [
  entry('claude/work', ['session', 'weekly']),
  null,
  entry('codex/main', ['session', 'weekly:gpt']),
]

describe('cycling', () => {
  it.each([
    [null, 1, 'claude/work'],
    ['claude/work', 1, 'claude/personal'],
    ['codex/main', 1, null],
    [null, -1, 'codex/main'],
    ['claude/work', -1, null],
    ['gone/account', 1, 'claude/work'],
  ] as const)('from %s by %d → %s', (from, step, to) => {
    expect(cycle(KEYS, from, step)).toBe(to)
  })

  it('an empty list only has "auto"', () => {
    expect(cycle([], null, 1)).toBeNull()
  })

  it('window ids come from the cached data, first seen first', () => {
    expect(windowIds(ENTRIES)).toEqual(['session', 'weekly', 'weekly:gpt'])
  })

  it('a clicked window applies where it exists; an explicit --window always wins', () => {
    const choice = { focus: null, window: 'weekly' }
    expect(windowFor('auto', choice, ENTRIES[0] ?? null)).toBe('weekly')
    expect(windowFor('auto', choice, ENTRIES[2] ?? null)).toBe('auto')
    expect(windowFor('session', choice, ENTRIES[0] ?? null)).toBe('session')
    expect(windowFor('auto', NO_CHOICE, ENTRIES[0] ?? null)).toBe('auto')
  })

  it('a focus on an account that is not shown is no focus', () => {
    expect(focusOf({ focus: 'claude/work', window: null }, KEYS)).toBe('claude/work')
    expect(focusOf({ focus: 'claude/work', window: null }, ['codex/main'])).toBeNull()
  })

  it.each([
    ['1', 1],
    ['left', 1],
    ['MIDDLE', 2],
    ['right', 3],
    ['up', 4],
    ['down', 5],
    ['9', 9],
    ['0', null],
    ['10', null],
    ['x', null],
    ['', null],
  ])('button %j → %s', (value, button) => {
    expect(parseButton(value)).toBe(button)
  })
})

describe('applying a click to the persisted choice', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quotabar-click-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  const state = () => join(dir, 'state')

  it('left and scroll-down step forward through the accounts and back to auto; scroll-up steps back', () => {
    const seen = [1, 5, 1, 1, 4].map((b) => describeClick(applyClick(b, KEYS, ENTRIES, state())))
    expect(seen).toEqual([
      'short text: claude/work',
      'short text: claude/personal',
      'short text: codex/main',
      'short text: the most constrained account',
      'short text: codex/main',
    ])
    expect(readChoice(state())).toEqual({ focus: 'codex/main', window: null })
  })

  it('right cycles the windows and keeps the focus; the file is 0600 JSON', () => {
    applyClick(1, KEYS, ENTRIES, state())
    const windows = [3, 3, 3, 3].map((b) => describeClick(applyClick(b, KEYS, ENTRIES, state())))
    expect(windows).toEqual([
      'window: session',
      'window: weekly',
      'window: weekly:gpt',
      'window: auto (the most constrained)',
    ])
    expect(JSON.parse(readFileSync(join(state(), 'view.json'), 'utf8'))).toEqual({
      v: 1,
      focus: 'claude/work',
      window: null,
    })
    expect(statSync(join(state(), 'view.json')).mode & 0o777).toBe(0o600)
  })

  it('middle asks for a refresh and writes nothing; buttons 6-9 do nothing', () => {
    expect(applyClick(2, KEYS, ENTRIES, state())).toEqual({ action: 'refresh' })
    expect(applyClick(8, KEYS, ENTRIES, state())).toEqual({ action: 'none' })
    expect(() => statSync(join(state(), 'view.json'))).toThrow()
  })

  it.each(['', 'not json', '[]', '{"focus": 3, "window": ["x"]}', 'null'])(
    'a damaged view.json (%j) reads as no choice',
    (text) => {
      writeChoice(state(), NO_CHOICE)
      writeFileSync(join(state(), 'view.json'), text)
      expect(readChoice(state())).toEqual(NO_CHOICE)
    },
  )
})

describe('click events on stdin (i3bar protocol)', () => {
  it.each([
    ['[', null],
    ['', null],
    [
      '{"name":"quotabar","instance":"claude/work","button":3,"x":1,"y":2}',
      { name: 'quotabar', instance: 'claude/work', button: 3 },
    ],
    [',{"name":"quotabar","button":1,"modifiers":[]}', { name: 'quotabar', button: 1 }],
    ['[{"button":2}', { button: 2 }],
    ['{"button":"3"}', null],
    ['{"button":12}', null],
    [',{"button":', null],
  ])('%j', (line, event) => {
    expect(parseClickLine(line)).toEqual(event)
  })
})

describe('i3blocks clicks on the cached path', () => {
  it('BLOCK_BUTTON=N hands an i3blocks render to the full CLI (which applies the click first)', () => {
    expect(parseFast(['-f', 'i3blocks'], { BLOCK_BUTTON: '1' })).toBeNull()
    // i3blocks sets BLOCK_BUTTON="" on timer runs: those stay on the cached path.
    expect(parseFast(['-f', 'i3blocks'], { BLOCK_BUTTON: '' })?.format).toBe('i3blocks')
    // Only i3blocks renders read it.
    expect(parseFast(['-f', 'waybar'], { BLOCK_BUTTON: '1' })?.format).toBe('waybar')
  })
})
