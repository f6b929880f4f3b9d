import { describe, expect, it } from 'vitest'
import { demoView } from '../../src/demo.js'
import { frame, updateLine } from '../../src/live/frames.js'
import { DEFAULT_COLORS } from '../../src/render/palette.js'
import { I3BAR_HEADER, i3barBlocks } from '../../src/render/i3bar.js'
import { renderers } from '../../src/render/index.js'

const NOW = new Date('2026-11-22T10:00:00Z')
const opts = { colors: DEFAULT_COLORS, providerNames: { claude: 'Claude' } }
const demo = demoView(NOW)

describe('i3bar renderer (golden, demo accounts)', () => {
  it('one frame: the header, the opening bracket, one array of blocks per account', () => {
    const out = renderers.i3bar(demo, opts)
    expect(out.exitCode).toBe(0)
    const [header, open, blocks, ...rest] = out.text.split('\n')
    expect(header).toBe('{"version":1,"click_events":true}')
    expect(open).toBe('[')
    expect(rest).toEqual([])
    expect(JSON.parse(blocks ?? '')).toEqual([
      {
        name: 'quotabar',
        instance: 'claude/work',
        full_text: 'work 42%',
        short_text: 'w 42%',
        color: '#3a9d23',
        urgent: false,
        markup: 'none',
      },
      {
        name: 'quotabar',
        instance: 'claude/personal',
        full_text: 'personal 76% ≈32m',
        short_text: 'p 76% ≈32m',
        color: '#e07000',
        urgent: false,
        markup: 'none',
      },
      {
        name: 'quotabar',
        instance: 'claude/client',
        full_text: 'client ~94% ≈36m',
        short_text: 'client ~94% ≈36m',
        color: '#d00000',
        urgent: true,
        markup: 'none',
      },
    ])
  })

  it('a clicked account (focus) is the one whose short text keeps its name', () => {
    const blocks = i3barBlocks({ ...demo, focus: 'claude/work' }, opts)
    expect(blocks.map((b) => b.short_text)).toEqual(['work 42%', 'p 76% ≈32m', 'c ~94% ≈36m'])
  })

  it('nothing to show: one error block with the reason, never an empty array', () => {
    const problem = { kind: 'config' as const, message: 'bad', fix: null, httpStatus: null }
    const view = { generatedAt: NOW.toISOString(), accounts: [], thresholds: demo.thresholds, problem }
    expect(i3barBlocks(view, opts)).toEqual([
      {
        name: 'quotabar',
        instance: 'problem',
        full_text: 'quotabar: config error',
        short_text: 'quotabar ?',
        color: '#c01c28',
        urgent: false,
        markup: 'none',
      },
    ])
  })

  it('provider text is cleaned: no control characters, markup stays literal', () => {
    const view = { ...demo, accounts: demo.accounts.map((a) => ({ ...a, label: 'a<b>\n"q"' })) }
    const [first] = i3barBlocks(view, opts)
    expect(first?.full_text).toBe('a<b> "q" 42%')
    expect(first?.markup).toBe('none')
  })
})

describe('watch framing', () => {
  it('i3bar: header and [ once, then [..], then ,[..] per update', () => {
    const line = updateLine('i3bar', renderers.i3bar(demo, opts))
    expect(line.startsWith('[{')).toBe(true)
    expect(frame('i3bar', line, 0)).toBe(`${I3BAR_HEADER}\n[\n${line}\n`)
    expect(frame('i3bar', line, 1)).toBe(`,${line}\n`)
  })

  it('i3blocks persist: one JSON line that i3blocks 1.4 can read (no escapes at all), urgent as "true"', () => {
    const view = { ...demo, accounts: demo.accounts.map((a, i) => (i ? a : { ...a, label: 'x"y\\z' })) }
    const line = updateLine('i3blocks', renderers.i3blocks(view, opts))
    expect(line).not.toContain('\\')
    expect(JSON.parse(line)).toEqual({
      full_text: "x'y/z 42% · personal 76% ≈32m · client ~94% ≈36m",
      short_text: 'client ~94% ≈36m',
      color: '#d00000',
      urgent: 'true',
    })
    expect(frame('i3blocks', line, 5)).toBe(`${line}\n`)
  })

  it.each(['waybar', 'polybar', 'tmux', 'plain'] as const)('%s: the one-shot line itself', (f) => {
    const r = renderers[f](demo, opts)
    expect(updateLine(f, r)).toBe(r.text)
    expect(frame(f, r.text, 0)).toBe(`${r.text}\n`)
  })
})
