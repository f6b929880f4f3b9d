import type { Thresholds, UsageSnapshot, UsageWindow } from '../model.js'

/**
 * Edge detection for notifications, pure: the last baseline per window and a new snapshot in,
 * the events and the next baseline out. Edge-triggered, per account + window + reset period:
 *
 * - the first data seen for a window only sets its baseline (enabling notifications at 95 % does
 *   not fire a burst; the next crossing does);
 * - within one period the highest level reached only rises, so a crossing never repeats, and a
 *   jump from ok straight to critical is one `critical` event, not two;
 * - a new period (the reset time moved on) starts again from ok; it is announced as `reset` when
 *   the old period had reached the warning threshold — a 5-hour window resetting at 3 % every
 *   five hours is noise, one that had you waiting is news;
 * - `pace`: once per period, when the window first is on course to run out before its reset
 *   (the forecast's `exhaustsAt`, with `thresholds.pace` on); the first sight only sets it too.
 */

export type EventType = 'warning' | 'critical' | 'full' | 'reset' | 'pace'

/** What the hook gets on stdin (one JSON object per event). */
export interface NotifyEvent {
  type: EventType
  account: string
  provider: string
  label: string
  window: string
  windowLabel: string
  usedPercent: number
  /** The threshold crossed (100 for `full`); null for `reset` and `pace`. */
  threshold: number | null
  resetsAt: string | null
  /** `pace`: when the window reaches 100 % at the recent rate; null for the other types. */
  exhaustsAt: string | null
  at: string
}

export interface WindowBaseline {
  /** The period: the window's reset time when last seen. */
  resetsAt: string | null
  /** Highest level reached in this period: 0 ok, 1 warning, 2 critical, 3 full. */
  rank: number
  usedPercent: number
  /** A `pace` event went out (or was due at first sight) in this period. */
  paced?: boolean
}

export type Baselines = Record<string, WindowBaseline>

export interface AccountRef {
  key: string
  provider: string
  label: string
}

const TYPES: EventType[] = ['warning', 'warning', 'critical', 'full']

/** Providers jitter a reset time by sub-seconds to minutes between answers; a period is longer. */
const SAME_PERIOD_MS = 10 * 60_000

export function rankOf(percent: number, t: Thresholds): number {
  if (percent >= 100) return 3
  if (percent >= t.critical) return 2
  return percent >= t.warning ? 1 : 0
}

function samePeriod(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b
  return Math.abs(Date.parse(a) - Date.parse(b)) <= SAME_PERIOD_MS
}

/**
 * The reset time moved on and the old period is over (its reset passed, or usage fell). A reset
 * time that merely shifted while usage stayed is the same period: no second warning for it.
 */
function isNewPeriod(before: WindowBaseline, w: UsageWindow, nowMs: number): boolean {
  if (samePeriod(before.resetsAt, w.resetsAt)) return false
  if (before.resetsAt === null) return true
  return Date.parse(before.resetsAt) <= nowMs + SAME_PERIOD_MS || w.usedPercent < before.usedPercent
}

export function detectEdges(
  account: AccountRef,
  snapshot: UsageSnapshot,
  previous: Baselines,
  thresholds: Thresholds,
  now: Date,
  /** Per window id, the forecast's run-out time (src/pace.ts), when there is one. */
  runsOut: Record<string, string | null> = {},
): { events: NotifyEvent[]; baselines: Baselines } {
  const events: NotifyEvent[] = []
  const baselines: Baselines = { ...previous }
  const event = (
    type: EventType,
    w: UsageWindow,
    threshold: number | null,
    eta: string | null = null,
  ): NotifyEvent => ({
    type,
    account: account.key,
    provider: account.provider,
    label: account.label,
    window: w.id,
    windowLabel: w.label,
    usedPercent: w.usedPercent,
    threshold,
    resetsAt: w.resetsAt,
    exhaustsAt: eta,
    at: now.toISOString(),
  })
  for (const w of snapshot.windows) {
    const rank = rankOf(w.usedPercent, thresholds)
    const eta = thresholds.pace === false ? null : (runsOut[w.id] ?? null)
    const before = previous[w.id]
    if (!before) {
      baselines[w.id] = { resetsAt: w.resetsAt, rank, usedPercent: w.usedPercent, paced: eta !== null }
      continue
    }
    let floor = before.rank
    let paced = before.paced ?? false
    if (isNewPeriod(before, w, now.getTime())) {
      // A session that merely started (no reset time → one) is not a reset.
      if (before.resetsAt !== null && before.rank >= 1 && w.usedPercent < before.usedPercent)
        events.push(event('reset', w, null))
      floor = 0
      paced = false
    }
    if (rank > floor) {
      const threshold = rank === 3 ? 100 : rank === 2 ? thresholds.critical : thresholds.warning
      events.push(event(TYPES[rank] ?? 'warning', w, threshold))
    }
    // Once per period: a forecast that wavers (runs out, then not, then again) is one event.
    if (eta !== null && !paced && rank < 3) {
      events.push(event('pace', w, null, eta))
      paced = true
    }
    baselines[w.id] = { resetsAt: w.resetsAt, rank: Math.max(rank, floor), usedPercent: w.usedPercent, paced }
  }
  return { events, baselines }
}
