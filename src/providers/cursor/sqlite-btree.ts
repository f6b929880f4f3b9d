/**
 * Table b-tree pages and records of the SQLite file format (https://sqlite.org/fileformat2.html
 * §1.6, §2.1): enough to walk a rowid table and decode the first columns of each row, and the
 * cells and records that sqlite-search.ts descends through.
 */

export class SqliteError extends Error {}

export type SqlValue = string | number | Uint8Array | null

const MAX_PAGES_VISITED = 500_000

export interface Pager {
  page(n: number): Uint8Array
  usable: number
  text: TextDecoder
  /** A string in the database's text encoding, as its records store it. */
  encode(s: string): Uint8Array
}

export function varint(b: Uint8Array, at: number): [value: number, length: number] {
  let v = 0
  for (let i = 0; i < 9; i++) {
    const byte = b[at + i]
    if (byte === undefined) throw new SqliteError('truncated record')
    if (i === 8) return [v * 256 + byte, 9]
    v = v * 128 + (byte & 0x7f)
    if (byte < 0x80) return [v, i + 1]
  }
  return [v, 9]
}

const INT_SIZES = [0, 1, 2, 3, 4, 6, 8, 8, 0, 0]

function columnSize(type: number): number {
  if (type >= 12) return Math.floor((type - 12) / 2)
  const size = INT_SIZES[type]
  if (size === undefined) throw new SqliteError(`bad serial type ${type}`)
  return size
}

export function decodeColumn(type: number, b: Uint8Array, text: TextDecoder): SqlValue {
  if (type === 0) return null
  if (type === 8 || type === 9) return type - 8
  if (type === 7) return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0)
  if (type >= 12) return type % 2 === 0 ? new Uint8Array(b) : text.decode(b)
  let v = 0
  for (const byte of b) v = v * 256 + byte
  return b.length > 0 && (b[0] ?? 0) >= 0x80 ? v - 2 ** (8 * b.length) : v
}

/** Where a cell's payload starts and how long it is, for table leaf or index cells (file format §1.6). */
export interface Payload {
  cell: Uint8Array
  /** Offset of the payload's first byte in `cell`. */
  start: number
  size: number
  /** Largest payload kept on the page itself: table leaf cells U-35, index cells less. */
  maxLocal: number
}

/** The payload of the table leaf cell at `at` (size, rowid, payload). */
export function tableLeafPayload(pager: Pager, page: Uint8Array, at: number): Payload & { rowid: number } {
  const [size, n1] = varint(page, at)
  const [rowid, n2] = varint(page, at + n1)
  return { cell: page, start: at + n1 + n2, size, maxLocal: pager.usable - 35, rowid }
}

/** The payload of an index cell at `at` (after the child pointer of an interior cell). */
export function indexPayload(pager: Pager, page: Uint8Array, at: number): Payload {
  const [size, n] = varint(page, at)
  const maxLocal = Math.floor(((pager.usable - 12) * 64) / 255) - 23
  return { cell: page, start: at + n, size, maxLocal }
}

/**
 * The serial types and raw bytes of a record's first `columns` columns; overflow pages are
 * followed only when a needed column reaches them.
 */
export function rawRecord(pager: Pager, p: Payload, columns: number): [types: number[], bytes: Uint8Array[]] {
  const { cell, start, size, maxLocal } = p
  const u = pager.usable
  const minLocal = Math.floor(((u - 12) * 32) / 255) - 23
  const k = minLocal + ((size - minLocal) % (u - 4))
  const local = size <= maxLocal ? size : k <= maxLocal ? k : minLocal
  let payload = cell.subarray(start, start + local)
  const full = () => {
    if (local >= size) return payload
    const parts = [payload]
    let have = local
    let next = new DataView(cell.buffer, cell.byteOffset).getUint32(start + local)
    const seen = new Set<number>()
    while (have < size) {
      if (next === 0 || seen.has(next)) throw new SqliteError('broken overflow chain')
      seen.add(next)
      const page = pager.page(next)
      const chunk = page.subarray(4, Math.min(u, 4 + size - have))
      parts.push(chunk)
      have += chunk.length
      next = new DataView(page.buffer, page.byteOffset).getUint32(0)
    }
    return Buffer.concat(parts)
  }
  const [headerSize, h] = varint(payload, 0)
  if (headerSize > payload.length) payload = full()
  const types: number[] = []
  for (let p = h; p < headerSize && types.length < columns; ) {
    const [t, n] = varint(payload, p)
    types.push(t)
    p += n
  }
  const bytes: Uint8Array[] = []
  let offset = headerSize
  for (const t of types) {
    const len = columnSize(t)
    if (offset + len > payload.length && payload.length < size) payload = full()
    if (offset + len > payload.length) throw new SqliteError('record runs past its payload')
    bytes.push(payload.subarray(offset, offset + len))
    offset += len
  }
  return [types, bytes]
}

/** The first `columns` columns of a record, decoded. */
export function readRecord(pager: Pager, p: Payload, columns: number): SqlValue[] {
  const [types, bytes] = rawRecord(pager, p, columns)
  return types.map((t, i) => decodeColumn(t, bytes[i] as Uint8Array, pager.text))
}

/** Every row of a rowid table, depth first, as its first `columns` columns. */
export function* scanTable(pager: Pager, root: number, columns: number): Generator<SqlValue[]> {
  const stack = [root]
  const seen = new Set<number>()
  while (stack.length > 0) {
    const n = stack.pop() as number
    if (seen.has(n) || seen.size > MAX_PAGES_VISITED) throw new SqliteError('b-tree loops')
    seen.add(n)
    const page = pager.page(n)
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength)
    const h = n === 1 ? 100 : 0
    const kind = page[h]
    const cells = view.getUint16(h + 3)
    if (kind === 0x05) {
      const children = [view.getUint32(h + 8)]
      for (let i = cells - 1; i >= 0; i--) children.push(view.getUint32(view.getUint16(h + 12 + 2 * i)))
      stack.push(...children)
    } else if (kind === 0x0d) {
      for (let i = 0; i < cells; i++) {
        yield readRecord(pager, tableLeafPayload(pager, page, view.getUint16(h + 8 + 2 * i)), columns)
      }
    } else {
      throw new SqliteError(`page ${n} is not a table b-tree page`)
    }
  }
}
