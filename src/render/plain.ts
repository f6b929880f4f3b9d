import { clean } from './format.js'
import { SEPARATOR, summarize } from './summary.js'
import type { Renderer } from './types.js'

/** One line of plain text: the same segments the bars show. */
export const renderPlain: Renderer = (view, options) => {
  const s = summarize(view, options)
  if (s.fallback && view.problem) {
    const p = view.problem
    return { text: clean(`quotabar: ${p.message}${p.fix ? ` — ${p.fix}` : ''}`), exitCode: 0 }
  }
  return { text: s.fallback ?? s.segments.map((x) => x.text).join(SEPARATOR), exitCode: 0 }
}
