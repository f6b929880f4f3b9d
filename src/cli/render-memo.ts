import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileStamp } from '../config/checked.js'
import type { Env } from '../config/paths.js'
import { isRec, listOf, num, str } from '../hand-check.js'
import { hash52 } from '../logs/hash.js'

/**
 * The render memo: a bar asks for the same line every few seconds, and the line changes far less
 * often (a countdown in minutes, a refresh that lands). A render that may be reused leaves its line
 * in `<cache>/render/<hash>.json` with everything it depended on:
 * - the call: argv, working directory and build (the key, compared whole);
 * - each environment variable it read, as a hash of the value (never the value: keys live there);
 * - each file it read or looked for, as stat stamps taken before reading (inode, size, times), so a
 *   file rewritten since, created or removed no longer matches;
 * - the span of time in which the same inputs give the same line and start no refresh
 *   (`from` ≤ now < `until`, found by rendering at later instants: ./memo-save.ts).
 * The bin (./bin.ts) prints a memo's line only when all of these still hold, before loading
 * anything else; otherwise it renders as before and may leave a new memo. What a render reads is
 * recorded where it cannot be forgotten: the bundle's own `node:fs` and environment are wrapped
 * (./render-record.ts), and any call that is not a plain read (a write, a spawn, an enumeration of
 * the environment) rules the memo out.
 */

const MEMO_DIR = 'render'

export interface Memo {
  v: 1
  key: string
  env: [name: string, hash: string][]
  from: number
  until: number
  out: string
  code: number
  inputs: [path: string, stamp: string][]
}

/** What identifies a call: its words, where it runs (relative paths), and the build that renders. */
export const memoKey = (argv: string[], cwd: string, build: string): string =>
  JSON.stringify([build, cwd, argv])

/** A 52-bit hash of `text` as 13 hex digits: no node:crypto on this path. */
export const textHash = (text: string): string => hash52(text).toString(16).padStart(13, '0')

/** How a memo holds an environment variable's value: unset, or the value's hash. */
export const envStamp = (value: string | undefined): string => (value === undefined ? '-' : textHash(value))

export const memoFile = (cacheDir: string, key: string): string =>
  join(cacheDir, MEMO_DIR, `${textHash(key)}.json`)

/** A path's stat stamp (config/checked.ts), `-` when it does not exist or cannot be looked at. */
export const pathStamp = (path: string): string => fileStamp(path) ?? '-'

const isPair = (p: unknown): p is [string, string] =>
  Array.isArray(p) && p.length === 2 && str(p[0]) && str(p[1])

/** The memo for this call when it still holds at `nowMs`: same key, environment, files and time span. */
export function memoHit(cacheDir: string, key: string, env: Env, nowMs: number): Memo | null {
  let m: Partial<Memo> | null
  try {
    m = JSON.parse(readFileSync(memoFile(cacheDir, key), 'utf8'))
  } catch {
    return null
  }
  if (
    !isRec(m) ||
    m.v !== 1 ||
    m.key !== key ||
    !str(m.out) ||
    !Number.isInteger(m.code) ||
    !num(m.from) ||
    !num(m.until) ||
    !(nowMs >= m.from && nowMs < m.until) ||
    !listOf(m.env, isPair) ||
    !listOf(m.inputs, isPair)
  )
    return null
  for (const [name, stamp] of m.env) if (envStamp(env[name]) !== stamp) return null
  for (const [path, stamp] of m.inputs) if (pathStamp(path) !== stamp) return null
  return m as Memo
}
