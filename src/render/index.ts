import { renderI3bar } from './i3bar.js'
import { renderI3blocks } from './i3blocks.js'
import { renderJson } from './json.js'
import { renderPlain } from './plain.js'
import { renderPolybar } from './polybar.js'
import { renderPrometheus } from './prometheus.js'
import { renderTmux } from './tmux.js'
import type { Renderer } from './types.js'
import { renderWaybar } from './waybar.js'

export const renderers = {
  plain: renderPlain,
  waybar: renderWaybar,
  i3blocks: renderI3blocks,
  // One frame (header, `[`, one array): swaybar/i3bar need `quotabar watch -f i3bar` (i3bar.ts).
  i3bar: renderI3bar,
  tmux: renderTmux,
  polybar: renderPolybar,
  json: renderJson,
  prometheus: renderPrometheus,
} satisfies Record<string, Renderer>

export type Format = keyof typeof renderers

export const formats = Object.keys(renderers) as Format[]

/** Formats a bar runs on a timer: they always exit 0 (i3blocks: or 33) and always print one valid line. */
export const BAR_FORMATS: ReadonlySet<string> = new Set(['waybar', 'i3blocks', 'i3bar', 'tmux', 'polybar'])

export function isFormat(value: string): value is Format {
  return Object.hasOwn(renderers, value)
}
