import type { View } from '../view.js'
import { escapePango } from './format.js'
import { segmentColor } from './palette.js'
import { SEPARATOR, summarize } from './summary.js'
import { renderTooltip } from './tooltip.js'
import type { Renderer } from './types.js'

/**
 * Waybar custom module with `return-type: json`: one compact object per line. `text` is one line
 * of Pango markup, each account in its own level's colour (`<span foreground>`; the documented
 * module sets `escape: false`), while `class` stays the worst level for CSS. `percentage` is an
 * integer (0.9.17 shows a float as 0), `class` an array of `[a-z0-9-]` names with the state first.
 */
export const renderWaybar: Renderer = (view, options) => {
  const s = summarize(view, options)
  const text = s.fallback
    ? escapePango(s.fallback)
    : s.segments
        .map(
          (x) =>
            `<span foreground="${segmentColor(x.account, options.colors)}">${escapePango(x.text)}</span>`,
        )
        .join(SEPARATOR)
  const out = {
    text,
    alt: s.state,
    tooltip: s.fallback ? problemTooltip(view) : renderTooltip(view, options),
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
