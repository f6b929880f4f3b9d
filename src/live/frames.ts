import { I3BAR_HEADER } from '../render/i3bar.js'
import type { Rendered } from '../render/types.js'

/**
 * How `watch` turns a render into the stream a long-running bar module reads: one line per
 * update. Most formats are the one-shot line itself; two need a different shape:
 *
 * - i3blocks `interval=persist` takes each line as one update of **full_text only** unless the
 *   block has `format=json` (i3blocks 1.4 block.c, block_update). So watch prints a JSON object,
 *   and since 1.4's JSON reader copies strings up to the next `"` without unescaping, the strings
 *   must contain no `"` and no `\` (replaced by `'` and `/`); `"urgent":"true"` is passed through
 *   as the bare `true` i3bar wants (observed with the real i3blocks).
 * - i3bar: the header and `[` once, then `[blocks]`, then `,[blocks]` for every update.
 */

export const WATCH_FORMATS = ['waybar', 'i3blocks', 'polybar', 'i3bar', 'plain', 'tmux'] as const
export type WatchFormat = (typeof WATCH_FORMATS)[number]

const I3BAR_PREFIX = `${I3BAR_HEADER}\n[\n`

/** The content of one update, without framing: what "did it change?" compares. */
export function updateLine(format: WatchFormat, rendered: Rendered): string {
  if (format === 'i3blocks') return i3blocksJson(rendered)
  if (format === 'i3bar')
    return rendered.text.startsWith(I3BAR_PREFIX) ? rendered.text.slice(I3BAR_PREFIX.length) : '[]'
  return rendered.text
}

/** The bytes to write for update number `n` (0 = the first). */
export function frame(format: WatchFormat, line: string, n: number): string {
  if (format !== 'i3bar') return `${line}\n`
  return n === 0 ? `${I3BAR_PREFIX}${line}\n` : `,${line}\n`
}

const safe = (s: string) => s.replace(/["\\]/g, (c) => (c === '"' ? "'" : '/'))

function i3blocksJson({ text, exitCode }: Rendered): string {
  const [full = '', short = '', color = ''] = text.split('\n')
  const block: Record<string, string> = { full_text: safe(full), short_text: safe(short) }
  if (/^#[0-9a-fA-F]{6}$/.test(color)) block.color = color
  if (exitCode === 33) block.urgent = 'true'
  return JSON.stringify(block)
}
