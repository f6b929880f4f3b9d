import { describe, expect, it } from 'vitest'
import { chartLines, columns } from '../../src/history/chart.js'

const T0 = Date.parse('2026-11-22T00:00:00Z')
const H = 3_600_000
const R1 = '2026-11-22T05:00:00.000Z'
const R2 = '2026-11-22T10:00:00.000Z'

describe('history chart', () => {
  // 0:00–4:00 rising from a known 0 %, a reset, 5:00–6:00 low, nothing 6:00–8:00.
  const points = [
    { t: T0, used: 0, resetsAt: R1 },
    { t: T0 + 2 * H, used: 50, resetsAt: R1 },
    { t: T0 + 4 * H, used: 100, resetsAt: R1 },
    { t: T0 + 5 * H, used: 10, resetsAt: R2 },
    { t: T0 + 6 * H, used: 20, resetsAt: R2 },
    { t: T0 + 8 * H, used: 25, resetsAt: R2 },
  ]
  const input = {
    points,
    fromMs: T0,
    toMs: T0 + 8 * H,
    width: 4,
    height: 1,
    windowSeconds: 18_000,
    gapMs: 2.5 * H,
  }

  it('columns carry a value between close points, leave a gap between far ones, and note resets', () => {
    const { values, resets } = columns(input)
    // Eight columns of an hour each; points 2h apart are close (gaps from 2.5h): the value carries.
    expect(values).toEqual([0, 0, 50, 50, 100, 10, 20, 25])
    expect(resets).toEqual([false, false, false, false, false, true, false, false])
    const far = columns({ ...input, gapMs: H }).values
    expect(far).toEqual([0, null, 50, null, 100, 10, 20, 25])
  })

  it('braille: a known 0 % keeps its bottom dots, a gap has none; ^ under a reset', () => {
    const [row, marks] = chartLines({ ...input, gapMs: H })
    expect(row).toHaveLength(4)
    // Column pairs: (0, gap) (50, gap) (100, 10) (20, 25), four dots high.
    expect([...(row ?? '')].map((c) => c.codePointAt(0)?.toString(16))).toEqual([
      '2840',
      '2844',
      '28c7',
      '28c0',
    ])
    expect(marks).toBe('  ^')
  })
})
