import { type Dirent, readdirSync, type Stats, statSync } from 'node:fs'
import { join, sep } from 'node:path'
import { headLength, headOf, type LineReader, type Mark, type Plan, planRead } from './incremental.js'
import type { SortedBase } from './hash.js'
import { type Hashes, inMemory } from './spill.js'
import { BrokenState, type FileState, fileWith, hashCount, type LogState } from './state.js'

/** The scan loop shared by the JSON-lines logs (Claude Code transcripts, Codex sessions). */

/**
 * What a scan needs of a file's stats. Not the Stats object: Node 20's carries four Dates, and
 * thousands of them kept until the scan ends made a refresh's garbage collections longer.
 */
export interface FileStat {
  ino: number
  size: number
  mtimeMs: number
}

export interface ListedFile {
  path: string
  st: FileStat
}

/**
 * Every file under `root` (recursively) whose path below it passes `keep`; a missing root lists
 * nothing. The walk is our own: readdirSync's `recursive` option joins, relativises and stats
 * every entry in JavaScript (15 ms for a history of 1,600 transcripts, where this costs 4), and
 * this one stats only the names kept. It lists what that option did, in the same order
 * (breadth first), with two differences: a link to a directory is entered once per target (the
 * option followed a link to an ancestor until the kernel's limit on links, listing the same
 * transcripts 40 times over), and a directory that cannot be read is left out instead of failing
 * the whole listing.
 */
export function listFiles(root: string, keep: (name: string) => boolean): ListedFile[] {
  // `root` normalised, ending in one separator (or nothing, for `.`): every path is this plus a
  // relative name, as join made it.
  const base = join(root, '_').slice(0, -1)
  const out: ListedFile[] = []
  const queue = ['']
  let linked: Set<string> | undefined
  for (let i = 0; i < queue.length; i++) {
    const dir = queue[i] as string
    let entries: Dirent[]
    try {
      entries = readdirSync(base + dir || '.', { withFileTypes: true })
    } catch {
      continue
    }
    for (const e of entries) {
      const name = dir === '' ? e.name : `${dir}${sep}${e.name}`
      if (e.isDirectory()) {
        queue.push(name)
        continue
      }
      let st: Stats
      try {
        if (e.isSymbolicLink()) {
          st = statSync(base + name)
          if (st.isDirectory()) {
            linked ??= new Set()
            const id = `${st.dev}:${st.ino}`
            if (!linked.has(id)) {
              linked.add(id)
              queue.push(name)
            }
            continue
          }
          if (!keep(name)) continue
        } else {
          if (!keep(name)) continue
          st = statSync(base + name)
        }
      } catch {
        continue
      }
      if (st.isFile())
        out.push({ path: base + name, st: { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs } })
    }
  }
  return out
}

/** Turns one file's matching lines into totals in its FileState. */
export interface FileSink {
  onLine(line: string): void
  close(): void
}

export interface JsonlSource {
  needles: readonly Buffer[]
  /**
   * Called once before any file is read, with the state of every file not read from scratch and
   * the whole map (which files fill in as they are read, in order), and the detail's sorted hashes
   * (with the lists of files no longer kept) when it has them: a kept file's first
   * `fromBase` hashes are in them.
   */
  prepare(kept: readonly FileState[], files: Readonly<Record<string, FileState>>, stored?: StoredHashes): void
  open(path: string, file: FileState, fresh: boolean): FileSink
}

/** The detail's sorted keys and ids, each with the lists that no longer count. */
export interface StoredHashes {
  keys: SortedBase
  ids: SortedBase
}

/**
 * The lists of `kept` files' keys or ids that a KeySet over the detail's sorted hashes must add
 * (with none, all of them): only what each holds beyond its first `fromBase`. Most files hold
 * nothing more, and no view of them is made (thousands cost milliseconds).
 */
export function beyondStored(
  kept: readonly FileState[],
  which: 'keys' | 'ids',
  stored: StoredHashes | undefined,
): Float64Array[] {
  const out: Float64Array[] = []
  for (const f of kept) {
    const n = (stored ? (which === 'keys' ? f.fromBase?.baseKeys : f.fromBase?.baseIds) : 0) ?? 0
    // Counted first: a loaded file's list is made only when asked for.
    if (hashCount(f, which) <= n) continue
    const all = inMemory(f[which] as Hashes)
    out.push(n ? all.subarray(n) : all)
  }
  return out
}

/**
 * What a scan starts from: the detail's sorted hashes less the base lists of files it no longer
 * keeps (dropped since, or read again from scratch now).
 */
function storedHashes(
  state: LogState,
  next: Readonly<Record<string, FileState>>,
  fresh: ReadonlySet<string>,
) {
  const s = state.sorted
  if (!s) return undefined
  const dropKeys: ArrayLike<number>[] = [...s.dropKeys]
  const dropIds: ArrayLike<number>[] = [...s.dropIds]
  for (const p in state.files) {
    const f = state.files[p] as FileState
    if (!f.fromBase || (next[p] && !fresh.has(p))) continue
    dropKeys.push(inMemory(f.keys).subarray(0, f.fromBase.baseKeys))
    dropIds.push(inMemory(f.ids).subarray(0, f.fromBase.baseIds))
  }
  return { keys: { sorted: s.keys, drop: dropKeys }, ids: { sorted: s.ids, drop: dropIds } }
}

export interface ScanStats {
  files: number
  filesRead: number
  bytesRead: number
  /** Files whose last line is still being written (left for the next read). */
  pending: number
  changed: boolean
}

export const freshFile = (st: FileStat): FileState => ({
  ino: st.ino,
  size: st.size,
  mtimeMs: st.mtimeMs,
  offset: 0,
  head: '0:0',
  buckets: {},
  reasons: {},
})

/** Saving a long scan's progress: `write` gets a consistent state after every `every` bytes read. */
export interface Checkpoint {
  every: number
  write(files: Record<string, FileState>): void
}

/**
 * What a scan stopped now would leave: the files read so far as read, the others as they were
 * (an appended one keeps its old size so that it is read on; a new one is left out).
 */
function progressOf(
  next: Record<string, FileState>,
  prev: Readonly<Record<string, FileState>>,
  unread: ReadonlyMap<string, boolean>,
): Record<string, FileState> {
  const out: Record<string, FileState> = {}
  for (const [path, f] of Object.entries(next)) {
    const was = prev[path]
    const fresh = unread.get(path)
    if (fresh === undefined) out[path] = f
    else if (!fresh && was) out[path] = fileWith(f, { size: was.size, mtimeMs: was.mtimeMs })
  }
  return out
}

/**
 * Brings `state.files` up to date as planned (in reading order): unchanged files cost nothing,
 * appended ones their new bytes, replaced ones a full read; files gone from disk leave the state. With a checkpoint, a long scan saves its progress as it goes: a scan cut
 * short (a killed process) is taken up where it stopped, not started over.
 */
export interface ScanPlan {
  /** The files to keep, in reading order, each with what to do about it. */
  entries: { path: string; st: FileStat; plan: Plan }[]
  /** Something to read, or a file gone: the state changes. */
  changed: boolean
}

/**
 * Compares the listing with the read marks (stats only, plus a file's first bytes when it
 * grew). Files never read and last written before `since` are left out.
 */
export function planScan(
  files: readonly ListedFile[],
  marks: Readonly<Record<string, Mark>>,
  since: number,
): ScanPlan {
  const entries: ScanPlan['entries'] = []
  let changed = false
  for (const { path, st } of files) {
    const prev = marks[path]
    if (!prev && st.mtimeMs < since) continue
    let plan: Plan
    try {
      plan = planRead(prev, st, path)
    } catch {
      continue // vanished or unreadable since the listing
    }
    entries.push({ path, st, plan })
    if (plan !== 'unchanged') changed = true
  }
  if (!changed) {
    const kept = new Set(entries.map((e) => e.path))
    changed = Object.keys(marks).some((p) => !kept.has(p))
  }
  return { entries, changed }
}

export async function scanJsonl(
  scan: ScanPlan,
  state: LogState,
  source: JsonlSource,
  reader: LineReader,
  checkpoint?: Checkpoint,
): Promise<ScanStats> {
  const next: Record<string, FileState> = {}
  const todo: { path: string; fresh: boolean }[] = []
  for (const { path, st, plan } of scan.entries) {
    const prev = state.files[path]
    if (plan === 'reset' || !prev) {
      next[path] = freshFile(st)
      todo.push({ path, fresh: true })
    } else {
      // A file to read is a copy: a loaded one keeps the mark the next index copies (state.ts).
      next[path] =
        plan === 'append' ? fileWith(prev, { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs }) : prev
      if (plan === 'append') todo.push({ path, fresh: false })
    }
  }
  const stats: ScanStats = {
    files: Object.keys(next).length,
    filesRead: 0,
    bytesRead: 0,
    pending: 0,
    changed: false,
  }
  stats.changed = todo.length > 0 || Object.keys(state.files).some((p) => !next[p])
  if (todo.length > 0) {
    const fresh = new Set(todo.filter((t) => t.fresh).map((t) => t.path))
    const kept: FileState[] = []
    for (const p in next) if (!fresh.has(p)) kept.push(next[p] as FileState)
    source.prepare(kept, next, storedHashes(state, next, fresh))
    const unread = new Map(todo.map((t) => [t.path, t.fresh]))
    let sinceSave = 0
    for (const { path, fresh } of todo) {
      if (checkpoint && sinceSave >= checkpoint.every) {
        checkpoint.write(progressOf(next, state.files, unread))
        sinceSave = 0
      }
      unread.delete(path)
      const file = next[path] as FileState
      const sink = source.open(path, file, fresh)
      try {
        const r = await reader.read(path, file.offset, source.needles, (line) => sink.onLine(line))
        if (r.oversized) file.reasons['oversized-line'] = (file.reasons['oversized-line'] ?? 0) + r.oversized
        if (r.pendingTail) stats.pending++
        file.pending = r.pendingTail
        file.offset = r.offset
        // An appended file's head was checked by planRead: hashed again only if it grows.
        const head = Math.min(256, r.offset)
        if (fresh || headLength(file.head) !== head) file.head = headOf(path, head)
        stats.filesRead++
        stats.bytesRead += r.bytes
        sinceSave += r.bytes
      } catch (err) {
        if (err instanceof BrokenState) throw err
        // Vanished while reading: forget it; the next scan starts it over if it comes back.
        delete next[path]
      } finally {
        sink.close()
      }
    }
  }
  state.files = next
  return stats
}
