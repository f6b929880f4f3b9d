import { isReset, type WindowPoint } from './burn.js'

/**
 * A terminal chart of one window's usage (pure): a braille area chart, 2 columns of dots per
 * character, filled from 0 % at the bottom to 100 % at the top. A known 0 % still shows its
 * bottom dots; a gap in the history shows nothing at all (unknown is not zero). Resets are marked
 * with `^` on the line below the chart.
 */

export interface ChartInput {
  points: WindowPoint[]
  fromMs: number
  toMs: number
  /** Characters across (each holds two columns of dots). */
  width: number
  /** Rows of characters (each holds four rows of dots). */
  height: number
  windowSeconds: number | null
  /** Two points further apart than this have a gap between them. */
  gapMs: number
}

// Braille dot bits, top to bottom: left column, right column.
const LEFT = [0x01, 0x02, 0x04, 0x40]
const RIGHT = [0x08, 0x10, 0x20, 0x80]

/** Per column of dots: the highest share seen in it, carried across short spans between points; null = gap. */
export function columns(input: ChartInput): { values: (number | null)[]; resets: boolean[] } {
  const n = input.width * 2
  const step = (input.toMs - input.fromMs) / n
  const values: (number | null)[] = new Array(n).fill(null)
  const resets: boolean[] = new Array(n).fill(false)
  const col = (t: number) => Math.min(n - 1, Math.max(0, Math.floor((t - input.fromMs) / step)))
  const pts = input.points.filter((p) => p.t >= input.fromMs && p.t <= input.toMs)
  pts.forEach((p, i) => {
    const c = col(p.t)
    const v = values[c]
    values[c] = v === null || v === undefined ? p.used : Math.max(v, p.used)
    const prev = pts[i - 1]
    if (!prev) return
    if (isReset(prev, p, input.windowSeconds)) resets[c] = true
    else if (p.t - prev.t <= input.gapMs) {
      // Between two close points the window held the earlier value: not a gap.
      for (let k = col(prev.t) + 1; k < c; k++) values[k] = prev.used
    }
  })
  return { values, resets }
}

export function chartLines(input: ChartInput): string[] {
  const { values, resets } = columns(input)
  const dots = input.height * 4
  const filled = values.map((v) =>
    v === null ? 0 : Math.max(1, Math.round((Math.min(100, v) / 100) * dots)),
  )
  const rows: string[] = []
  for (let r = 0; r < input.height; r++) {
    let line = ''
    for (let x = 0; x < input.width; x++) {
      let bits = 0
      for (let j = 0; j < 4; j++) {
        const fromBottom = (input.height - 1 - r) * 4 + (3 - j)
        if ((filled[2 * x] ?? 0) > fromBottom) bits |= LEFT[j] as number
        if ((filled[2 * x + 1] ?? 0) > fromBottom) bits |= RIGHT[j] as number
      }
      line += String.fromCharCode(0x2800 + bits)
    }
    rows.push(line)
  }
  let marks = ''
  for (let x = 0; x < input.width; x++) marks += resets[2 * x] || resets[2 * x + 1] ? '^' : ' '
  rows.push(marks.trimEnd())
  return rows
}
