import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../cache/store.js'
import type { Mark } from './incremental.js'
import type { Buckets, Totals } from './totals.js'

/**
 * What a scan remembers between refreshes, one file per account under `<cache>/logs/`: per log
 * file its read mark and running totals. Written atomically; a missing, foreign or unreadable
 * state (or a changed price table) only costs one full read.
 */

export const STATE_VERSION = 1

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

export function emptyState(source: string, pricing: string): LogState {
  return { v: STATE_VERSION, source, pricing, files: {} }
}

export function loadState(path: string, source: string, pricing: string): LogState {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'))
    if (isState(parsed) && parsed.source === source && parsed.pricing === pricing) return parsed
  } catch {}
  return emptyState(source, pricing)
}

export function saveState(path: string, state: LogState): void {
  writeFileAtomic(path, JSON.stringify(state))
}
