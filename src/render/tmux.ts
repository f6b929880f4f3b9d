import { clean } from './format.js'
import { segmentColor, textOn } from './palette.js'
import { summarize } from './summary.js'
import type { Renderer } from './types.js'

/**
 * tmux expands `#()` output as a format again: a literal `#` must be `##`, and hex colours must be
 * lower-case (`#F…` would be read as the window-flags alias).
 *
 * Each account is a chip: the palette colour as background, black or white text (whichever
 * contrasts more). A coloured foreground alone is unreadable on some status lines — tmux's
 * default is green, where the "ok" green vanished — while a chip reads on green, dark and light.
 */
const tmuxText = (text: string) => clean(text).replace(/#/g, '##')

const chip = (color: string, text: string) => {
  const bg = color.toLowerCase()
  return `#[fg=${textOn(bg)},bg=${bg}] ${tmuxText(text)} #[default]`
}

export const renderTmux: Renderer = (view, options) => {
  const { colors } = options
  const s = summarize(view, options)
  if (s.fallback) return { text: chip(colors.error, s.fallback), exitCode: 0 }
  return { text: s.segments.map((x) => chip(segmentColor(x.account, colors), x.text)).join(' '), exitCode: 0 }
}
