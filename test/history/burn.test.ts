import { describe, expect, it } from 'vitest'
import { burnOf, cycleStart, sparkOf, type WindowPoint } from '../../src/history/burn.js'
import { paceOf } from '../../src/pace.js'

// Recorded-looking sequences: a bar refreshing every 5 minutes, Claude's integer percentages.
const T0 = Date.parse('2026-11-22T09:00:00Z')
const MIN = 60_000
const H = 60 * MIN
const SESSION = 18_000
const at = (ms: number) => new Date(ms).toISOString()

/** Points every 5 minutes from `fromMin` to `toMin` (minutes after 9:00), `used(minute)` rounded down. */
function record(
  fromMin: number,
  toMin: number,
  used: (m: number) => number,
  resetsAt: string,
): WindowPoint[] {
  const out: WindowPoint[] = []
  for (let m = fromMin; m <= toMin; m += 5) out.push({ t: T0 + m * MIN, used: Math.floor(used(m)), resetsAt })
  return out
}

const rate = (points: WindowPoint[]) => burnOf('session', points, SESSION)?.percentPerHour ?? null

/** The forecast a render right after the last point would show. */
function forecast(points: WindowPoint[]) {
  const last = points[points.length - 1] as WindowPoint
  const burn = burnOf('session', points, SESSION) ?? undefined
  const clock = { nowMs: last.t, fromMs: last.t, idleAfterMs: last.t + 10 * MIN }
  return paceOf({ usedPercent: last.used, resetsAt: last.resetsAt, windowSeconds: SESSION }, burn, clock)
}

describe('burn rate on recorded sequences', () => {
  const reset = at(T0 + 5 * H) // a session that began at 9:00

  it('steady use: integer steps every few refreshes read as the steady 12 %/h', () => {
    const steady = record(0, 120, (m) => (12 * m) / 60, reset)
    expect(rate(steady)).toBeGreaterThan(10.5)
    expect(rate(steady)).toBeLessThan(13.5)
    // 24 % at 11:00 with 3 hours left at ~12 %/h: about 60 % at the reset, no run-out.
    const f = forecast(steady)
    expect(f.projectedPercent).toBeGreaterThan(55)
    expect(f.projectedPercent).toBeLessThan(66)
    expect(f.exhaustsAt).toBeNull()
  })

  it('a burst then idle: the forecast runs out during the burst and stops doing so once use stops', () => {
    const burst = record(0, 30, (m) => 1.5 * m, reset) // 45 % in 30 minutes
    const idle = [...burst, ...record(35, 150, () => 45, reset)]
    expect(rate(burst)).toBeGreaterThan(60)
    expect(forecast(burst).exhaustsAt).not.toBeNull()
    const afterHour = idle.filter((p) => p.t <= T0 + 90 * MIN)
    expect(rate(afterHour)).toBeLessThan(15)
    expect(forecast(afterHour).exhaustsAt).toBeNull()
    // Two hours idle: close to no burn, and the forecast is about where usage stands.
    expect(rate(idle)).toBeLessThan(2)
    expect(forecast(idle).projectedPercent).toBeLessThan(48)
  })

  it('a reset mid-sequence splits the series: the new session is judged on its own', () => {
    const heavy = record(-240, 60, (m) => Math.min(99, 30 * ((m + 240) / 60)), at(T0 + 65 * MIN))
    // The next session starts at 10:20 (first message) and resets at 15:20; light use.
    const light = record(80, 140, (m) => (6 * (m - 80)) / 60, at(T0 + 80 * MIN + 5 * H))
    const points = [...heavy, ...light]
    expect(cycleStart(points, SESSION)).toBe(heavy.length)
    expect(rate(points)).toBeGreaterThan(4)
    expect(rate(points)).toBeLessThan(8)
    // Usage falling with the same reset time is a reset too (a provider resetting early).
    const early = [...record(0, 30, (m) => m, reset), ...record(35, 60, (m) => (m - 35) / 5, reset)]
    expect(cycleStart(early, SESSION)).toBe(7)
  })

  it('a 429 gap is a gap: the use across it is spread over it, not a burst when points resume', () => {
    const use = (m: number) => (12 * m) / 60
    const gapped = [...record(0, 60, use, reset), ...record(105, 130, use, reset)] // nothing 10:00–10:45
    const firstAfter = gapped.filter((p) => p.t <= T0 + 105 * MIN)
    expect(rate(firstAfter)).toBeGreaterThan(10.5)
    expect(rate(firstAfter)).toBeLessThan(13.5)
    expect(rate(gapped)).toBeGreaterThan(10.5)
    expect(rate(gapped)).toBeLessThan(13.5)
    // And the last day's spark shows the hole as unknown, not as 0 %.
    const long = [...record(0, 60, use, reset), ...record(200, 230, use, reset)]
    const spark = sparkOf(long, T0 + 230 * MIN, 6).values
    // Buckets 7:00 … 12:00: nothing before 9:00, the hour of the gap (11:00) unknown.
    expect(spark).toEqual([null, null, 11, 12, null, 46])
  })

  it('too thin to say: one point, or a short stretch with no known start', () => {
    expect(rate([{ t: T0, used: 10, resetsAt: reset }])).toBeNull()
    const noStart = [
      { t: T0, used: 10, resetsAt: null },
      { t: T0 + 5 * MIN, used: 11, resetsAt: null },
    ]
    expect(burnOf('session', noStart, null)?.percentPerHour).toBeNull()
    // The session's start is known (reset − 5 h): two points ten minutes in already say something.
    expect(rate(record(5, 10, (m) => m, reset))).toBeCloseTo(60, 0)
  })
})
