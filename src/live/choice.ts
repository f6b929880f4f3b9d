import { readFileSync, statSync } from 'node:fs'
import { joinPath } from '../config/paths.js'
import { writeFileAtomic } from '../cache/store.js'
import type { CacheEntry } from '../model.js'

/**
 * What bar clicks chose (`quotabar click`, i3blocks' BLOCK_BUTTON, i3bar click events), kept in
 * `$XDG_STATE_HOME/quotabar/view.json` so every render — one-shot or watch, any bar — shows the
 * same thing. Read on the cached render path: no zod, one small file, any damage reads as "no choice".
 */
export interface ViewChoice {
  /** Account key whose segment is the short text; null: the most constrained account. */
  focus: string | null
  /** Window id that drives each account that has it; null: auto (the most constrained window). */
  window: string | null
}

export const NO_CHOICE: ViewChoice = { focus: null, window: null }

export const choicePath = (stateDir: string) => joinPath(stateDir, 'view.json')

export function readChoice(stateDir: string): ViewChoice {
  const path = choicePath(stateDir)
  // Usually there is none: a stat that cannot throw is ~10x cheaper than a failed read.
  if (!statSync(path, { throwIfNoEntry: false })) return NO_CHOICE
  let raw: string
  try {
    raw = readFileSync(path, 'utf8')
  } catch {
    return NO_CHOICE
  }
  try {
    const v: unknown = JSON.parse(raw)
    if (typeof v !== 'object' || v === null) return NO_CHOICE
    const focus = 'focus' in v && typeof v.focus === 'string' ? v.focus : null
    const window = 'window' in v && typeof v.window === 'string' ? v.window : null
    return { focus, window }
  } catch {
    return NO_CHOICE
  }
}

export function writeChoice(stateDir: string, choice: ViewChoice): void {
  writeFileAtomic(choicePath(stateDir), `${JSON.stringify({ v: 1, ...choice })}\n`)
}

/**
 * The window an account renders with. An explicit `--window` wins; a clicked window applies to
 * the accounts that have it, the others stay on auto (a `--` would hide what they do have).
 */
export function windowFor(requested: string, choice: ViewChoice, entry: CacheEntry | null): string {
  if (requested !== 'auto' || choice.window === null) return requested
  return entry?.snapshot?.windows.some((w) => w.id === choice.window) ? choice.window : 'auto'
}

/** The focused account, if it is among the ones shown. */
export function focusOf(choice: ViewChoice, keys: string[]): string | null {
  return choice.focus !== null && keys.includes(choice.focus) ? choice.focus : null
}

/** One step through `[null, ...options]`; a value no longer offered counts as null. */
export function cycle(options: string[], current: string | null, step: 1 | -1): string | null {
  const ring: (string | null)[] = [null, ...options]
  const at = Math.max(0, ring.indexOf(current))
  return ring[(at + step + ring.length) % ring.length] ?? null
}

/** Window ids across the accounts' cached data, in first-seen order: what a right click cycles. */
export function windowIds(entries: (CacheEntry | null)[]): string[] {
  const ids: string[] = []
  for (const e of entries) for (const w of e?.snapshot?.windows ?? []) if (!ids.includes(w.id)) ids.push(w.id)
  return ids
}
