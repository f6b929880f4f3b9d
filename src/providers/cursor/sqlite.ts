import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { type Pager, type SqlValue, SqliteError, scanTable } from './sqlite-btree.js'
import { findInIndex, findRow, keyIndexRoot } from './sqlite-search.js'
import { parseWal, type WalPages } from './sqlite-wal.js'

export { SqliteError, type SqlValue }
export { columnDefinitions } from './sqlite-search.js'

/**
 * A read-only SQLite reader that fetches only the pages it needs (https://sqlite.org/fileformat2.html).
 * Cursor's `state.vscdb` grows to gigabytes (chat history in `cursorDiskKV`), so loading the file
 * whole (sql.js) would cost that much memory on every refresh and fails past 2 GiB; the login keys
 * sit in `ItemTable`, found through its key index a few pages away. The file is opened with O_RDONLY, never locked,
 * and no `-shm`/`-journal` file is created.
 */

const MAGIC = 'SQLite format 3\u0000'
const WAL_MAX_BYTES = 256 * 1024 * 1024

function readWalFile(path: string): WalPages | null {
  try {
    const bytes = readFileSync(path)
    return bytes.length <= WAL_MAX_BYTES ? parseWal(bytes) : null
  } catch {
    return null
  }
}

/** Null for an empty database (a zero-byte file with no log). */
function openPager(fd: number, log: WalPages | null): Pager | null {
  const fileSize = fstatSync(fd).size
  let wal = log
  let pageSize = wal?.pageSize ?? 0
  if (fileSize > 0) {
    const head = Buffer.alloc(100)
    if (readSync(fd, head, 0, 100, 0) < 100 && !wal) throw new SqliteError('truncated database header')
    if (head.toString('latin1', 0, 16) === MAGIC) {
      const raw = head.readUInt16BE(16)
      pageSize = raw === 1 ? 65536 : raw
      // A log written for another page size cannot belong to this file.
      if (wal && wal.pageSize !== pageSize) wal = null
    } else if (!wal) {
      throw new SqliteError('not a SQLite database')
    }
  }
  if (pageSize === 0) return null
  const pages = wal ? wal.dbPages : Math.floor(fileSize / pageSize)
  const page = (n: number): Uint8Array => {
    if (!Number.isInteger(n) || n < 1 || n > pages) throw new SqliteError(`page ${n} out of range`)
    const at = wal?.offsets.get(n)
    if (wal && at !== undefined) return wal.bytes.subarray(at, at + pageSize)
    const buf = Buffer.alloc(pageSize)
    if (readSync(fd, buf, 0, pageSize, (n - 1) * pageSize) !== pageSize) {
      throw new SqliteError(`page ${n} is truncated`)
    }
    return buf
  }
  const first = page(1)
  if (Buffer.from(first.subarray(0, 16)).toString('latin1') !== MAGIC) {
    throw new SqliteError('not a SQLite database')
  }
  const reserved = first[20] ?? 0
  const encoding = new DataView(first.buffer, first.byteOffset).getUint32(56)
  const label = encoding === 2 ? 'utf-16le' : encoding === 3 ? 'utf-16be' : 'utf-8'
  const encode = (s: string): Uint8Array =>
    encoding === 2
      ? Buffer.from(s, 'utf16le')
      : encoding === 3
        ? Buffer.from(s, 'utf16le').swap16()
        : Buffer.from(s, 'utf8')
  return { page, usable: pageSize - reserved, text: new TextDecoder(label), encode }
}

/** Each wanted key through the table's key index; null when there is none or it disagrees. */
function lookupByIndex(pager: Pager, root: number, index: number, wanted: Set<string>) {
  const out = new Map<string, SqlValue>()
  for (const key of wanted) {
    const rowid = findInIndex(pager, index, key)
    if (rowid === null) continue
    const row = findRow(pager, root, rowid, 2)
    if (!row || row[0] !== key) return null
    out.set(key, row[1] ?? null)
  }
  return out
}

function lookup(file: string, table: string, wanted: Set<string>): Map<string, SqlValue> {
  const fd = openSync(file, 'r')
  try {
    const out = new Map<string, SqlValue>()
    const pager = openPager(fd, readWalFile(`${file}-wal`))
    if (!pager) return out
    const schema = [...scanTable(pager, 1, 5)]
    const entry = schema.find(
      ([type, name]) => type === 'table' && String(name).toLowerCase() === table.toLowerCase(),
    )
    const root = entry?.[3]
    if (typeof root !== 'number') return out
    const index = keyIndexRoot(schema, table)
    const found = index === null ? null : lookupByIndex(pager, root, index, wanted)
    if (found) return found
    // No usable index (or one that disagrees with its table): read every row.
    for (const [key, value] of scanTable(pager, root, 2)) {
      if (typeof key === 'string' && wanted.has(key)) out.set(key, value ?? null)
    }
    return out
  } catch (err) {
    // Out-of-bounds reads on a damaged page surface as RangeError from DataView.
    throw err instanceof RangeError ? new SqliteError('damaged page') : err
  } finally {
    closeSync(fd)
  }
}

function stamp(file: string): string {
  const one = (p: string) => {
    try {
      const s = statSync(p)
      return `${s.size}:${s.mtimeMs}`
    } catch {
      return '-'
    }
  }
  return `${one(file)}|${one(`${file}-wal`)}`
}

/**
 * The `key → value` rows of a two-column key/value table (VS Code's `ItemTable`) whose key is in
 * `keys`. An absent table gives an empty map. Throws SqliteError for a damaged file and the fs
 * error (ENOENT, EACCES) when it cannot be opened.
 */
export function readKeyValues(file: string, table: string, keys: readonly string[]): Map<string, SqlValue> {
  const wanted = new Set(keys)
  // Cursor may commit or checkpoint while we read: if either file changed meanwhile, read again.
  for (let attempt = 1; ; attempt++) {
    const before = stamp(file)
    try {
      const out = lookup(file, table, wanted)
      if (attempt >= 3 || stamp(file) === before) return out
    } catch (err) {
      if (!(err instanceof SqliteError) || attempt >= 3 || stamp(file) === before) throw err
    }
  }
}

/**
 * One pass over every row of `table` (its first `columns` columns), for other local SQLite files
 * (OpenCode's `opencode.db`): `visit.table` gets the table's CREATE statement first, then
 * `visit.row` each row. False when the database is empty or has no such table. No retry: a caller
 * that needs a consistent read compares the files' stamps before and after, as readKeyValues does.
 */
export function scanRows(
  file: string,
  table: string,
  columns: number,
  visit: { table?(sql: string): void; row(row: SqlValue[]): void },
): boolean {
  const fd = openSync(file, 'r')
  try {
    const pager = openPager(fd, readWalFile(`${file}-wal`))
    if (!pager) return false
    let root: number | null = null
    let sql = ''
    for (const [type, name, , rootpage, text] of scanTable(pager, 1, 5)) {
      if (type === 'table' && typeof name === 'string' && name.toLowerCase() === table.toLowerCase()) {
        root = typeof rootpage === 'number' ? rootpage : null
        sql = typeof text === 'string' ? text : ''
      }
    }
    if (root === null) return false
    visit.table?.(sql)
    for (const row of scanTable(pager, root, columns)) visit.row(row)
    return true
  } catch (err) {
    throw err instanceof RangeError ? new SqliteError('damaged page') : err
  } finally {
    closeSync(fd)
  }
}
