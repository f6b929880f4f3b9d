import type { Level, Thresholds } from '../model.js'
import { clean, countdown, pct } from '../render/format.js'
import { levelOf, type WindowView } from '../view.js'

/**
 * The line Claude Code shows under its prompt: `Opus 4.1 · 5h 42% (2h 14m) · 7d 18% (4d 11h)`.
 * Claude Code takes the first line of stdout and renders ANSI colours, so the percentages carry
 * the bar's warning / critical colours unless NO_COLOR (or --no-color) says otherwise.
 */

const ANSI: Record<Level, string> = { ok: '\x1b[32m', warning: '\x1b[33m', critical: '\x1b[31m', unknown: '' }
const RESET = '\x1b[0m'

/** https://no-color.org: any non-empty NO_COLOR turns colour off; so do FORCE_COLOR=0 and TERM=dumb. */
export function wantsColor(env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR) return false
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false
  return env.TERM !== 'dumb'
}

export function formatStatusline(
  model: string | null,
  windows: WindowView[],
  nowMs: number,
  thresholds: Thresholds,
  color: boolean,
): string {
  const parts: string[] = []
  const name = model ? clean(model).slice(0, 40) : ''
  if (name) parts.push(name)
  for (const id of ['session', 'weekly']) {
    const w = windows.find((x) => x.id === id)
    if (!w) continue
    const level = levelOf(w.usedPercent, thresholds)
    const value = color ? `${ANSI[level]}${pct(w.usedPercent)}${RESET}` : pct(w.usedPercent)
    const left = countdown(w.resetsAt, nowMs)
    parts.push(`${clean(w.label)} ${value}${left ? ` (${left})` : ''}`)
  }
  return parts.length > 0 ? parts.join(' · ') : 'quotabar: no usage data yet'
}
