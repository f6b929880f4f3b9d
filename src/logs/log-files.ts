import { basename, join, sep } from 'node:path'
import { type ListedFile, listFiles } from './jsonl.js'

/**
 * The files each JSONL log format keeps, apart from its reader (./claude.ts, ./codex.ts): a
 * refresh lists them to see whether anything is new, and loads a reader (Codex's with zod, for
 * its line schema) only when something is.
 */

/**
 * Main-thread transcripts first, so that a sub-agent's replay usually meets its original's id
 * and is dropped at once; read in another order it is counted, then revoked (ClaudeSource).
 */
export function claudeFiles(roots: readonly string[]): ListedFile[] {
  const files = roots.flatMap((r) => listFiles(r, (n) => n.endsWith('.jsonl')))
  // Each file's kind found once, not twice per comparison: a history holds thousands of files.
  const marker = `${sep}subagents${sep}`
  const main: ListedFile[] = []
  const subs: ListedFile[] = []
  for (const f of files) (f.path.includes(marker) ? subs : main).push(f)
  const byPath = (a: ListedFile, b: ListedFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  return [...main.sort(byPath), ...subs.sort(byPath)]
}

/** Codex's rollouts: the live sessions, then the archived ones not also live. */
export function codexFiles(codexHome: string): ListedFile[] {
  const rollout = (n: string) => n.endsWith('.jsonl') && basename(n).startsWith('rollout-')
  const live = listFiles(join(codexHome, 'sessions'), rollout)
  const names = new Set(live.map((f) => basename(f.path)))
  const archived = listFiles(join(codexHome, 'archived_sessions'), rollout).filter(
    (f) => !names.has(basename(f.path)),
  )
  return [...live, ...archived].sort((a, b) => (a.path < b.path ? -1 : 1))
}
