import type { Readable } from 'node:stream'
import { z } from 'zod'

/**
 * Click events on stdin. i3bar/swaybar (header `click_events: true`) and i3blocks 1.5 (for
 * `interval=persist` blocks) write an endless JSON array, one event per line:
 * `[` then `{"name":…,"instance":…,"button":1,…}` then `,{…}` (swaybar-protocol(7)).
 * i3blocks 1.4 closes a persistent block's stdin instead: that is just an early end here.
 */

const clickSchema = z.object({
  button: z.number().int().min(1).max(9),
  name: z.string().nullish(),
  instance: z.string().nullish(),
})

export type ClickEvent = z.infer<typeof clickSchema>

/** One line of the stream → an event, or null for the array punctuation and anything unreadable. */
export function parseClickLine(line: string): ClickEvent | null {
  const body = line
    .trim()
    .replace(/^[[,]\s*/, '')
    .trim()
  if (!body.startsWith('{')) return null
  try {
    const parsed = clickSchema.safeParse(JSON.parse(body))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** Calls `onClick` per event; returns a function that stops listening. */
export function readClicks(input: Readable, onClick: (e: ClickEvent) => void): () => void {
  let buffered = ''
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString('utf8')
    let nl = buffered.indexOf('\n')
    while (nl >= 0) {
      const event = parseClickLine(buffered.slice(0, nl))
      buffered = buffered.slice(nl + 1)
      if (event) onClick(event)
      nl = buffered.indexOf('\n')
    }
    // A runaway line without a newline must not grow forever.
    if (buffered.length > 65_536) buffered = ''
  }
  input.on('data', onData)
  input.on('error', () => {})
  return () => {
    input.off('data', onData)
    input.destroy()
  }
}
