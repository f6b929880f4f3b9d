import { describe, expect, it } from 'vitest'
import { splicedMarks } from '../../src/logs/marks-text.js'

// An index's text as saveState writes it (JSON.stringify of its fields in this order).
const mark = (n: number, pending?: boolean) => ({
  ino: 100 + n,
  size: 1000 * n,
  mtimeMs: 1_796_163_084_819.763 + n,
  offset: 1000 * n,
  head: `256:${3_274_590_941_400_435 + n}`,
  ...(pending ? { pending } : {}),
})
const indexText = (files: Record<string, unknown>) =>
  JSON.stringify({
    v: 2,
    source: 'claude',
    pricing: 'bundled-2026-11',
    gen: 'mfx1-abc',
    files,
    sum: { buckets: { '1994242|claude-opus-4-6': [1, 2, 3, 4, 0.5, 1, 0, 1, 5, 6] }, reasons: {} },
  })
const entry = (path: string, m: unknown) => `${JSON.stringify(path)}:${JSON.stringify(m)}`

/** What the spliced marks must parse to: the old ones less `drop`, with `fresh` added. */
function expected(files: Record<string, unknown>, drop: string[], fresh: Record<string, unknown>) {
  const out = { ...files }
  for (const p of drop) delete out[p]
  return { ...out, ...fresh }
}

const A = '/h/.claude/projects/-a/1.jsonl'
const B = '/h/.claude/projects/-a/2.jsonl'
const C = '/h/.claude/projects/-b/3.jsonl'
const D = '/h/.claude/projects/-b/4.jsonl'
const FOUR = { [A]: mark(1), [B]: mark(2, true), [C]: mark(3), [D]: mark(4) }

describe('the index marks written again from the loaded text', () => {
  it.each([
    ['the first', [A]],
    ['one in the middle', [B]],
    ['the last', [D]],
    ['the first two', [A, B]],
    ['every other one, given out of order', [D, B]],
    ['all of them', [D, C, B, A]],
    ['none', []],
  ])('%s taken out, new marks added after the others', (_, drop) => {
    const fresh = { [B]: mark(22), '/h/.claude/projects/-c/5.jsonl': mark(5) }
    const kept = drop.includes(B) ? fresh : { '/h/.claude/projects/-c/5.jsonl': mark(5) }
    const text = splicedMarks(
      indexText(FOUR),
      drop,
      Object.entries(kept).map(([p, m]) => entry(p, m)),
    )
    expect(text).not.toBeNull()
    expect(JSON.parse(text as string)).toEqual(expected(FOUR, drop, kept))
  })

  it('every entry out and none added: an empty object', () => {
    expect(splicedMarks(indexText(FOUR), [A, B, C, D], [])).toBe('{}')
    expect(splicedMarks(indexText({}), [], [entry(A, mark(1))])).toBe(`{${entry(A, mark(1))}}`)
  })

  it('paths that hold quotes, commas, braces, the text of another key or of a mark', () => {
    const odd = [
      '/h/p/a",".jsonl',
      '/h/p/x":{"ino":1}.jsonl',
      '/h/p/},"sum":{.jsonl',
      '/h/p/-a/1.jsonl',
      'relative/1.jsonl',
      '/h/p/ünï ✓.jsonl',
      `/x${A}`,
    ]
    // A's key, quote and all, inside another one's, and written before A's own: only A's goes.
    const files: Record<string, unknown> = { [`/q"${A}`]: mark(9), [A]: mark(1) }
    for (const [i, p] of odd.entries()) files[p] = mark(10 + i)
    expect(indexText(files).indexOf(`${JSON.stringify(A)}:{`)).toBeLessThan(
      indexText(files).indexOf(`,${JSON.stringify(A)}:{`),
    )
    for (const p of Object.keys(files)) {
      const text = splicedMarks(indexText(files), [p], [entry(p, mark(99))])
      expect(JSON.parse(text as string)).toEqual({ ...files, [p]: mark(99) })
      const without = { ...files }
      delete without[p]
      expect(JSON.parse(splicedMarks(indexText(files), [p], []) as string)).toEqual(without)
    }
    const all = splicedMarks(indexText(files), Object.keys(files), [])
    expect(all).toBe('{}')
  })

  it('a text not shaped as written gives null: the caller stringifies every mark', () => {
    const fine = indexText(FOUR)
    // An entry to drop that the text does not hold, or the same one twice.
    expect(splicedMarks(fine, ['/h/elsewhere.jsonl'], [])).toBeNull()
    expect(splicedMarks(fine, [A, A], [])).toBeNull()
    // Written by hand: spaces, a missing sum, a mark holding a brace.
    expect(splicedMarks(JSON.stringify(JSON.parse(fine), null, 1), [A], [])).toBeNull()
    expect(splicedMarks(JSON.stringify({ v: 2, files: FOUR }), [A], [])).toBeNull()
    const braced = indexText({ ...FOUR, [A]: { ...mark(1), head: '1:}' } })
    expect(splicedMarks(braced, [A], [])).toBeNull()
    expect(splicedMarks('not json at all', [], [])).toBeNull()
  })
})
