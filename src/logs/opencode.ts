import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { z } from 'zod'
import { decodeHashes, HashSet52, hash52 } from './hash.js'
import { inMemory } from './spill.js'
import { freshFile, listFiles, type ScanStats } from './jsonl.js'
import { readDbSettled, stampOf } from './opencode-db.js'
import { addMessage, note } from './opencode-message.js'
import type { PricingTable } from './pricing.js'
import type { FileState, LogState, Part } from './state.js'
import { isOpenCodeDb } from '../providers/opencode/descriptor.js'

/**
 * OpenCode (spec §5.2): the `message` table of `opencode.db` (and channel DBs `opencode-*.db`),
 * whose `data` column is the message without its id, and the legacy one-file-per-message
 * `storage/message/<session>/<message>.json`. Database rows win over a JSON file of the same
 * message. OpenCode's own `cost` is used when above 0 (it is 0 for subscription logins and
 * unknown models); otherwise the tokens are priced here.
 */

export function openCodeDbs(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter(isOpenCodeDb)
      .sort()
      .map((n) => join(dir, n))
  } catch {
    return []
  }
}

function readLegacy(path: string, file: FileState, pricing: PricingTable, now: number): void {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    note(file.reasons, 'unparsable-message')
    return
  }
  const id = z.object({ id: z.string() }).safeParse(json)
  file.keys = Float64Array.of(hash52(id.success ? id.data.id : basename(path, '.json')))
  note(file.reasons, addMessage(json, file.buckets, pricing, now))
}

/**
 * Brings the state up to date: a database whose stamp (size and mtime, with its WAL) changed is
 * read again whole (rows change in place, so there is no "appended" part); legacy files are read
 * when new or changed.
 */
export function scanOpenCode(
  dir: string,
  state: LogState,
  pricing: PricingTable,
  now: number,
  since: number,
): ScanStats {
  const stats: ScanStats = { files: 0, filesRead: 0, bytesRead: 0, pending: 0, changed: false }
  const dbs: NonNullable<LogState['dbs']> = {}
  for (const db of openCodeDbs(dir)) {
    const prev = state.dbs?.[db]
    stats.files++
    if (prev && prev.stamp === stampOf(db)) {
      dbs[db] = prev
      continue
    }
    try {
      dbs[db] = readDbSettled(db, pricing, now)
    } catch {
      dbs[db] = { stamp: stampOf(db), buckets: {}, reasons: { 'unreadable-database': 1 }, ids: '' }
    }
    stats.filesRead++
    stats.bytesRead += statSync(db, { throwIfNoEntry: false })?.size ?? 0
    stats.changed = true
  }
  const files: Record<string, FileState> = {}
  for (const { path, st } of listFiles(join(dir, 'storage', 'message'), (n) => n.endsWith('.json'))) {
    const prev = state.files[path]
    stats.files++
    if (prev && prev.ino === st.ino && prev.size === st.size && prev.mtimeMs === st.mtimeMs) {
      files[path] = prev
      continue
    }
    if (!prev && st.mtimeMs < since) continue
    const file = { ...freshFile(st), offset: st.size }
    readLegacy(path, file, pricing, now)
    files[path] = file
    stats.filesRead++
    stats.bytesRead += st.size
    stats.changed = true
  }
  if (Object.keys(state.files).some((p) => !files[p]) || Object.keys(state.dbs ?? {}).some((p) => !dbs[p]))
    stats.changed = true
  state.files = files
  state.dbs = dbs
  return stats
}

/** The totals to count: every database, and the legacy files of messages no database has. */
export function openCodeBuckets(state: LogState): Part[] {
  const inDb = new HashSet52()
  const out: Part[] = Object.values(state.dbs ?? {}).map((d) => {
    for (const h of decodeHashes(d.ids)) inDb.add(h)
    return d
  })
  for (const f of Object.values(state.files)) {
    const id = inMemory(f.keys)[0]
    if (id !== undefined && inDb.has(id)) continue
    // Read through the file's accessors: a spread would leave a body not yet parsed behind.
    out.push({ buckets: f.buckets, reasons: f.reasons, pending: f.pending })
  }
  return out
}
