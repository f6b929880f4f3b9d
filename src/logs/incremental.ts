import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { hash52 } from './hash.js'

/**
 * Reading only what was appended. Per file the state remembers its inode, size, mtime, how far
 * it was read (always the end of a complete line) and a hash of its first bytes; a refresh then
 * reads from there, and a file that was replaced (new inode), truncated (smaller than the offset)
 * or rewritten (different first bytes) is read again from the start.
 */

export interface Mark {
  ino: number
  size: number
  mtimeMs: number
  offset: number
  /** `<n>:<hash>` of the first n bytes: all of a short file, up to 256 as it grows. */
  head: string
}

export type Plan = 'unchanged' | 'append' | 'reset'

const HEAD_BYTES = 256

export function headOf(path: string, length?: number): string {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(length ?? HEAD_BYTES)
    const n = readSync(fd, buf, 0, buf.length, 0)
    return `${n}:${hash52(buf.toString('latin1', 0, n))}`
  } finally {
    closeSync(fd)
  }
}

/** How many first bytes a mark's head covers. */
export const headLength = (head: string) => Number(head.slice(0, head.indexOf(':')))

export function planRead(
  prev: Mark | undefined,
  st: { ino: number; size: number; mtimeMs: number },
  path: string,
): Plan {
  if (!prev || prev.ino !== st.ino || st.size < prev.offset) return 'reset'
  if (st.size === prev.size && st.mtimeMs === prev.mtimeMs) return 'unchanged'
  return headOf(path, headLength(prev.head)) === prev.head ? 'append' : 'reset'
}

const CHUNK = 4 << 20
/** A longer line (a giant tool result that happens to match) is skipped, not buffered. */
export const MAX_LINE = 64 << 20

export interface ReadOutcome {
  /** Where the next read starts: after the last complete line. */
  offset: number
  bytes: number
  oversized: number
  /** An incomplete last line (still being written) was left for the next read. */
  pendingTail: boolean
}

/**
 * Streams a file from `offset` through one reusable buffer and hands `onLine` only the lines
 * containing one of `needles` (a byte search; most lines are never decoded). Memory stays at the
 * buffer size whatever the file size. Yields to the event loop between chunks (`pause`).
 *
 * Lines are decoded as latin1, not UTF-8: twice as fast to decode and to JSON.parse, and still
 * valid JSON (a multi-byte character becomes several characters ≥ U+0080 inside a string). The
 * fields read from them (ids, model names, timestamps, numbers) are ASCII; message text, the only
 * place non-ASCII appears, is never used.
 */
export class LineReader {
  private buf = Buffer.alloc(0)
  private readonly chunk: number
  private readonly pause: () => Promise<void>
  private readonly maxLine: number

  constructor(o: { pause?: () => Promise<void>; chunk?: number; maxLine?: number } = {}) {
    this.chunk = o.chunk ?? CHUNK
    this.pause = o.pause ?? (async () => {})
    this.maxLine = o.maxLine ?? MAX_LINE
  }

  /** A buffer for `bytes` more (a chunk at most): a refresh reading a few appended lines maps no 4 MB. */
  private reserve(bytes: number): void {
    const want = Math.min(this.chunk, Math.max(bytes, 1 << 16))
    if (this.buf.length < want) this.buf = Buffer.allocUnsafe(want)
  }

  async read(
    path: string,
    offset: number,
    needles: readonly Buffer[],
    onLine: (line: string) => void,
  ): Promise<ReadOutcome> {
    const fd = openSync(path, 'r')
    const out: ReadOutcome = { offset, bytes: 0, oversized: 0, pendingTail: false }
    try {
      this.reserve(fstatSync(fd).size - offset + 1)
      let base = offset // file offset of buf[0]
      let start = 0 // first byte not yet consumed
      let end = 0 // bytes in buf
      let skipFrom = -1 // file offset where an oversized line began, while skipping it
      for (;;) {
        if (end === this.buf.length) {
          if (start > 0) {
            this.buf.copy(this.buf, 0, start, end)
            end -= start
            base += start
            start = 0
          } else if (this.buf.length < this.maxLine) {
            const bigger = Buffer.allocUnsafe(this.buf.length * 2)
            this.buf.copy(bigger, 0, 0, end)
            this.buf = bigger
          } else {
            if (skipFrom < 0) skipFrom = base
            base += end
            end = 0
          }
        }
        const n = readSync(fd, this.buf, end, this.buf.length - end, base + end)
        if (n === 0) break
        out.bytes += n
        const from = end
        end += n
        if (skipFrom >= 0) {
          const nl = this.buf.indexOf(10, from)
          if (nl === -1 || nl >= end) {
            base += end
            end = 0
            continue
          }
          out.oversized++
          skipFrom = -1
          start = nl + 1
        }
        const last = this.buf.lastIndexOf(10, end - 1)
        if (last < start) continue
        scanLines(this.buf, start, last, needles, onLine)
        start = last + 1
        await this.pause()
      }
      if (skipFrom >= 0) {
        // The oversized line is not finished: try again from its start next time.
        out.offset = skipFrom
        out.pendingTail = true
        return out
      }
      if (end > start) {
        // No newline yet: a line still being written, unless it already parses (some writers
        // add the newline with the next line).
        const tail = this.buf.subarray(start, end)
        if (needles.some((x) => tail.includes(x)) && parses(tail)) {
          onLine(tail.toString('latin1'))
          start = end
        } else out.pendingTail = true
      }
      out.offset = base + start
      return out
    } finally {
      closeSync(fd)
    }
  }
}

function parses(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('latin1'))
    return true
  } catch {
    return false
  }
}

/** Calls `onLine` for each line in buf[start, last] (last is a newline) containing a needle. */
function scanLines(
  buf: Buffer,
  start: number,
  last: number,
  needles: readonly Buffer[],
  onLine: (line: string) => void,
): void {
  const view = buf.subarray(0, last + 1)
  // The next hit of each needle, remembered so a rare needle is not searched for again per line.
  const next = needles.map(() => -2)
  let pos = start
  while (pos <= last) {
    let hit = -1
    for (let i = 0; i < needles.length; i++) {
      let h = next[i] ?? -1
      if (h !== -1 && h < pos) {
        h = view.indexOf(needles[i] as Buffer, pos)
        next[i] = h
      }
      if (h !== -1 && (hit === -1 || h < hit)) hit = h
    }
    if (hit === -1) return
    const lineStart = Math.max(start, view.lastIndexOf(10, hit) + 1)
    const lineEnd = view.indexOf(10, hit)
    onLine(buf.toString('latin1', lineStart, lineEnd))
    pos = lineEnd + 1
  }
}
