import type { Spark, WindowBurn } from '../model.js'
import { sameCycle } from '../pace.js'

/**
 * The burn rate of one window from its recorded points (pure; the refresh calls it and stores the
 * result in the cache entry).
 *
 * The rate is a continuous exponentially weighted average over the current cycle: each interval
 * between two points carries its increase spread evenly over its length, weighted by
 * e^(-age/τ). So recent use counts most, an account idle since a burst decays toward no burn as
 * points without increase pile up, integer-quantised providers (a +1 every few refreshes) read as
 * the steady pace they are, and a gap (a 429 cooldown, a sleeping laptop) is one long interval
 * whose increase is spread over it: neither a burst when points resume nor a stretch of zeros.
 * Points before a reset belong to another cycle and are left out.
 */

export interface WindowPoint {
  t: number
  used: number
  resetsAt: string | null
}

/** Usage falling by more than this is a reset; less is a provider's rounding (the running peak absorbs it). */
const DROP_IS_RESET = 1

const HOUR_MS = 3_600_000

/** The time constant: a tenth of the window (30 min for 5 hours, ~17 h for a week), within 15 min – 24 h. */
export function tauSeconds(windowSeconds: number | null): number {
  if (!windowSeconds) return 3600
  return Math.min(86_400, Math.max(900, windowSeconds / 10))
}

/**
 * How much history a forecast needs: two points in the cycle, and a stretch covered (from the
 * cycle's known start, or else the first point) of a thirtieth of the window, within 10 min – 4 h
 * (10 minutes for a 5-hour session, 4 hours for a week).
 */
export function minSpanSeconds(windowSeconds: number | null): number {
  return Math.min(14_400, Math.max(600, (windowSeconds ?? 18_000) / 30))
}

/** Whether a reset lies between two consecutive points: another cycle's reset, or usage falling. */
export function isReset(prev: WindowPoint, cur: WindowPoint, windowSeconds: number | null): boolean {
  return !sameCycle(prev.resetsAt, cur.resetsAt, windowSeconds) || prev.used > cur.used + DROP_IS_RESET
}

/** Index of the first point of the last cycle. */
export function cycleStart(points: WindowPoint[], windowSeconds: number | null): number {
  for (let i = points.length - 1; i > 0; i--) {
    if (isReset(points[i - 1] as WindowPoint, points[i] as WindowPoint, windowSeconds)) return i
  }
  return 0
}

export function burnOf(
  id: string,
  points: WindowPoint[],
  windowSeconds: number | null,
  spark: Spark | null = null,
): WindowBurn | null {
  const last = points[points.length - 1]
  if (!last) return null
  const tau = tauSeconds(windowSeconds) * 1000
  const from = cycleStart(points, windowSeconds)
  const cycle = points.slice(from)
  const first = cycle[0] as WindowPoint
  // The cycle started from 0 % one window before its reset: a known point, unless it would reach
  // back past a point we saw of the previous cycle (then that cycle's end is the best we know).
  const startMs =
    last.resetsAt && windowSeconds ? Date.parse(last.resetsAt) - windowSeconds * 1000 : Number.NaN
  const before = points[from - 1]
  const series =
    startMs < first.t && (!before || startMs >= before.t) ? [{ t: startMs, used: 0 }, ...cycle] : cycle
  let weightMs = 0
  let weightedUse = 0
  let peak = series[0]?.used ?? 0
  for (let i = 1; i < series.length; i++) {
    const a = series[i - 1] as { t: number; used: number }
    const b = series[i] as { t: number; used: number }
    const span = b.t - a.t
    if (!(span > 0)) continue
    const rise = Math.max(0, b.used - peak)
    peak = Math.max(peak, b.used)
    const w = tau * (Math.exp(-(last.t - b.t) / tau) - Math.exp(-(last.t - a.t) / tau))
    weightMs += w
    weightedUse += (rise / span) * w
  }
  const covered = last.t - (series[0]?.t ?? last.t)
  const thin = cycle.length < 2 || covered < minSpanSeconds(windowSeconds) * 1000 || weightMs <= 0
  return {
    id,
    resetsAt: last.resetsAt,
    at: new Date(last.t).toISOString(),
    percentPerHour: thin ? null : Math.round((weightedUse / weightMs) * HOUR_MS * 1000) / 1000,
    weightSeconds: Math.round(weightMs / 1000),
    tauSeconds: tau / 1000,
    spark,
  }
}

/** Hourly buckets over the last day ending with the hour that holds `nowMs`: each the highest share seen in it. */
export function sparkOf(points: WindowPoint[], nowMs: number, buckets = 24, bucketSeconds = 3600): Spark {
  const step = bucketSeconds * 1000
  const end = Math.floor(nowMs / step) * step + step
  const start = end - buckets * step
  const values: (number | null)[] = new Array(buckets).fill(null)
  for (const p of points) {
    if (p.t < start || p.t >= end) continue
    const i = Math.floor((p.t - start) / step)
    const v = values[i]
    values[i] = v === null || v === undefined ? p.used : Math.max(v, p.used)
  }
  return { end: new Date(end).toISOString(), bucketSeconds, values }
}
