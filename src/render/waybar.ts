import type { AccountView, View } from '../view.js'
import { clean, escapePango, formatBalance, formatSpend, statusLine, windowLine } from './format.js'
import { SEPARATOR, summarize } from './summary.js'
import type { RenderOptions, Renderer } from './types.js'

/**
 * Waybar custom module with `return-type: json`: one compact object per line. `text` is one line
 * of Pango-escaped text, `percentage` an integer (0.9.17 shows a float as 0), `class` an array of
 * `[a-z0-9-]` names with the state first, `tooltip` Pango with a block of rows per account.
 */
export const renderWaybar: Renderer = (view, options) => {
  const s = summarize(view)
  const text = s.fallback ?? s.segments.map((x) => x.text).join(SEPARATOR)
  const tooltip = s.fallback
    ? problemTooltip(view)
    : view.accounts.map((a) => accountBlock(a, view, options)).join('\n\n')
  const out = {
    text: escapePango(text),
    alt: s.state,
    tooltip,
    class: s.classes,
    percentage: s.percentage,
  }
  return { text: JSON.stringify(out), exitCode: 0 }
}

function problemTooltip(view: View): string {
  const p = view.problem
  if (!p) return 'quotabar: nothing to show'
  return `<b>${escapePango(p.message)}</b>${p.fix ? `\n${escapePango(p.fix)}` : ''}`
}

function accountBlock(a: AccountView, view: View, options: RenderOptions): string {
  const nowMs = Date.parse(view.generatedAt)
  const who = [options.providerNames[a.provider] ?? a.provider, a.plan, a.email]
    .filter(Boolean)
    .map((x) => clean(x ?? ''))
  const marks = [a.active ? 'active' : '', a.best ? 'best now' : ''].filter(Boolean).join(' · ')
  const lines = [
    `<b>${escapePango(a.label)}</b>  <small>${escapePango(who.join(' · '))}</small>${marks ? `  <i>${marks}</i>` : ''}`,
  ]
  const rows = a.windows.map((w) => windowLine(w, nowMs))
  const width = Math.max(0, ...rows.map((r) => r.label.length))
  for (const r of rows) {
    lines.push(
      `<tt>${escapePango(r.label)}${' '.repeat(width - r.label.length)}  ${r.bar} ${r.pct.padStart(4)}  ${escapePango(r.reset)}</tt>`,
    )
  }
  for (const sp of a.spend) lines.push(`${escapePango(sp.label)}: ${escapePango(formatSpend(sp))}`)
  for (const b of a.balances) lines.push(`${escapePango(b.label)}: ${escapePango(formatBalance(b, nowMs))}`)
  if (rows.length === 0 && a.spend.length === 0 && a.balances.length === 0 && a.status === 'ok')
    lines.push('no limits reported')
  for (const n of a.notes) lines.push(`<small>${escapePango(clean(n))}</small>`)
  lines.push(`<small>${escapePango(statusLine(a, nowMs))}</small>`)
  return lines.join('\n')
}
