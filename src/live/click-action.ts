import type { CacheEntry } from '../model.js'
import { cycle, focusOf, readChoice, type ViewChoice, windowIds, writeChoice } from './choice.js'

/**
 * What a mouse button does, the same for `quotabar click`, i3blocks' BLOCK_BUTTON and i3bar click
 * events: left / scroll cycle the account the short text shows, right cycles the window that
 * drives the numbers, middle refreshes now (the caller does that: the CLI waits for it, `watch`
 * fetches in-process).
 */

export const BUTTON_NAMES: Record<string, number> = { left: 1, middle: 2, right: 3, up: 4, down: 5 }

/** `1`..`9` or a name; null for anything else. */
export function parseButton(value: string): number | null {
  const named = BUTTON_NAMES[value.toLowerCase()]
  if (named !== undefined) return named
  return /^[1-9]$/.test(value) ? Number(value) : null
}

export type ClickResult =
  | { action: 'focus' | 'window'; choice: ViewChoice }
  | { action: 'refresh' }
  | { action: 'none' }

/** Applies a button to the persisted choice (atomically replaced) and says what changed. */
export function applyClick(
  button: number,
  keys: string[],
  entries: (CacheEntry | null)[],
  stateDir: string,
): ClickResult {
  if (button === 2) return { action: 'refresh' }
  const choice = readChoice(stateDir)
  let next: ViewChoice
  let action: 'focus' | 'window'
  if (button === 1 || button === 5 || button === 4) {
    action = 'focus'
    next = { ...choice, focus: cycle(keys, focusOf(choice, keys), button === 4 ? -1 : 1) }
  } else if (button === 3) {
    action = 'window'
    next = { ...choice, window: cycle(windowIds(entries), choice.window, 1) }
  } else return { action: 'none' }
  writeChoice(stateDir, next)
  return { action, choice: next }
}

export function describeClick(result: ClickResult): string {
  switch (result.action) {
    case 'focus':
      return `short text: ${result.choice.focus ?? 'the most constrained account'}`
    case 'window':
      return `window: ${result.choice.window ?? 'auto (the most constrained)'}`
    case 'refresh':
      return 'refreshed'
    case 'none':
      return 'nothing to do for this button'
    default:
      return result satisfies never
  }
}
