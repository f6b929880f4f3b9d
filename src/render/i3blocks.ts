import { clean } from './format.js'
import { SEPARATOR, summarize } from './summary.js'
import type { Renderer } from './types.js'

/**
 * i3blocks raw lines: full_text, short_text, colour. No `format=json`: i3blocks 1.4 copies JSON
 * strings without unescaping. One colour per block, so it is the worst state's. Exit 33 marks the
 * block urgent when an account is critical.
 */
export const renderI3blocks: Renderer = (view, options) => {
  const { colors } = options
  const s = summarize(view, options)
  const full = clean(s.fallback ?? s.segments.map((x) => x.text).join(SEPARATOR))
  const color = s.state === 'error' ? colors.error : s.state === 'stale' ? colors.stale : colors[s.level]
  return { text: `${full}\n${clean(s.short)}\n${color}`, exitCode: s.level === 'critical' ? 33 : 0 }
}
