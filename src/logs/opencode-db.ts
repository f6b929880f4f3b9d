import { statSync } from 'node:fs'
import { columnDefinitions, scanRows } from '../providers/cursor/sqlite.js'
import { encodeHashes, hash52 } from './hash.js'
import { addMessage, note } from './opencode-message.js'
import type { PricingTable } from './pricing.js'
import type { Buckets } from './totals.js'

/** OpenCode's `message` table, read with the read-only SQLite page reader Cursor uses. */

/** Column names of a CREATE TABLE statement, in order. */
export function columnNames(sql: string): string[] {
  return columnDefinitions(sql)
    .filter((p) => p && !/^(constraint|primary|foreign|unique|check)\b/i.test(p))
    .map((p) => (p.match(/^[`"[]?([^`"\]\s]+)/)?.[1] ?? '').toLowerCase())
}

export const stampOf = (file: string) =>
  [file, `${file}-wal`]
    .map((p) => {
      try {
        const s = statSync(p)
        return `${s.size}:${s.mtimeMs}`
      } catch {
        return '-'
      }
    })
    .join('|')

function readDb(file: string, pricing: PricingTable, now: number) {
  const buckets: Buckets = {}
  const reasons: Record<string, number> = {}
  const ids: number[] = []
  // Column order changed between OpenCode versions: find `id` and `data` by name.
  let at = { id: 0, data: 4 }
  scanRows(file, 'message', 12, {
    table(sql) {
      const names = columnNames(sql)
      if (names.includes('id') && names.includes('data'))
        at = { id: names.indexOf('id'), data: names.indexOf('data') }
    },
    row(row) {
      const id = row[at.id]
      const data = row[at.data]
      if (typeof id !== 'string' || typeof data !== 'string') return note(reasons, 'malformed-message')
      ids.push(hash52(id))
      if (!data.includes('"assistant"')) return
      let json: unknown
      try {
        json = JSON.parse(data)
      } catch {
        return note(reasons, 'unparsable-message')
      }
      note(reasons, addMessage(json, buckets, pricing, now))
    },
  })
  return { buckets, reasons, ids: encodeHashes(ids) }
}

/** A database that changes while it is read is read again (up to 3 times). */
export function readDbSettled(file: string, pricing: PricingTable, now: number) {
  for (let attempt = 1; ; attempt++) {
    const before = stampOf(file)
    try {
      const got = readDb(file, pricing, now)
      const after = stampOf(file)
      if (after === before || attempt >= 3) return { stamp: after, ...got }
    } catch (err) {
      if (attempt >= 3 || stampOf(file) === before) throw err
    }
  }
}
