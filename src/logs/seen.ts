import { readFileSync, statSync } from 'node:fs'
import { writeFileAtomic } from '../cache/store.js'
import { isCount, isRec, numbers } from '../hand-check.js'
import type { ListedFile } from './jsonl.js'
import { isSummed, STATE_VERSION, type Summed } from './state.js'

/**
 * What the last scan of an account saw, beside its state: every file the listing held (path and
 * stats, in listing order) and the answer a scan of exactly that listing gives (the sum, how many
 * files it kept, how many were still being written). A refresh whose listing is byte for byte the
 * same, from a `since` no earlier, answers from it without parsing the index (thousands of marks)
 * or planning a scan: over 1,600 transcripts, 4–5 ms of the 20–25 a nothing-new refresh spends
 * over a bare start.
 *
 * It answers for its own listing only, whoever wrote the state since: each is written whole (a
 * rename) by a run that saw that listing and summed it, never by a long scan's checkpoint (a
 * partial sum). It also names the index file it was written beside (inode, size, mtime): an index
 * replaced or damaged since means the normal way, as it did before; the index it names is one
 * this program wrote, so a refresh that has lines to read loads it without checking its marks one
 * by one (loadIndex's `ours`).
 *
 * The file: a line of JSON (the header), a line of JSON (the sum), then three float64 per listed
 * file (inode, size, mtime in ms), then the paths, UTF-8, each followed by a NUL (a byte no Linux
 * path holds).
 */

const SEEN_VERSION = 1

export interface Seen {
  /** The scan's `since`: a file it skipped (never read, last written before) is one a later `since` skips too. */
  since: number
  files: number
  pending: number
  sum: Summed
}

/** The first line. The sum follows on its own line: parsed only when the listing is the same. */
interface Header extends Omit<Seen, 'sum'> {
  v: number
  state: number
  source: string
  pricing: string
  index: IndexStat
  n: number
  sumBytes: number
  pathBytes: number
}

export const seenPath = (statePath: string): string =>
  `${statePath.slice(0, statePath.length - '.json'.length)}.seen`

/** A listing's stats and paths as the file holds them: made once a refresh, for the check and the write. */
export interface ListingBytes {
  n: number
  stats: Buffer
  paths: Buffer
}

export function listingBytes(files: readonly ListedFile[]): ListingBytes {
  const nums = new Float64Array(files.length * 3)
  // Joined once (a string added to 1,600 times costs a fresh process twice as much).
  const names: string[] = new Array(files.length)
  for (let i = 0; i < files.length; i++) {
    const f = files[i] as ListedFile
    nums[i * 3] = f.st.ino
    nums[i * 3 + 1] = f.st.size
    nums[i * 3 + 2] = f.st.mtimeMs
    names[i] = f.path
  }
  const paths = files.length > 0 ? Buffer.from(`${names.join('\0')}\0`) : Buffer.alloc(0)
  return { n: files.length, stats: Buffer.from(nums.buffer), paths }
}

/** An index file's identity: inode, size, mtime. */
export type IndexStat = [number, number, number]

export const statOf = (st: { ino: number; size: number; mtimeMs: number }): IndexStat => [
  st.ino,
  st.size,
  st.mtimeMs,
]

export const sameIndex = (a: IndexStat, b: IndexStat): boolean =>
  a[0] === b[0] && a[1] === b[1] && a[2] === b[2]

function isHeader(v: unknown): v is Header {
  return (
    isRec(v) &&
    v.v === SEEN_VERSION &&
    v.state === STATE_VERSION &&
    typeof v.source === 'string' &&
    typeof v.pricing === 'string' &&
    typeof v.since === 'number' &&
    isCount(v.files) &&
    isCount(v.pending) &&
    isCount(v.n) &&
    isCount(v.sumBytes) &&
    isCount(v.pathBytes) &&
    numbers(v.index) &&
    v.index.length === 3
  )
}

/** The file as read: its header checked, its sum and listing still bytes. */
export interface SeenFile {
  header: Header
  sum: Buffer
  listing: Buffer
  /** The index it was written beside: loadIndex trusts that file's marks (it wrote them). */
  index: IndexStat
}

/**
 * The file beside the state at `statePath`, or null: none, another state version, source or
 * pricing, a file that does not read as written, or an index that is not the one it was written
 * beside (replaced or damaged since).
 */
export function loadSeen(statePath: string, source: string, pricing: string): SeenFile | null {
  let bytes: Buffer
  try {
    bytes = readFileSync(seenPath(statePath))
  } catch {
    return null
  }
  const eol = bytes.indexOf(10)
  if (eol < 0) return null
  let h: unknown
  try {
    h = JSON.parse(bytes.toString('utf8', 0, eol))
  } catch {
    return null
  }
  if (!isHeader(h) || h.source !== source || h.pricing !== pricing) return null
  const at = eol + 1 + h.sumBytes
  if (bytes.length !== at + 1 + h.n * 24 + h.pathBytes || bytes[at] !== 10) return null
  const st = statSync(statePath, { throwIfNoEntry: false })
  const index = h.index as IndexStat
  if (!st || !sameIndex(statOf(st), index)) return null
  return { header: h, sum: bytes.subarray(eol + 1, at), listing: bytes.subarray(at + 1), index }
}

/** What the file answers for `now` (the listing in the order the scan takes it) from `since`, or null. */
export function answerOf(seen: SeenFile, now: ListingBytes, since: number): Seen | null {
  const h = seen.header
  if (since < h.since || now.n !== h.n || now.paths.length !== h.pathBytes) return null
  const at = now.stats.length
  if (!now.stats.equals(seen.listing.subarray(0, at)) || !now.paths.equals(seen.listing.subarray(at)))
    return null
  let sum: unknown
  try {
    sum = JSON.parse(seen.sum.toString('utf8'))
  } catch {
    return null
  }
  return isSummed(sum) ? { since: h.since, files: h.files, pending: h.pending, sum } : null
}

/**
 * Writes what a scan of `listing` answered, beside the state at `statePath` (which must be written
 * first: the file names it). A failure leaves the old file, or none: the next refresh then takes the
 * normal way, and nothing is lost.
 */
export function writeSeen(
  statePath: string,
  source: string,
  pricing: string,
  listing: ListingBytes,
  seen: Seen,
): void {
  const st = statSync(statePath, { throwIfNoEntry: false })
  if (!st) return
  const sum = Buffer.from(JSON.stringify(seen.sum))
  const h: Header = {
    v: SEEN_VERSION,
    state: STATE_VERSION,
    source,
    pricing,
    since: seen.since,
    files: seen.files,
    pending: seen.pending,
    index: statOf(st),
    n: listing.n,
    sumBytes: sum.length,
    pathBytes: listing.paths.length,
  }
  const lines = [Buffer.from(`${JSON.stringify(h)}\n`), sum, Buffer.from('\n')]
  // Disposable: a refresh that finds none takes the normal way.
  writeFileAtomic(seenPath(statePath), [...lines, listing.stats, listing.paths], 'disposable')
}
