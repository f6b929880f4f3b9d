import type { Level } from '../model.js'
import { type AccountView, type View, worstLevel } from '../view.js'
import { problemText, segmentText } from './format.js'

/** The pieces every bar format shares: segment texts, overall state, classes and percentage. */
export interface Summary {
  segments: { account: AccountView; text: string }[]
  /** First class: `ok` | `warning` | `critical` | `stale` | `error`. */
  state: 'ok' | 'warning' | 'critical' | 'stale' | 'error'
  classes: string[]
  /** The most constrained meter over all accounts, 0–100 integer (overage clamped). */
  percentage: number
  level: Level
  /** Short text: the most constrained account alone. */
  short: string
  fallback: string | null
}

export function summarize(view: View): Summary {
  const nowMs = Date.parse(view.generatedAt)
  const segments = view.accounts.map((account) => ({ account, text: segmentText(account, nowMs) }))
  const level = worstLevel(view.accounts)
  const statuses = new Set(view.accounts.map((a) => a.status))
  // A cooldown with nothing to show is as broken as an error for the person looking at the bar.
  const blind = view.accounts.some((a) => a.status === 'cooldown' && !a.driver)
  const hasError = statuses.has('error') || statuses.has('expired') || blind || view.problem !== null
  const hasStale = statuses.has('stale') || statuses.has('cooldown')
  const state: Summary['state'] =
    level === 'unknown' ? (hasError ? 'error' : 'stale') : level === 'ok' ? 'ok' : level
  const classes: string[] = [state]
  if (hasStale && state !== 'stale') classes.push('stale')
  if (hasError && state !== 'error') classes.push('error')
  for (const s of ['expired', 'cooldown', 'pending'] as const) if (statuses.has(s)) classes.push(s)
  for (const p of new Set(view.accounts.map((a) => a.provider))) classes.push(p.replace(/[^a-z0-9-]/g, '-'))
  let top: { account: AccountView; text: string } | undefined
  for (const s of segments) {
    const p = s.account.driver?.percent ?? -1
    if (p >= 0 && (!top || p > (top.account.driver?.percent ?? -1))) top = s
  }
  const shown = segments.find((s) => s.account.key === view.focus) ?? top
  const percentage = Math.round(Math.min(100, Math.max(0, top?.account.driver?.percent ?? 0)))
  const fallback = view.accounts.length === 0 ? problemText(view) : null
  return {
    segments,
    state,
    classes,
    percentage,
    level,
    short: shown?.text ?? segments[0]?.text ?? fallback ?? '',
    fallback,
  }
}

export const SEPARATOR = ' · '
