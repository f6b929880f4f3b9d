import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Finding and reading Codex session logs, bounded so a refresh stays cheap with years of
 * sessions: the newest day folders of `sessions/YYYY/MM/DD/`, the 3 files written last, and only
 * the tail of each (the newest events are at the end).
 */

const MAX_FILES = 3
const TAIL_BYTES = 256 * 1024
/** Day folders looked at; a session resumed much later keeps writing in its first day's folder. */
const MAX_DAYS = 7

/** Newest subdirectory names first (YYYY, MM, DD sort as text). */
function namesDesc(dir: string, pattern: RegExp): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => pattern.test(n))
      .sort()
      .reverse()
  } catch {
    return []
  }
}

/** At most the 3 most recently written rollout files of the newest day folders. */
export function newestRollouts(codexHome: string): string[] {
  const root = join(codexHome, 'sessions')
  const days: string[] = []
  for (const y of namesDesc(root, /^\d{4}$/)) {
    for (const m of namesDesc(join(root, y), /^\d{2}$/)) {
      for (const d of namesDesc(join(root, y, m), /^\d{2}$/)) days.push(join(root, y, m, d))
      if (days.length >= MAX_DAYS) break
    }
    if (days.length >= MAX_DAYS) break
  }
  days.length = Math.min(days.length, MAX_DAYS)
  const files: { path: string; mtime: number }[] = []
  for (const day of days) {
    for (const name of namesDesc(day, /^rollout-.*\.jsonl$/)) {
      try {
        files.push({ path: join(day, name), mtime: statSync(join(day, name)).mtimeMs })
      } catch {}
    }
  }
  // The file written last wins; the name (it starts with the session's start time) breaks ties.
  files.sort((a, b) => b.mtime - a.mtime || (a.path < b.path ? 1 : -1))
  return files.slice(0, MAX_FILES).map((f) => f.path)
}

/** The file's last 256 KiB as lines, without the one cut in half at the start. */
export function tailLines(file: string): string[] {
  let fd: number | null = null
  try {
    fd = openSync(file, 'r')
    const size = fstatSync(fd).size
    const start = Math.max(0, size - TAIL_BYTES)
    const buf = Buffer.alloc(size - start)
    const n = readSync(fd, buf, 0, buf.length, start)
    const lines = buf.subarray(0, n).toString('utf8').split('\n')
    if (start > 0) lines.shift() // cut mid-line
    return lines
  } catch {
    return []
  } finally {
    if (fd !== null) closeSync(fd)
  }
}
