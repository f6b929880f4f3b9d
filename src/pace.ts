import type { Spark, UsageWindow, WindowBurn } from './model.js'

/**
 * Pace and forecast at render time (design §4): pure arithmetic on the cached window and the burn
 * rate the refresh read from the history. No I/O: the render path never opens history files.
 */

export interface Pace {
  /** Share of the window elapsed, 0–100. */
  elapsedPercent: number | null
  /** `usedPercent − elapsedPercent`: positive means ahead of an even pace. */
  paceDelta: number | null
  /** usedPercent at `resetsAt` at the recent burn rate; null when the history is too thin. */
  projectedPercent: number | null
  /** When 100 % is reached at that rate, if before `resetsAt`. */
  exhaustsAt: string | null
  /** The rate behind the forecast, percent of the window per hour now; null when too thin. */
  burnPerHour: number | null
}

export const NO_PACE: Pace = {
  elapsedPercent: null,
  paceDelta: null,
  projectedPercent: null,
  exhaustsAt: null,
  burnPerHour: null,
}

const HOUR_MS = 3_600_000
const round1 = (n: number) => Math.round(n * 10) / 10

/**
 * Two `resetsAt` of one cycle. Providers spell a reset with some jitter (seconds, or a countdown
 * relative to the fetch); two cycles of one window are a whole window apart. A quarter window
 * tells them apart with room to spare.
 */
export function sameCycle(a: string | null, b: string | null, windowSeconds: number | null): boolean {
  if (a === null || b === null) return a === b
  const tolerance = Math.max(60_000, ((windowSeconds ?? 0) * 1000) / 4)
  return Math.abs(Date.parse(a) - Date.parse(b)) <= tolerance
}

/**
 * The burn rate now. Time after `idleAfterMs` with no new point counts as idle: it dilutes the
 * weighted rate exactly as a run of points without increase would have, so an account that
 * stopped decays toward no burn even while nothing refreshes it (a sleeping laptop, `--no-refresh`).
 * The caller sets `idleAfterMs` past the next expected refresh, and past a 429 cooldown: a gap the
 * provider imposed says nothing about use, so the rate holds through it.
 */
export function rateAt(burn: WindowBurn, nowMs: number, idleAfterMs: number): number | null {
  const r = burn.percentPerHour
  if (r === null) return null
  const idleMs = nowMs - Math.max(idleAfterMs, Date.parse(burn.at))
  if (!(idleMs > 0) || r <= 0) return Math.max(0, r)
  const tau = burn.tauSeconds * 1000
  const keep = Math.exp(-idleMs / tau)
  const weight = burn.weightSeconds * 1000 * keep
  return (r * weight) / (weight + tau * (1 - keep))
}

type PaceWindow = Pick<UsageWindow, 'usedPercent' | 'resetsAt' | 'windowSeconds'> & { rolledOver?: boolean }

export interface PaceClock {
  nowMs: number
  /** When `usedPercent` was true (the snapshot's fetch). */
  fromMs: number
  /** From here on, time without a new point counts as idle (see `rateAt`). */
  idleAfterMs: number
}

/**
 * The forecast runs from the fetch, not from the render: until `idleAfterMs` use goes on at the
 * rate (so the run-out time does not drift later with every render of the same data), after it
 * the rate decays as idle time would make it.
 */
export function paceOf(w: PaceWindow, burn: WindowBurn | undefined, clock: PaceClock): Pace {
  const { nowMs } = clock
  if (!w.resetsAt || !w.windowSeconds) return NO_PACE
  const resetMs = Date.parse(w.resetsAt)
  const lengthMs = w.windowSeconds * 1000
  const elapsed = Math.min(100, Math.max(0, ((nowMs - (resetMs - lengthMs)) / lengthMs) * 100))
  const out: Pace = {
    elapsedPercent: round1(elapsed),
    paceDelta: round1(w.usedPercent - elapsed),
    projectedPercent: null,
    exhaustsAt: null,
    burnPerHour: null,
  }
  // A rolled-over window is a new cycle: the old cycle's rate says nothing about it.
  if (!burn || w.rolledOver || !sameCycle(burn.resetsAt, w.resetsAt, w.windowSeconds)) return out
  const held = burn.percentPerHour
  const rate = rateAt(burn, nowMs, clock.idleAfterMs)
  if (held === null || rate === null) return out
  const from = Math.max(clock.fromMs, Date.parse(burn.at))
  const busyMs = Math.max(0, Math.min(nowMs, clock.idleAfterMs, resetMs) - from)
  const usedNow = w.usedPercent + Math.max(0, held) * (busyMs / HOUR_MS)
  const leftH = Math.max(0, resetMs - nowMs) / HOUR_MS
  out.burnPerHour = Math.round(rate * 100) / 100
  out.projectedPercent = round1(usedNow + rate * leftH)
  if (w.usedPercent >= 100) return out
  // Already past 100 % by the estimate (a long cooldown): it ran out when the held rate got there.
  const at =
    usedNow >= 100
      ? from + ((100 - w.usedPercent) / held) * HOUR_MS
      : rate > 0
        ? nowMs + ((100 - usedNow) / rate) * HOUR_MS
        : Number.POSITIVE_INFINITY
  if (at < resetMs) out.exhaustsAt = new Date(Math.round(at / 1000) * 1000).toISOString()
  return out
}

/**
 * The spark as of now: buckets move on with the clock, so an entry that has not been refreshed
 * shows its last known hours shifted left and the hours since as gaps (unknown is not zero).
 */
export function sparkAt(spark: Spark | null | undefined, nowMs: number): (number | null)[] | null {
  if (!spark || spark.values.length === 0) return null
  const step = spark.bucketSeconds * 1000
  const shift = Math.round((Math.floor(nowMs / step) * step + step - Date.parse(spark.end)) / step)
  if (!(shift > 0)) return spark.values
  if (shift >= spark.values.length) return null
  return [...spark.values.slice(shift), ...new Array<null>(shift).fill(null)]
}
