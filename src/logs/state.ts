import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../cache/store.js'
import type { Mark } from './incremental.js'
import { addToBuckets, type Buckets, type Totals } from './totals.js'

/**
 * What a scan remembers between refreshes, two files per account under `<cache>/logs/`:
 * - the index (`<key>.json`): per log file its read mark, and the totals summed over all files;
 * - the detail (`<key>.detail.json`): per log file its own totals and what deduplication needs.
 * A refresh with nothing new reads the index only (stats against its marks); one with work loads
 * the detail too. Both carry the generation they were written in: a pair that does not match (a
 * crash between the two writes), a missing, foreign or unreadable file or a changed price table
 * only costs one full read.
 */

export const STATE_VERSION = 2

/** A counted request that a larger duplicate (a later chunk of the same message) may replace. */
export interface Recent {
  /** hash52 of `messageId:requestId`. */
  k: number
  /** Bucket key it was added to. */
  b: string
  t: Totals
  /** Preference: non-sidechain first, then the larger token total. */
  r: number
}

/** A counted request, as a Side (src/logs/claude.ts) remembers it; `k` null without a requestId. */
export interface SideRecord extends Omit<Recent, 'k'> {
  k: number | null
}

export interface FileState extends Mark {
  buckets: Buckets
  /** Lines skipped, or counted with a caveat, by reason (`quotabar report --verbose`). */
  reasons: Record<string, number>
  /** The last read stopped before a line still being written. */
  pending?: boolean
  /** Claude: hashes of the request keys and of the non-sidechain message ids this file counted. */
  keys?: string
  ids?: string
  recent?: Recent[]
  /** Claude: counted sidechain requests a main-thread line read later may still revoke (`m`: message id hash). */
  sides?: (SideRecord & { m: number })[]
  /** Codex: the session's running context (model, last cumulative totals, replay skipping). */
  ctx?: unknown
}

export interface LogState {
  v: number
  source: string
  pricing: string
  files: Record<string, FileState>
  /** OpenCode databases: change stamp and totals. */
  dbs?: Record<string, { stamp: string; buckets: Buckets; reasons: Record<string, number>; ids: string }>
}

// Our own file, read at every refresh and megabytes big for gigabytes of logs: a structural
// check by hand costs a tenth of a zod parse (which rebuilds every object) and catches the same
// damage. Anything off means "no state": the next scan reads everything again.
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number')
const isRecordOf = (v: unknown, check: (x: unknown) => boolean) =>
  isObject(v) && Object.values(v).every(check)
const isCount = (v: unknown) => typeof v === 'number'

function isRecent(v: unknown, key = (k: unknown): boolean => typeof k === 'number'): boolean {
  return isObject(v) && key(v.k) && typeof v.b === 'string' && isNumbers(v.t) && typeof v.r === 'number'
}

const isSide = (v: unknown) =>
  isObject(v) && typeof v.m === 'number' && isRecent(v, (k) => k === null || typeof k === 'number')

function isFile(v: unknown): boolean {
  return (
    isObject(v) &&
    ['ino', 'size', 'mtimeMs', 'offset'].every((k) => typeof v[k] === 'number') &&
    typeof v.head === 'string' &&
    isRecordOf(v.buckets, isNumbers) &&
    isRecordOf(v.reasons, isCount) &&
    (v.pending === undefined || typeof v.pending === 'boolean') &&
    (v.keys === undefined || typeof v.keys === 'string') &&
    (v.ids === undefined || typeof v.ids === 'string') &&
    (v.recent === undefined || (Array.isArray(v.recent) && v.recent.every((r) => isRecent(r)))) &&
    (v.sides === undefined || (Array.isArray(v.sides) && v.sides.every(isSide)))
  )
}

const isDb = (v: unknown) =>
  isObject(v) &&
  typeof v.stamp === 'string' &&
  typeof v.ids === 'string' &&
  isRecordOf(v.buckets, isNumbers) &&
  isRecordOf(v.reasons, isCount)

export function isState(v: unknown): v is LogState {
  return (
    isObject(v) &&
    v.v === STATE_VERSION &&
    typeof v.source === 'string' &&
    typeof v.pricing === 'string' &&
    isRecordOf(v.files, isFile) &&
    (v.dbs === undefined || isRecordOf(v.dbs, isDb))
  )
}

export function statePath(cacheDir: string, key: string): string {
  return join(cacheDir, 'logs', `${key.replace('/', '~')}.json`)
}

const detailPath = (path: string) => path.replace(/\.json$/, '.detail.json')

export function emptyState(source: string, pricing: string): LogState {
  return { v: STATE_VERSION, source, pricing, files: {} }
}

/** Totals summed over every log file, with the reasons ('incomplete-last-line' included). */
export interface Summed {
  buckets: Buckets
  reasons: Record<string, number>
}

/** What a file's read mark is: the fields the index keeps. */
export type MarkState = Mark & { pending?: boolean }

export interface StateIndex {
  v: number
  source: string
  pricing: string
  gen: string
  files: Record<string, MarkState>
  sum: Summed
}

const isMark = (v: unknown) =>
  isObject(v) &&
  ['ino', 'size', 'mtimeMs', 'offset'].every((k) => typeof v[k] === 'number') &&
  typeof v.head === 'string' &&
  (v.pending === undefined || typeof v.pending === 'boolean')

const isSummed = (v: unknown) =>
  isObject(v) && isRecordOf(v.buckets, isNumbers) && isRecordOf(v.reasons, isCount)

function isIndex(v: unknown): v is StateIndex {
  return (
    isObject(v) &&
    v.v === STATE_VERSION &&
    typeof v.source === 'string' &&
    typeof v.pricing === 'string' &&
    typeof v.gen === 'string' &&
    isRecordOf(v.files, isMark) &&
    isSummed(v.sum)
  )
}

/** Every part's buckets and reasons added up; a file still being written counts as a reason. */
export function sumOf(
  parts: readonly { buckets: Buckets; reasons: Record<string, number>; pending?: boolean }[],
): Summed {
  const buckets: Buckets = {}
  const reasons: Record<string, number> = {}
  for (const p of parts) {
    for (const [k, t] of Object.entries(p.buckets)) addToBuckets(buckets, k, t)
    for (const [r, n] of Object.entries(p.reasons)) reasons[r] = (reasons[r] ?? 0) + n
    if (p.pending) reasons['incomplete-last-line'] = (reasons['incomplete-last-line'] ?? 0) + 1
  }
  return { buckets, reasons }
}

/** The index alone: enough to tell that nothing changed and to answer with its sums. */
export function loadIndex(path: string, source: string, pricing: string): StateIndex | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'))
    if (isIndex(parsed) && parsed.source === source && parsed.pricing === pricing) return parsed
  } catch {}
  return null
}

/** The whole state behind an index (its marks joined to the detail of the same generation). */
export function loadState(path: string, index: StateIndex): LogState {
  try {
    const parsed: unknown = JSON.parse(readFileSync(detailPath(path), 'utf8'))
    if (isObject(parsed) && parsed.gen === index.gen && isObject(parsed.files)) {
      const files: Record<string, unknown> = {}
      for (const [p, mark] of Object.entries(index.files)) {
        const body = parsed.files[p]
        if (isObject(body)) files[p] = { ...body, ...mark }
      }
      const state = { v: STATE_VERSION, source: index.source, pricing: index.pricing, files, dbs: parsed.dbs }
      if (isState(state)) return state
    }
  } catch {}
  return emptyState(index.source, index.pricing)
}

/** Writes the detail, then the index that makes it current. */
export function saveState(path: string, state: LogState, sum: Summed): void {
  const gen = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
  const marks: Record<string, MarkState> = {}
  const bodies: Record<string, Omit<FileState, keyof MarkState>> = {}
  for (const [p, f] of Object.entries(state.files)) {
    const { ino, size, mtimeMs, offset, head, pending, ...body } = f
    marks[p] = pending ? { ino, size, mtimeMs, offset, head, pending } : { ino, size, mtimeMs, offset, head }
    bodies[p] = body
  }
  writeFileAtomic(detailPath(path), JSON.stringify({ gen, files: bodies, dbs: state.dbs }))
  const index: StateIndex = {
    v: STATE_VERSION,
    source: state.source,
    pricing: state.pricing,
    gen,
    files: marks,
    sum,
  }
  writeFileAtomic(path, JSON.stringify(index))
}
