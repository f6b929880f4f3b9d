import type { UsageWindow } from '../../model.js'
import { clampPercent, slugOf } from '../quota-window.js'

/**
 * Shared by wham/usage and the session logs: windows are named by their LENGTH, never by their
 * slot. Free/Go/Plus plans put the weekly window in `primary` with `secondary: null`.
 */

export const FIVE_HOURS = 5 * 3600
export const WEEK = 7 * 86400
const DAY = 86400

/** One window as either source reports it, times already absolute. */
export interface Reading {
  usedPercent: number
  /** Length in seconds; null when the payload left it out (sparse shapes). */
  seconds: number | null
  resetsAt: string | null
  /** Seconds from the reading's own time to the reset, when known. */
  resetAfter: number | null
}

/** A named limit beside the account-wide one (a model such as Spark, or code review). */
export interface Scope {
  slug: string
  name: string
}

/** Given a reset time, the length of a window known to reset then (from the other source), or null. */
export type LengthHint = (resetsAt: string) => number | null

interface Kind {
  id: string
  label: string
  seconds: number
}

// Codex rounds lengths (`window_minutes` 299 or 10079), so a class matches within 2 %.
const near = (s: number, target: number) => Math.abs(s - target) <= target * 0.02

function shortLength(s: number): string {
  if (s % DAY === 0) return `${s / DAY}d`
  if (s % 3600 === 0) return `${s / 3600}h`
  if (s % 60 === 0) return `${s / 60}m`
  return `${s}s`
}

export function classifyLength(seconds: number): Kind {
  if (near(seconds, FIVE_HOURS)) return { id: 'session', label: '5h', seconds: FIVE_HOURS }
  if (near(seconds, WEEK)) return { id: 'weekly', label: '7d', seconds: WEEK }
  if (near(seconds, DAY)) return { id: 'daily', label: '1d', seconds: DAY }
  const s = Math.round(seconds)
  if (s >= 28 * DAY && s <= 31 * DAY) return { id: 'monthly', label: 'month', seconds: s }
  return { id: `window:${s}s`, label: shortLength(s), seconds: s }
}

/**
 * Without a length, a labelled guess (spec §2.2): a reset more than 5 h away cannot be the 5-hour
 * window; otherwise the historical layout (primary 5 h beside a secondary weekly), and a lone window
 * is weekly, as on the plans that have only one. A guessed window keeps `windowSeconds: null`.
 */
function guessKind(r: Reading, slot: 'primary' | 'secondary', hasSibling: boolean): Kind {
  const later = r.resetAfter !== null && r.resetAfter > FIVE_HOURS * 1.02
  if (slot === 'primary' && hasSibling && !later) return { id: 'session', label: '5h', seconds: FIVE_HOURS }
  return { id: 'weekly', label: '7d', seconds: WEEK }
}

export { clampPercent, slugOf as slug }

/**
 * The primary/secondary pair of one limit → windows. The account-wide limit gets the stable ids
 * (`session`, `weekly`, ...); a scoped one gets `<id>:<slug>` and the limit's name in its label.
 */
export function windowsOf(
  primary: Reading | null,
  secondary: Reading | null,
  scope: Scope | null,
  hint: LengthHint | null,
): UsageWindow[] {
  const out: UsageWindow[] = []
  const slots = [
    ['primary', primary],
    ['secondary', secondary],
  ] as const
  for (const [slot, r] of slots) {
    if (!r) continue
    const hinted = r.seconds ?? (r.resetsAt && hint ? hint(r.resetsAt) : null)
    const kind = hinted ? classifyLength(hinted) : guessKind(r, slot, primary !== null && secondary !== null)
    let id = scope ? `${kind.id}:${scope.slug}` : kind.id
    // Two windows of one length (a drifted payload) must still have distinct ids.
    if (out.some((w) => w.id === id)) id = `${id}:${slot}`
    out.push({
      id,
      label: scope ? `${scope.name} ${kind.label}` : kind.label,
      usedPercent: clampPercent(r.usedPercent),
      resetsAt: r.resetsAt,
      windowSeconds: hinted ? kind.seconds : null,
    })
  }
  return out
}

const PLAN_NAMES: Record<string, string> = {
  prolite: 'Pro Lite',
  edu: 'Edu',
  education: 'Edu',
  k12: 'K-12',
  free_workspace: 'Free Workspace',
  self_serve_business_usage_based: 'Business (usage-based)',
  enterprise_cbp_usage_based: 'Enterprise (usage-based)',
}

/** `plus` → `Plus`, `prolite` → `Pro Lite`; unknown strings are kept, title-cased. */
export function planLabel(planType: string | null | undefined): string | null {
  const p = (planType ?? '').trim().toLowerCase()
  if (!p || p === 'unknown') return null
  return (
    PLAN_NAMES[p] ??
    p
      .split(/[_\s-]+/)
      .filter(Boolean)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ')
  )
}

export interface Credits {
  has_credits?: boolean | null
  unlimited?: boolean | null
  balance?: number | null
}

/**
 * Credits are a balance left (major units, not money spent), which a SpendMeter cannot show
 * truthfully, so they become a note on the plan: `Business (412.50 credits)`.
 */
export function withCredits(plan: string | null, credits: Credits | null | undefined): string | null {
  if (!credits || credits.has_credits === false) return plan
  const note = credits.unlimited
    ? 'unlimited credits'
    : credits.balance && credits.balance > 0
      ? `${credits.balance.toFixed(2)} credits`
      : null
  if (!note) return plan
  return plan ? `${plan} (${note})` : note
}
