import type { Level } from '../model.js'
import { type AccountView, type View, worstLevel } from '../view.js'
import { clean, problemText } from './format.js'
import { type SegmentContext, segmentText } from './segment.js'
import type { RenderOptions } from './types.js'

/** The pieces every bar format shares: segment texts, overall state, classes and percentage. */
export interface Summary {
  /**
   * `short`: the same segment with a shortened label (`w 96%`), for i3bar's short_text; only when
   * asked for (`summarize(..., true)`): the other formats do not pay for it.
   */
  segments: { account: AccountView; text: string; short?: string }[]
  /** First class: `ok` | `warning` | `critical` | `stale` | `error`. */
  state: 'ok' | 'warning' | 'critical' | 'stale' | 'error'
  classes: string[]
  /** The most constrained meter over all accounts, 0–100 integer (overage clamped). */
  percentage: number
  level: Level
  /** Short text: the clicked account, else the most constrained one, with its whole label. */
  short: string
  /** The account `short` is about. */
  shortKey: string | null
  fallback: string | null
}

export function summarize(view: View, options: RenderOptions, withShort = false): Summary {
  const ctx: SegmentContext = {
    nowMs: Date.parse(view.generatedAt),
    icons: options.icons ?? 'none',
    providerIcons: options.providerIcons ?? {},
    providerNames: options.providerNames,
  }
  const t = options.text
  const abbrev = withShort ? shortLabels(view.accounts.map((a) => clean(a.label))) : null
  const segments = view.accounts.map((account, i) => {
    const template = t ? (t.override ?? t.byAccount[account.key] ?? t.global) : null
    const text = segmentText(account, ctx, template)
    return abbrev
      ? { account, text, short: segmentText(account, ctx, template, abbrev[i]) }
      : { account, text }
  })
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
  let top: Summary['segments'][number] | undefined
  for (const s of segments) {
    const p = s.account.driver?.percent ?? -1
    if (p >= 0 && (!top || p > (top.account.driver?.percent ?? -1))) top = s
  }
  const shown = segments.find((s) => s.account.key === view.focus) ?? top ?? segments[0]
  const percentage = Math.round(Math.min(100, Math.max(0, top?.account.driver?.percent ?? 0)))
  const fallback = view.accounts.length === 0 ? problemText(view) : null
  return {
    segments,
    state,
    classes,
    percentage,
    level,
    short: shown?.text ?? fallback ?? '',
    shortKey: shown?.account.key ?? null,
    fallback,
  }
}

/**
 * The shortest prefix of each label that no other label starts with (`work`, `web` → `wo`, `we`;
 * `work`, `personal` → `w`, `p`), so a bar short of space still says whose number it is.
 */
export function shortLabels(labels: string[]): string[] {
  return labels.map((label, i) => {
    const chars = [...label]
    for (let n = 1; n < chars.length; n++) {
      const prefix = chars.slice(0, n).join('')
      if (labels.every((other, j) => j === i || !other.startsWith(prefix))) return prefix
    }
    return label
  })
}

export const SEPARATOR = ' · '
