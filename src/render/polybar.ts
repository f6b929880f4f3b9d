import { clean } from './format.js'
import { segmentColor } from './palette.js'
import { SEPARATOR, summarize } from './summary.js'
import type { Renderer } from './types.js'

/** polybar has no escape for `%{`: break it so provider text can never open a tag. */
const polybarText = (text: string) => clean(text).replace(/%\{/g, '% {')

export const renderPolybar: Renderer = (view, options) => {
  const { colors } = options
  const s = summarize(view, options)
  if (s.fallback) return { text: `%{F${colors.error}}${polybarText(s.fallback)}%{F-}`, exitCode: 0 }
  const parts = s.segments.map((x) => `%{F${segmentColor(x.account, colors)}}${polybarText(x.text)}%{F-}`)
  return { text: parts.join(SEPARATOR), exitCode: 0 }
}
