/**
 * The committed pages of a SQLite write-ahead log (https://sqlite.org/fileformat2.html#walformat).
 * Cursor keeps `state.vscdb` in WAL mode, so a token it renewed minutes ago may still live only in
 * `state.vscdb-wal`. Reading the log ourselves (as SQLite's own recovery does: salts and the
 * running checksum must match, frames after the last commit are ignored) gives the current state
 * without opening the database through SQLite, which could create `-shm` files or take locks.
 */

export interface WalPages {
  pageSize: number
  /** Database size in pages after the last committed transaction. */
  dbPages: number
  /** Page number → offset of its newest committed copy in the log. */
  offsets: Map<number, number>
  bytes: Uint8Array
}

const MAGIC_LITTLE = 0x377f0682 // checksums over little-endian words
const MAGIC_BIG = 0x377f0683 // checksums over big-endian words
const HEADER = 32
const FRAME_HEADER = 24

type Sum = [number, number]

function checksum(view: DataView, start: number, length: number, little: boolean, [a, b]: Sum): Sum {
  let s0 = a
  let s1 = b
  for (let i = start; i < start + length; i += 8) {
    s0 = (s0 + view.getUint32(i, little) + s1) >>> 0
    s1 = (s1 + view.getUint32(i + 4, little) + s0) >>> 0
  }
  return [s0, s1]
}

const validPageSize = (n: number) => n >= 512 && n <= 65536 && (n & (n - 1)) === 0

/** Null when the log is empty, torn before its first commit, or not a WAL file at all. */
export function parseWal(bytes: Uint8Array): WalPages | null {
  if (bytes.length < HEADER) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const magic = view.getUint32(0)
  if (magic !== MAGIC_LITTLE && magic !== MAGIC_BIG) return null
  const little = magic === MAGIC_LITTLE
  const pageSize = view.getUint32(8)
  if (!validPageSize(pageSize)) return null
  let sum = checksum(view, 0, 24, little, [0, 0])
  if (sum[0] !== view.getUint32(24) || sum[1] !== view.getUint32(28)) return null
  const salt1 = view.getUint32(16)
  const salt2 = view.getUint32(20)

  const offsets = new Map<number, number>()
  let pending = new Map<number, number>()
  let dbPages = 0
  const frame = FRAME_HEADER + pageSize
  for (let at = HEADER; at + frame <= bytes.length; at += frame) {
    // A frame left over from before the last checkpoint carries old salts: the log ends there.
    if (view.getUint32(at + 8) !== salt1 || view.getUint32(at + 12) !== salt2) break
    sum = checksum(view, at, 8, little, sum)
    sum = checksum(view, at + FRAME_HEADER, pageSize, little, sum)
    if (sum[0] !== view.getUint32(at + 16) || sum[1] !== view.getUint32(at + 20)) break
    const page = view.getUint32(at)
    if (page === 0) break
    pending.set(page, at + FRAME_HEADER)
    const commitSize = view.getUint32(at + 4)
    if (commitSize > 0) {
      for (const [p, o] of pending) offsets.set(p, o)
      pending = new Map()
      dbPages = commitSize
    }
  }
  return dbPages > 0 ? { pageSize, dbPages, offsets, bytes } : null
}
