import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { dirname } from 'node:path'
import { joinPath } from '../config/paths.js'
import type { CacheEntry } from '../model.js'
import { validEntry } from './valid.js'

/** `claude/work` → `<cache>/accounts/claude~work.json` (ids are restricted to filename-safe characters). */
export function entryPath(cacheDir: string, key: string): string {
  return joinPath(cacheDir, 'accounts', `${key.replace('/', '~')}.json`)
}

export function emptyEntry(key: string): CacheEntry {
  return {
    v: 1,
    key,
    fingerprint: null,
    credentialStamp: null,
    snapshot: null,
    lastAttemptAt: null,
    error: null,
    retryAt: null,
    cooldown: false,
    failures: 0,
    rateLimitStrikes: 0,
  }
}

/** What an account shows when the cache dir cannot be written (lock.ts lockProblem says why). */
export function unwritableEntry(key: string, problem: { path: string; code: string }, now: Date): CacheEntry {
  return {
    ...emptyEntry(key),
    lastAttemptAt: now.toISOString(),
    error: {
      kind: 'config',
      message: `cannot write the cache: ${problem.path} (${problem.code})`,
      fix: 'make that directory writable, or set QUOTABAR_CACHE_DIR to a writable directory',
      httpStatus: null,
    },
  }
}

/**
 * Reads one account's cache file. A missing, truncated, foreign or damaged file (valid.ts) reads
 * as "no entry" for that account alone: the next refresh rewrites it, and no render fails on it.
 */
export function readEntry(cacheDir: string, key: string): CacheEntry | null {
  let raw: string
  try {
    raw = readFileSync(entryPath(cacheDir, key), 'utf8')
  } catch {
    return null
  }
  try {
    return validEntry(JSON.parse(raw), key)
  } catch {
    return null
  }
}

/**
 * How writeFileAtomic puts the new file in place. ext4 flushes a new file's data when it is
 * renamed over an existing one (auto_da_alloc): the rename then waits for that write, and behind
 * other writes to the disk (a refresh's own, a session's transcript) it waited 30 to 125 ms here in
 * about one refresh out of twenty. A rename onto no file never flushes.
 * - `over`: renamed over the old file. A reader always finds one whole file.
 * - `disposable`: a file whose absence only costs a reader time (it then takes the slow way), such
 *   as what a log scan saw (logs/seen.ts): the old file is removed first. For the 250 KB a refresh
 *   over 1,600 transcripts writes there, the rename over the old file took 0.8 ms here, the removal
 *   and a rename onto no file 0.5. A reader in between finds no file, never a part of one.
 * - `previous`: the old file is renamed to `previousPath(path)`, the one there before removed first,
 *   so that neither rename lands on a file. A reader that finds no file reads the previous one
 *   (openWithPrevious): for a log scan's index, the state one refresh earlier, which it goes on from.
 */
export type Replace = 'over' | 'disposable' | 'previous'

/** Where writeFileAtomic's `previous` keeps the file it replaced. */
export const previousPath = (path: string) => `${path}.previous`

/**
 * Atomic replace: temp file (0600) in the same directory, then rename (`how`: Replace). Directory
 * 0700. Content in parts is written part by part (never joined in memory; an iterator may make
 * each on demand).
 */
export function writeFileAtomic(
  path: string,
  content: string | Uint8Array | Iterable<Uint8Array>,
  how: Replace = 'over',
): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  try {
    if (typeof content === 'string' || content instanceof Uint8Array)
      writeFileSync(tmp, content, { mode: 0o600 })
    else {
      const fd = openSync(tmp, 'w', 0o600)
      try {
        for (const part of content) for (let at = 0; at < part.length; ) at += writeSync(fd, part, at)
      } finally {
        closeSync(fd)
      }
    }
    if (how === 'disposable') unlinkQuietly(path)
    else if (how === 'previous') {
      const previous = previousPath(path)
      unlinkQuietly(previous)
      try {
        renameSync(path, previous)
      } catch {}
    }
    renameSync(tmp, path)
  } catch (err) {
    unlinkQuietly(tmp)
    throw err
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {}
}

/** How many opens openWithPrevious tries before its last: the file, the previous one, in turn. */
export const PREVIOUS_TRIES = 6

/**
 * The descriptor of a file writeFileAtomic writes with `previous`: the file, or when there is none
 * (a writer is between its two renames, or it was never written) the one it replaced. While one
 * writer at a time goes on, one of the two is always there, but a reader can still miss both: the
 * writer may finish that write and start the next between the reader's two tries. So the two are
 * tried in turn a few times. Against a writer writing 80 KB 20,000 times back to back, a reader
 * that tried three times missed both about once in 100,000 reads; one that tries seven times (as
 * here) missed none in 230,000 and never needed more than four. Two writers that cross (a `report`
 * and a refresh) can leave neither for the microseconds between two renames. Throws as openSync
 * does when none of that finds one: for a log scan, a full read.
 */
export function openWithPrevious(path: string): number {
  const previous = previousPath(path)
  for (let i = 0; i < PREVIOUS_TRIES; i++)
    try {
      return openSync(i % 2 === 0 ? path : previous, 'r')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
  return openSync(path, 'r')
}

/**
 * Removes the files beside `keep` (a path; those `pick` names) untouched for longer than
 * `maxAgeMs`, all but `keep`. File times are the real clock's, so the age is too (not a pinned one).
 */
export function pruneStale(
  keep: string,
  maxAgeMs: number,
  pick: (name: string) => boolean = () => true,
): void {
  const dir = dirname(keep)
  const nowMs = Date.now()
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) {
    const path = joinPath(dir, name)
    if (path === keep || !pick(name)) continue
    try {
      if (nowMs - statSync(path).mtimeMs > maxAgeMs) unlinkSync(path)
    } catch {}
  }
}

export function writeEntry(cacheDir: string, entry: CacheEntry): void {
  writeFileAtomic(entryPath(cacheDir, entry.key), `${JSON.stringify(entry)}\n`)
}
