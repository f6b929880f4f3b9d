import {
  decodeColumn,
  indexPayload,
  type Pager,
  rawRecord,
  readRecord,
  type SqlValue,
  SqliteError,
  tableLeafPayload,
  varint,
} from './sqlite-btree.js'

/**
 * Point look-ups by B-tree descent (https://sqlite.org/fileformat2.html §1.6, §2.1, §2.2): the
 * key's entry in a UNIQUE index gives the rowid, the rowid leads down the table to the row. A few
 * pages per key, whatever the size of the table: Cursor's ItemTable can hold a million rows.
 */

/** Deeper than any real b-tree (a 512-byte page tree of 2^64 rows is under 40 levels). */
const MAX_DEPTH = 64

interface Node {
  page: Uint8Array
  view: DataView
  /** Offset of the page header: 100 on page 1, after the file header. */
  h: number
  kind: number
  cells: number
}

function node(pager: Pager, n: number): Node {
  const page = pager.page(n)
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength)
  const h = n === 1 ? 100 : 0
  return { page, view, h, kind: page[h] ?? 0, cells: view.getUint16(h + 3) }
}

const cellAt = (nd: Node, i: number, header: number) => nd.view.getUint16(nd.h + header + 2 * i)

/** SQLite's order of a record's first column against a text key: NULL, numbers < TEXT < BLOB. */
function compareToText(type: number, bytes: Uint8Array, key: Uint8Array): number {
  if (type < 12) return -1
  if (type % 2 === 0) return 1
  // BINARY collation: memcmp over the encoded bytes, then the shorter first.
  return Buffer.compare(bytes, key)
}

/**
 * The rowid of the entry whose first column is the text `key` in the UNIQUE index rooted at
 * `root`, or null when there is none. Interior cells of an index b-tree are entries too.
 */
export function findInIndex(pager: Pager, root: number, key: string): number | null {
  const wanted = pager.encode(key)
  const rowidOf = (p: ReturnType<typeof indexPayload>) => {
    const [types, bytes] = rawRecord(pager, p, Number.POSITIVE_INFINITY)
    const rowid = decodeColumn(types.at(-1) ?? 0, bytes.at(-1) ?? new Uint8Array(), pager.text)
    if (typeof rowid !== 'number' || types.length < 2) throw new SqliteError('index entry has no rowid')
    return rowid
  }
  let n = root
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const nd = node(pager, n)
    const interior = nd.kind === 0x02
    if (!interior && nd.kind !== 0x0a) throw new SqliteError(`page ${n} is not an index b-tree page`)
    const header = interior ? 12 : 8
    const payloadOf = (i: number) => indexPayload(pager, nd.page, cellAt(nd, i, header) + (interior ? 4 : 0))
    // The first cell whose key is >= the wanted one.
    let lo = 0
    let hi = nd.cells
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const [types, bytes] = rawRecord(pager, payloadOf(mid), 1)
      const c = compareToText(types[0] ?? 0, bytes[0] ?? new Uint8Array(), wanted)
      if (c === 0) return rowidOf(payloadOf(mid))
      if (c < 0) lo = mid + 1
      else hi = mid
    }
    if (!interior) return null
    n = lo < nd.cells ? nd.view.getUint32(cellAt(nd, lo, header)) : nd.view.getUint32(nd.h + 8)
  }
  throw new SqliteError('index b-tree too deep')
}

/** The first `columns` columns of the row with `rowid` in the table rooted at `root`, or null. */
export function findRow(pager: Pager, root: number, rowid: number, columns: number): SqlValue[] | null {
  let n = root
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const nd = node(pager, n)
    if (nd.kind === 0x05) {
      // Interior cells: left child, then the largest rowid in it.
      let lo = 0
      let hi = nd.cells
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        const [key] = varint(nd.page, cellAt(nd, mid, 12) + 4)
        if (key < rowid) lo = mid + 1
        else hi = mid
      }
      n = lo < nd.cells ? nd.view.getUint32(cellAt(nd, lo, 12)) : nd.view.getUint32(nd.h + 8)
      continue
    }
    if (nd.kind !== 0x0d) throw new SqliteError(`page ${n} is not a table b-tree page`)
    let lo = 0
    let hi = nd.cells
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const p = tableLeafPayload(pager, nd.page, cellAt(nd, mid, 8))
      if (p.rowid === rowid) return readRecord(pager, p, columns)
      if (p.rowid < rowid) lo = mid + 1
      else hi = mid
    }
    return null
  }
  throw new SqliteError('table b-tree too deep')
}

const ident = (s: string) => s.replace(/^["`[]|["`\]]$/g, '').toLowerCase()

/** The column definitions and constraints of a CREATE TABLE statement, split at top-level commas. */
export function columnDefinitions(sql: string): string[] {
  const body = sql.slice(sql.indexOf('(') + 1, sql.lastIndexOf(')'))
  const parts: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of body) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim())
      cur = ''
    } else cur += ch
  }
  parts.push(cur.trim())
  return parts
}

/** A schema row of sqlite_master: type, name, tbl_name, rootpage, sql. */
export type SchemaRow = SqlValue[]

/**
 * The root page of a UNIQUE index whose first column is the table's first column in ascending
 * BINARY order, covering every row, or null (then the caller scans). For VS Code's
 * `ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)` that is the automatic index
 * `sqlite_autoindex_ItemTable_1`, which sqlite_master lists without SQL.
 */
export function keyIndexRoot(schema: SchemaRow[], table: string): number | null {
  const t = table.toLowerCase()
  const tableSql = schema.find(([type, name]) => type === 'table' && String(name).toLowerCase() === t)?.[4]
  if (typeof tableSql !== 'string' || /\bwithout\s+rowid\b/i.test(tableSql)) return null
  const defs = columnDefinitions(tableSql)
  const first = defs[0] ?? ''
  const column = ident(first.split(/\s+/)[0] ?? '')
  const keyed = (d: string) => /\b(unique|primary\s+key)\b/i.test(d)
  // The automatic index is ours only when the first column's own constraint is the table's only
  // UNIQUE / PRIMARY KEY, so there is exactly one autoindex and it is on that column.
  const autoOk =
    keyed(first) &&
    !/\b(collate|desc|integer\s+primary)\b/i.test(first) &&
    defs.slice(1).every((d) => !keyed(d))
  for (const [type, name, tblName, root, sql] of schema) {
    if (type !== 'index' || String(tblName).toLowerCase() !== t || typeof root !== 'number') continue
    if (sql === null) {
      if (autoOk && String(name).toLowerCase() === `sqlite_autoindex_${t}_1`) return root
      continue
    }
    if (typeof sql !== 'string' || /\bwhere\b/i.test(sql) || !/^\s*create\s+unique\s+index\b/i.test(sql))
      continue
    const cols = columnDefinitions(sql.slice(sql.search(/\bon\b/i)))
    const [col, ...rest] = (cols[0] ?? '').split(/\s+/)
    if (ident(col ?? '') === column && rest.every((w) => /^asc$/i.test(w))) return root
  }
  return null
}
