import type { View } from '../view.js'
import { clean } from './format.js'
import { segmentColor } from './palette.js'
import { summarize } from './summary.js'
import type { Renderer, RenderOptions } from './types.js'

/**
 * The i3bar protocol (i3bar, swaybar `status_command`): a header, then an endless JSON array whose
 * elements are arrays of blocks. One block per account, so each keeps its own colour (`markup`
 * stays "none": provider text can never be read as Pango). `quotabar watch -f i3bar` streams it;
 * the one-shot `-f i3bar` prints one frame (header, `[`, one array) — a status_command must keep
 * running: swaybar 1.7 quits when its status_command exits (observed).
 */

/** Click events on: buttons arrive on stdin (`quotabar watch` reads them). */
export const I3BAR_HEADER = '{"version":1,"click_events":true}'

export interface I3barBlock {
  name: 'quotabar'
  instance: string
  full_text: string
  short_text: string
  color: string
  urgent: boolean
  markup: 'none'
}

/**
 * When the bar is short of space it draws every block's short text: the account the short text
 * is about (clicked, or the most constrained) keeps its whole label, the others a shortened one
 * (`w 96%`): a bare number would not say whose it is.
 */
export function i3barBlocks(view: View, options: RenderOptions): I3barBlock[] {
  const { colors } = options
  const s = summarize(view, options, true)
  if (s.fallback) {
    const text = clean(s.fallback)
    return [block('problem', text, 'quotabar ?', colors.error, false)]
  }
  return s.segments.map(({ account, text, short }) =>
    block(
      account.key,
      clean(text),
      clean(account.key === s.shortKey ? text : (short ?? text)),
      segmentColor(account, colors),
      account.level === 'critical',
    ),
  )
}

function block(instance: string, full: string, short: string, color: string, urgent: boolean): I3barBlock {
  return { name: 'quotabar', instance, full_text: full, short_text: short, color, urgent, markup: 'none' }
}

export const renderI3bar: Renderer = (view, options) => ({
  text: `${I3BAR_HEADER}\n[\n${JSON.stringify(i3barBlocks(view, options))}`,
  exitCode: 0,
})
