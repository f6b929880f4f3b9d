import { clean, segmentColor } from './format.js'
import { SEPARATOR, summarize } from './summary.js'
import type { Renderer } from './types.js'

/**
 * tmux expands `#()` output as a format again: a literal `#` must be `##`, and hex colours must be
 * lower-case (`#F…` would be read as the window-flags alias).
 */
const tmuxText = (text: string) => clean(text).replace(/#/g, '##')

export const renderTmux: Renderer = (view, { colors }) => {
  const s = summarize(view)
  if (s.fallback)
    return { text: `#[fg=${colors.error.toLowerCase()}]${tmuxText(s.fallback)}#[default]`, exitCode: 0 }
  const parts = s.segments.map(
    (x) => `#[fg=${segmentColor(x.account, colors).toLowerCase()}]${tmuxText(x.text)}#[default]`,
  )
  return { text: parts.join(SEPARATOR), exitCode: 0 }
}
