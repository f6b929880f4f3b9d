import { clean, countdown, formatBalance, formatSpend, windowLine } from '../render/format.js'
import type { Thresholds } from '../model.js'
import { type AccountView, levelOf } from '../view.js'
import { meter, paint, type Style } from './term.js'

/** Detail lines shared by `verify` and `doctor`: one row per window, then spend and balances. */
export function meterLines(
  a: AccountView,
  nowMs: number,
  style: Style,
  thresholds: Thresholds,
  indent = '  ',
): string[] {
  const rows = a.windows.map((w) => ({ w, ...windowLine(w, nowMs) }))
  const width = Math.max(0, ...rows.map((r) => r.label.length))
  const lines = rows.map((r) => {
    const tone = levelOf(r.w.usedPercent, thresholds)
    const bar = paint(style, tone, meter(r.w.usedPercent, 10))
    return `${indent}${r.label.padEnd(width)}  ${bar}  ${paint(style, tone, r.pct.padStart(4))}  ${r.reset}`
  })
  for (const s of a.spend) lines.push(`${indent}${clean(s.label)}: ${formatSpend(s)}`)
  for (const b of a.balances) lines.push(`${indent}${clean(b.label)}: ${formatBalance(b, nowMs)}`)
  if (lines.length === 0) lines.push(`${indent}no limits reported`)
  for (const n of a.notes) lines.push(`${indent}${clean(n)}`)
  return lines
}

/** `5h 37% · 7d 12%`: the compact form. */
export function meterSummary(a: AccountView): string {
  return a.windows.map((w) => `${clean(w.label)} ${Math.round(w.usedPercent)}%`).join(' · ')
}

/** `in 4m` / `at 2026-11-22 10:05 (in 4m)` style countdown for a retry time. */
export function untilText(iso: string, nowMs: number): string {
  return `in ${countdown(iso, nowMs) ?? '<1m'}`
}
