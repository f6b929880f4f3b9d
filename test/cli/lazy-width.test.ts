import { describe, expect, it } from 'vitest'
import { lazyStringWidth } from '../../src/cli/lazy-width.js'
// The copies the build puts the wrapper in front of: yargs', cliui's and wrap-ansi's.
import yargsWidth from '../../node_modules/string-width/index.js'
import cliuiWidth from '../../node_modules/cliui/node_modules/string-width/index.js'
import wrapWidth from '../../node_modules/wrap-ansi/node_modules/string-width/index.js'

const copies = { yargsWidth, cliuiWidth, wrapWidth }

/** Help-text shapes, each mark our help uses, and text that must reach the real module. */
const narrow = [
  '',
  '  --redact   show emails as a…@domain (also config privacy.redact)',
  'provider/id → the account · its login — “quoted” ‘x’ 2×3 1–2',
  ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~',
]
const other = [
  '日本語',
  'e\u0301',
  '→\ufe0f',
  '👍🏽 ok',
  '\u001b[1mbold\u001b[22m',
  'tab\there',
  'ａｂ',
  '\u00ad',
  'x\u200dy',
]

describe('lazyStringWidth (the build puts it in front of each string-width)', () => {
  it.each(Object.entries(copies))('answers what %s answers', (_, real) => {
    const width = lazyStringWidth(() => real)
    for (const text of [...narrow, ...other]) {
      expect(width(text), text).toBe(real(text))
      expect(width(text, { ambiguousIsNarrow: false }), text).toBe(real(text, { ambiguousIsNarrow: false }))
    }
  })

  it('loads the real module only for text it cannot measure itself', () => {
    let loads = 0
    const width = lazyStringWidth(() => {
      loads++
      return yargsWidth
    })
    for (const text of narrow) width(text)
    width('plain', { ambiguousIsNarrow: false })
    expect(loads).toBe(0)
    expect(width('a…b', { ambiguousIsNarrow: false })).toBe(4)
    expect(width('日本')).toBe(4)
    expect(loads).toBe(1)
  })
})
