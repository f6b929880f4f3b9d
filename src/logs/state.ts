import { closeSync, fstatSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { openWithPrevious, writeFileAtomic } from '../cache/store.js'
import { isRec, numbers } from '../hand-check.js'
import type { Mark } from './incremental.js'
import { splicedMarks } from './marks-text.js'
import { type Hashes, inMemory, SpilledHashes } from './spill.js'
import {
  BrokenState,
  type Bytes,
  bytesOf,
  type DiskBytes,
  encodeRecord,
  hasSpilled,
  type LogEntry,
  type LogRecord,
  readChain,
  recordBytes,
  recordJsonBytes,
  Replayed,
  type SideBytes,
  type SortedHashes,
  writeRecord,
} from './state-log.js'
import { sortedHashes } from './hash.js'
import { addToBuckets, type Buckets, type Totals } from './totals.js'

/**
 * What a scan remembers between refreshes, two files per account under `<cache>/logs/`:
 * - the index (`<key>.json`): per log file its read mark, and the totals summed over all files;
 * - the detail (`<key>.detail`, a log: state-log.ts): per log file its own totals and what
 *   deduplication needs, a record appended per scan with what changed.
 * A refresh with nothing new reads the index only (stats against its marks); one with work loads
 * the detail too, parsing only the totals of files it reads or must sum (sumFiles: a prefix sum
 * covers the others). The index names the detail record it goes with: a pair that does not match (a
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
  /**
   * Claude: hashes of the request keys and of the non-sidechain message ids this file counted (a
   * long scan parks those of the files it read on disk: spill.ts).
   */
  keys?: Hashes
  ids?: Hashes
  recent?: Recent[]
  /** Claude: counted sidechain requests a main-thread line read later may still revoke (`m`: message id hash). */
  sides?: (SideRecord & { m: number })[]
  /** Codex: the session's running context (model, last cumulative totals, replay skipping). */
  ctx?: unknown
  /** What the detail already holds for this file (never saved; copies of the state keep it). */
  logged?: Logged
  /** A scan took a request back out of this file without reading it (never saved). */
  revoked?: boolean
  /**
   * The detail's record of a loaded file (never saved): how many of its first keys and ids are the
   * base record's (in its sorted hashes, when the detail has them), and a lazy file's hash lists.
   */
  fromBase?: { readonly baseKeys: number; readonly baseIds: number }
}

/** A file as the detail last recorded it: its mark and its hash counts. */
interface Logged {
  size: number
  mtimeMs: number
  offset: number
  ino: number
  keys: number
  ids: number
}

/**
 * Where the detail's chain ends, for the next record. Never saved; updated in place, so that
 * copies of the state (a checkpoint's) share it.
 */
interface LogCursor {
  /** The last record; null while there is no detail. */
  gen: string | null
  baseJson: number
  chainJson: number
  chainBytes: number
  fileBytes: number
  dbs: unknown
  /** The prefix sum the chain last recorded. */
  pre: Prefix | undefined
  /** The log files the chain holds. */
  paths: string[]
  /**
   * The index the state was loaded with, as read (its text) and parsed (its marks, and how many):
   * the next save writes that text again with only what changed (marks-text.ts). Null once saved.
   */
  index: { text: string; files: Readonly<Record<string, MarkState>>; count: number } | null
  /** The detail's bytes left on disk (state-log.ts), until closeState. */
  disk: DiskBytes | null
}

const noLog = (): LogCursor => ({
  gen: null,
  baseJson: 0,
  chainJson: 0,
  chainBytes: 0,
  fileBytes: 0,
  dbs: undefined,
  pre: undefined,
  paths: [],
  index: null,
  disk: null,
})

export interface LogState {
  v: number
  source: string
  pricing: string
  files: Record<string, FileState>
  /** OpenCode databases: change stamp and totals. */
  dbs?: Record<string, { stamp: string; buckets: Buckets; reasons: Record<string, number>; ids: string }>
  log: LogCursor
  /** The sum over the files that come first in summing order (see sumFiles); never changed in place. */
  pre?: Prefix
  /** The detail's sorted hashes, with the lists that no longer count (never saved). */
  sorted?: SortedHashes
}

/**
 * Totals summed over the first `n` files in summing order (oldest mtime first, then path), the
 * last of them `last`: a scan that read only newer files starts from it. Its sum is kept as JSON
 * bytes until needed.
 */
export interface Prefix {
  n: number
  last: [number, string] | null
  sum: Summed | null
  raw: Buffer | null
}

export { BrokenState }

// Our own file, read at every refresh and megabytes big for gigabytes of logs: a structural
// check by hand costs a tenth of a zod parse (which rebuilds every object) and catches the same
// damage. Anything off means "no state": the next scan reads everything again.
// Plain loops (hand-check's numbers too): these run over every bucket of every file in a fresh
// process, where a callback per element costs more than the parse it checks.
function isRecordOf(v: unknown, check: (x: unknown) => boolean): boolean {
  if (!isRec(v)) return false
  for (const k in v) if (!check(v[k])) return false
  return true
}
const isCount = (v: unknown) => typeof v === 'number'

function isRecent(v: unknown, key = (k: unknown): boolean => typeof k === 'number'): boolean {
  return isRec(v) && key(v.k) && typeof v.b === 'string' && numbers(v.t) && typeof v.r === 'number'
}

const isSide = (v: unknown) =>
  isRec(v) && typeof v.m === 'number' && isRecent(v, (k) => k === null || typeof k === 'number')

/** A file's totals and context, as the detail keeps them apart (parsed when a scan asks for them). */
function isBody(v: unknown): boolean {
  if (!isSummed(v)) return false
  const { recent } = v as Summed & { recent?: unknown }
  return recent === undefined || (Array.isArray(recent) && recent.every((r) => isRecent(r)))
}

const isHashes = (v: unknown) => v instanceof Float64Array || v instanceof SpilledHashes

/** The last `n` of `h` (all of them as they are: spilled ones stay on disk until written). */
const lastOf = (h: Hashes, n: number): Hashes =>
  n === h.length ? h : n === 0 ? new Float64Array(0) : inMemory(h).subarray(h.length - n)

/** A file whose totals came inline (a version-1 record): everything is checked. */
function isFile(v: unknown): boolean {
  return (
    isMark(v) &&
    (v.keys === undefined || isHashes(v.keys)) &&
    (v.ids === undefined || isHashes(v.ids)) &&
    isSides(v.sides) &&
    isBody(v)
  )
}

/** The body keys kept as bytes until asked for. */
const LAZY_KEYS = ['buckets', 'reasons', 'recent', 'ctx'] as const
/**
 * Files whose body is still the detail's bytes, with where they lie (a record or base may copy
 * them as they are).
 */
const unparsed = new WeakMap<object, Replayed>()
/**
 * Files whose sidechain requests are still the detail's bytes (a record copies them as they are).
 * A scan asks for them only when it reads the file or a line takes one of them back: what every
 * scan needs, their message ids and request keys, comes with the bytes (eachSideHash).
 */
const unparsedSides = new WeakMap<object, SideBytes>()
/**
 * The index's mark each loaded file was made from. A scan never changes a loaded file's mark in
 * place (a file it reads is a copy: fileWith), so a file still in the state goes into the next
 * index with this very object, and thousands of untouched files cost no new marks.
 */
const markOf = new WeakMap<object, MarkState>()

/** The JSON bytes of a file's body as the detail holds them. */
const bodyBytes = (r: Replayed): Buffer => bytesOf(r.bodies as Bytes, r.at, r.len)

function parseBody(r: Replayed): Record<string, unknown> {
  const bytes = bodyBytes(r)
  let body: unknown
  try {
    body = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new BrokenState()
  }
  if (!isBody(body)) throw new BrokenState()
  return body as Record<string, unknown>
}

const dataProperty = (value: unknown): PropertyDescriptor => ({
  value,
  writable: true,
  enumerable: true,
  configurable: true,
})

function parseSides(bytes: Buffer): FileState['sides'] {
  let sides: unknown
  try {
    sides = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new BrokenState()
  }
  if (!isSides(sides) || sides === undefined) throw new BrokenState()
  return sides as FileState['sides']
}

const sameNumbers = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => x === b[i])

/** Replaces a file's lazy sidechain requests by the list its bytes hold; false for no such file. */
function loadSides(f: Record<string, unknown>): boolean {
  const held = unparsedSides.get(f)
  if (!held) return false
  const sides = parseSides(bytesOf(held.src, held.at, held.len)) as NonNullable<FileState['sides']>
  // The hashes beside them were what every scan went by: they must be the list's.
  const { ids, keys } = hashesOf(sides)
  if (!sameNumbers(ids, held.ids) || !sameNumbers(keys, held.keys)) throw new BrokenState()
  unparsedSides.delete(f)
  Object.defineProperty(f, 'sides', dataProperty(sides))
  return true
}

/** A list of sidechain requests' message ids, and the request keys of those that have one. */
function hashesOf(list: NonNullable<FileState['sides']>): { ids: number[]; keys: number[] } {
  const ids: number[] = []
  const keys: number[] = []
  for (const s of list) {
    ids.push(s.m)
    if (s.k !== null) keys.push(s.k)
  }
  return { ids, keys }
}

/**
 * The message ids and request keys of `f`'s revocable sidechain requests, without parsing them
 * while they are bytes (every scan gathers them from every file); null for none.
 */
export function sideHashesOf(f: FileState): Pick<SideBytes, 'ids' | 'keys'> | null {
  const held = unparsedSides.get(f)
  if (held) return held
  return f.sides ? hashesOf(f.sides) : null
}

/** The bytes of `f`'s sidechain requests as a record holds them, with their hashes; null for none. */
function sideBytesOf(f: FileState): (Pick<SideBytes, 'ids' | 'keys'> & { bytes: Buffer }) | null {
  const held = unparsedSides.get(f)
  if (held) return { bytes: bytesOf(held.src, held.at, held.len), ids: held.ids, keys: held.keys }
  return f.sides ? { bytes: Buffer.from(JSON.stringify(f.sides)), ...hashesOf(f.sides) } : null
}

/** Replaces a file's lazy body keys by the values its bytes hold; false for no such file. */
function loadBody(f: Record<string, unknown>): boolean {
  const held = unparsed.get(f)
  if (!held) return false
  const body = parseBody(held)
  unparsed.delete(f)
  for (const k of LAZY_KEYS) Object.defineProperty(f, k, dataProperty(body[k]))
  return true
}

/**
 * What the detail holds for a file as loaded: its mark and hash counts then. A loaded file's mark
 * never changes in place, nor do its hash lists (a read one is a copy: fileWith), so this is made
 * when asked for (a record of a file a scan took a request back from) rather than per file at load.
 */
function loggedAtLoad(f: FileState): Logged | undefined {
  const m = markOf.get(f)
  if (!m) return undefined
  const { size, mtimeMs, offset, ino } = m
  return { size, mtimeMs, offset, ino, keys: hashCount(f, 'keys'), ids: hashCount(f, 'ids') }
}

/**
 * How many request keys or message ids `f` holds. A loaded file's lists are views of the detail
 * made when first asked for (a history holds thousands of files, a refresh reads a few): this
 * counts them without.
 */
export function hashCount(f: FileState, which: 'keys' | 'ids'): number {
  if (Object.hasOwn(f, which)) return f[which]?.length ?? 0
  const r = f.fromBase
  return r instanceof Replayed ? (which === 'keys' ? r.keyCount : r.idCount) : 0
}

/** One set of accessors for every file (they find the bytes by `this`): no closures per file. */
const LAZY_ACCESSORS: PropertyDescriptorMap = Object.fromEntries(
  [...LAZY_KEYS, 'sides' as const].map((k) => {
    const load = k === 'sides' ? loadSides : loadBody
    return [
      k,
      {
        get(this: Record<string, unknown>) {
          return load(this) ? this[k] : undefined
        },
        set(this: Record<string, unknown>, v: unknown) {
          if (load(this)) this[k] = v
          else Object.defineProperty(this, k, dataProperty(v))
        },
        enumerable: true,
        configurable: true,
      },
    ]
  }),
)
/** An accessor for `k` whose value `make` gives the first time it is asked for (then it is the file's own). */
const derived = (k: string, make: (f: FileState) => unknown): PropertyDescriptor => ({
  get(this: FileState) {
    const v = make(this)
    Object.defineProperty(this, k, dataProperty(v))
    return v
  },
  set(this: FileState, v: unknown) {
    Object.defineProperty(this, k, dataProperty(v))
  },
  enumerable: true,
  configurable: true,
})
for (const which of ['keys', 'ids'] as const)
  LAZY_ACCESSORS[which] = derived(which, (f) =>
    hashCount(f, which) > 0 ? (f.fromBase as Replayed)[which] : undefined,
  )
LAZY_ACCESSORS.logged = derived('logged', loggedAtLoad)

/**
 * What a file whose body is still bytes inherits: the accessors, defined once. A history holds
 * thousands of files, and defining them on each cost a refresh milliseconds. A copy of such a file
 * must load its body first (fileWith): a spread copies own properties only.
 */
const LAZY_FILE: object = Object.create(Object.prototype, LAZY_ACCESSORS)
/**
 * The same for a file that holds no sidechain requests as bytes, the most of them: without the
 * `sides` accessor, asking for them (every scan does, of every file) finds nothing at once.
 */
const LAZY_BODY: object = (() => {
  const { sides: _, ...body } = LAZY_ACCESSORS
  return Object.create(Object.prototype, body)
})()

/**
 * A file at `mark` whose body keys are parsed from the detail (where `held` says) the first time
 * one is read or written, and its sidechain requests from `sides` likewise.
 */
function lazyFile(mark: MarkState, held: Replayed, sides: SideBytes | null): FileState {
  const file = Object.create(sides ? LAZY_FILE : LAZY_BODY) as FileState
  file.ino = mark.ino
  file.size = mark.size
  file.mtimeMs = mark.mtimeMs
  file.offset = mark.offset
  file.head = mark.head
  if (mark.pending !== undefined) file.pending = mark.pending
  unparsed.set(file, held)
  if (sides) unparsedSides.set(file, sides)
  return file
}

/**
 * A copy of `f` changed by `patch`. A spread leaves a lazy file's inherited values behind: each is
 * read into the copy (its body and sidechain requests parsed, its hash lists made).
 */
export function fileWith(f: FileState, patch: Partial<FileState>): FileState {
  const copy: Record<string, unknown> = { ...f }
  if (Object.getPrototypeOf(f) !== Object.prototype)
    for (const k in LAZY_ACCESSORS) copy[k] = (f as unknown as Record<string, unknown>)[k]
  return { ...copy, ...patch } as FileState
}

const isDb = (v: unknown) =>
  isRec(v) && typeof v.stamp === 'string' && typeof v.ids === 'string' && isSummed(v)

const isSides = (v: unknown) => v === undefined || (Array.isArray(v) && v.every(isSide))

/**
 * What loadState's pieces were not checked for already: a file's marks passed the index's check
 * and its hashes are views of the detail, so a file whose body is still bytes (parseBody checks
 * those) has only its sidechain requests left when a version-2 record held them parsed (parseSides
 * checks bytes), and a version-1 record's file with its totals inline everything. Without either
 * (`parsed` false: every record is a later version's) the files are not looped over at all: a
 * history holds thousands of them.
 */
function isLoaded(s: LogState, parsed: boolean): boolean {
  if (parsed) {
    for (const p in s.files) {
      const f = s.files[p] as FileState
      if (!(unparsed.has(f) ? unparsedSides.has(f) || isSides(f.sides) : isFile(f))) return false
    }
  }
  return s.dbs === undefined || isRecordOf(s.dbs, isDb)
}

export function statePath(cacheDir: string, key: string): string {
  return join(cacheDir, 'logs', `${key.replace('/', '~')}.json`)
}

// statePath's `.json` swapped by hand: a first regex costs a fresh process more than this whole lookup.
const detailPath = (path: string) => `${path.slice(0, path.length - '.json'.length)}.detail`

export function emptyState(source: string, pricing: string): LogState {
  return { v: STATE_VERSION, source, pricing, files: {}, log: noLog() }
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

// Field by field: the index holds a mark per log file, thousands of them, checked at every refresh.
const isMark = (v: unknown): v is MarkState & Record<string, unknown> =>
  isRec(v) &&
  typeof v.ino === 'number' &&
  typeof v.size === 'number' &&
  typeof v.mtimeMs === 'number' &&
  typeof v.offset === 'number' &&
  typeof v.head === 'string' &&
  (v.pending === undefined || typeof v.pending === 'boolean')

/**
 * Every bucket a list of numbers, in one function of plain loops over Object.values: a sum holds
 * hundreds of buckets, and in a fresh process a `for...in` over that many keys with a callback
 * per bucket cost 0.6-2.4 ms where this costs 0.3-0.6 (500 buckets, measured apart). The inner
 * loop is hand-check's `numbers` written out: calling it once per bucket cost 1.4-2.5 ms.
 */
function isBuckets(v: unknown): boolean {
  if (!isRec(v)) return false
  const all = Object.values(v)
  for (let i = 0; i < all.length; i++) {
    const t = all[i]
    if (!Array.isArray(t)) return false
    for (let j = 0; j < t.length; j++) if (typeof t[j] !== 'number') return false
  }
  return true
}

export const isSummed = (v: unknown): v is Summed =>
  isRec(v) && isBuckets(v.buckets) && isRecordOf(v.reasons, isCount)

/**
 * `whole` false: the marks and the sum are taken as written (loadIndex's `ours`: thousands of
 * marks, hundreds of buckets of ten numbers each), the rest checked.
 */
function isIndex(v: unknown, whole = true): v is StateIndex {
  return (
    isRec(v) &&
    v.v === STATE_VERSION &&
    typeof v.source === 'string' &&
    typeof v.pricing === 'string' &&
    typeof v.gen === 'string' &&
    (whole ? isRecordOf(v.files, isMark) && isSummed(v.sum) : isRec(v.files) && isRec(v.sum))
  )
}

/** Every part's buckets and reasons added up; a file still being written counts as a reason. */
export type Part = { buckets: Buckets; reasons: Record<string, number>; pending?: boolean }

/** Adds a part's buckets and reasons to `acc`; a file still being written counts as a reason. */
function addPart(acc: Summed, p: Part): void {
  for (const k in p.buckets) addToBuckets(acc.buckets, k, p.buckets[k] as Totals)
  for (const r in p.reasons) acc.reasons[r] = (acc.reasons[r] ?? 0) + (p.reasons[r] as number)
  if (p.pending) acc.reasons['incomplete-last-line'] = (acc.reasons['incomplete-last-line'] ?? 0) + 1
}

export function sumOf(parts: readonly Part[]): Summed {
  const acc: Summed = { buckets: {}, reasons: {} }
  for (const p of parts) addPart(acc, p)
  return acc
}

/** Summing order: oldest mtime first, then path. A file a scan reads gets the newest mtime. */
type OrderKey = [number, string]

/** Files newer than the prefix sum: the ones a refresh is likely to read next. */
const PREFIX_SPARE = 8

const cloneSum = (s: Summed): Summed => {
  const buckets: Buckets = {}
  for (const k in s.buckets) buckets[k] = [...(s.buckets[k] as Totals)]
  return { buckets, reasons: { ...s.reasons } }
}

/**
 * The prefix sum as a copy the caller may add to: parsed afresh from its bytes (a parse is a copy,
 * and in a fresh process a tenth of the cost of copying 300 buckets one by one), cloned when this
 * process computed it.
 */
function prefixCopy(pre: Prefix): Summed | null {
  if (pre.sum) return cloneSum(pre.sum)
  if (!pre.raw) return null
  let v: unknown
  try {
    v = JSON.parse(pre.raw.toString('utf8'))
  } catch {
    return null
  }
  return isSummed(v) ? v : null
}

/**
 * Every file's totals added up in summing order, starting from the prefix sum when it still
 * covers the same unchanged files (then only the newer files' totals are parsed and added), and a
 * new prefix sum in `state.pre` for the next scan. Float sums are added in the same order either
 * way, so the result is bit for bit a cold scan's.
 */
export function sumFiles(state: LogState): Summed {
  const pre = state.pre
  let acc: Summed | null = null
  let from = 0
  // The files after the prefix sum, in summing order. A history holds thousands of files: the
  // prefix is checked without sorting them all (its files are those up to its last, and they
  // must be as many as it covers, unchanged), so that only the few newer ones are sorted.
  let rest: [OrderKey, FileState][] = []
  if (pre?.last && pre.n > 0) {
    const [lt, lp] = pre.last
    let count = 0
    let hasLast = false
    let same = true
    for (const p in state.files) {
      const f = state.files[p] as FileState
      const t = f.mtimeMs
      if (t < lt || (t === lt && p <= lp)) {
        count++
        if (t === lt && p === lp) hasLast = true
        if (same && changed(f)) same = false
      } else rest.push([[t, p], f])
    }
    if (same && hasLast && count === pre.n) acc = prefixCopy(pre)
    if (acc) from = pre.n
  }
  if (!acc) {
    // No prefix to start from (the rare case): every file, in order.
    rest = []
    for (const p in state.files) {
      const f = state.files[p] as FileState
      rest.push([[f.mtimeMs, p], f])
    }
  }
  // Summing order, by index (a destructuring comparator is slow in a fresh process).
  rest.sort((a, b) => {
    const x = a[0]
    const y = b[0]
    return x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0)
  })
  acc ??= { buckets: {}, reasons: {} }
  const at = (i: number) => rest[i - from] as [OrderKey, FileState]
  const total = from + rest.length
  const cut = Math.max(from, total - PREFIX_SPARE)
  for (let i = from; i < cut; i++) addPart(acc, at(i)[1])
  if (!pre || cut !== pre.n || from !== pre.n) {
    // Only past the prefix: with one, cut equals from when nothing new is to be made.
    state.pre = { n: cut, last: cut > 0 ? at(cut - 1)[0] : null, sum: cloneSum(acc), raw: null }
  }
  for (let i = cut; i < total; i++) addPart(acc, at(i)[1])
  return acc
}

/** Each loaded index's text, for the next save (marks-text.ts). */
const indexTexts = new WeakMap<StateIndex, string>()

/**
 * The index alone: enough to tell that nothing changed and to answer with its sums. `ours` says
 * whether the file read (its stats) is one this program wrote and knows unchanged since (seen.ts
 * names the index it was written beside): its thousands of marks and its sum are then not checked
 * one by one.
 */
export function loadIndex(
  path: string,
  source: string,
  pricing: string,
  ours?: (st: { ino: number; size: number; mtimeMs: number }) => boolean,
): StateIndex | null {
  try {
    let text: string
    let whole = true
    // saveState keeps the index it replaces: a refresh between its renames reads that one.
    const fd = openWithPrevious(path)
    try {
      if (ours) whole = !ours(fstatSync(fd))
      text = readFileSync(fd, 'utf8')
    } finally {
      closeSync(fd)
    }
    const parsed: unknown = JSON.parse(text)
    if (isIndex(parsed, whole) && parsed.source === source && parsed.pricing === pricing) {
      indexTexts.set(parsed, text)
      return parsed
    }
  } catch {}
  return null
}

/**
 * The whole state behind an index (its marks joined to the detail's chain ending where it says);
 * `leaveBodies` as readChain's `leave`. closeState when done with it.
 */
export function loadState(path: string, index: StateIndex, leaveBodies?: number): LogState {
  const empty = emptyState(index.source, index.pricing)
  const chain = readChain(detailPath(path), index.gen, leaveBodies)
  if (!chain) return empty
  const files: Record<string, FileState> = {}
  // Whether an older record left something parsed that isLoaded must check.
  let parsed = false
  let count = 0
  for (const p in index.files) {
    count++
    const mark = index.files[p] as MarkState
    const f = chain.files.get(p)
    if (!f || (!f.bodies && !f.parsed)) continue
    let file: FileState
    if (f.bodies) {
      file = lazyFile(mark, f, f.sideBytes)
      if (!f.sideBytes && f.sides !== undefined) {
        file.sides = f.sides as FileState['sides']
        parsed = true
      }
    } else {
      file = { ...f.parsed, ...mark } as FileState
      parsed = true
    }
    // A lazy file's hash lists come from here when asked for (LAZY_ACCESSORS).
    file.fromBase = f
    if (!f.bodies) {
      if (f.keyCount > 0) file.keys = f.keys
      if (f.idCount > 0) file.ids = f.ids
    }
    markOf.set(file, mark)
    if (!f.bodies) file.logged = loggedAtLoad(file)
    files[p] = file
  }
  // Files the chain holds that the index does not: their part of the sorted hashes no longer counts.
  const sorted = chain.sorted
  if (sorted) {
    for (const [p, f] of chain.files) {
      if (files[p]) continue
      sorted.dropKeys.push(f.keys.subarray(0, f.baseKeys))
      sorted.dropIds.push(f.ids.subarray(0, f.baseIds))
    }
  }
  const { baseJson, chainJson, chainBytes, fileBytes, dbs } = chain
  const text = indexTexts.get(index)
  const state: LogState = { ...empty, files, dbs: dbs as LogState['dbs'] }
  if (chain.sorted) state.sorted = chain.sorted
  if (!isLoaded(state, parsed)) {
    chain.disk?.close()
    return empty
  }
  if (chain.pre) state.pre = { n: chain.pre.n, last: chain.pre.last, sum: null, raw: chain.pre.body }
  const paths = [...chain.files.keys()]
  state.log = {
    gen: index.gen,
    baseJson,
    chainJson,
    chainBytes,
    fileBytes,
    dbs: state.dbs,
    pre: state.pre,
    paths,
    index: text === undefined ? null : { text, files: index.files, count },
    disk: chain.disk,
  }
  return state
}

/** Lets go of what a loaded state still reads from (the detail, open while parts of it are unread). */
export function closeState(state: LogState): void {
  state.log.disk?.close()
}

const newGen = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

/** A file as loaded that nothing was taken from: its mark is the index's and its record the detail's. */
const asLoaded = (f: FileState) => markOf.has(f) && f.revoked !== true

/** Whether the detail's record of `f` may be out of date: read since, or a request taken back out. */
function changed(f: FileState): boolean {
  if (markOf.has(f)) return f.revoked === true
  const l = f.logged
  return (
    !l ||
    f.revoked === true ||
    l.size !== f.size ||
    l.mtimeMs !== f.mtimeMs ||
    l.offset !== f.offset ||
    l.ino !== f.ino
  )
}

/**
 * A new base record holds everything again once the chain's records hold about half as much as
 * the base (stale totals of files recorded again), or the file carries as much again off the
 * chain: a load then parses at most about one and a half states.
 */
function wantsBase(c: LogCursor, adding: number): boolean {
  if (c.gen === null) return true
  return (
    c.chainJson - c.baseJson + adding > c.baseJson / 2 + 65536 ||
    c.fileBytes - c.chainBytes > c.chainBytes / 2 + (1 << 20)
  )
}

/**
 * A base record of up to this many request keys (and as many message ids) holds them sorted too:
 * 8 MB at most, and never for a scan that spilled its hashes (sorting them would hold them all).
 */
export const SORTED_MAX = 1 << 20

/** The sorted hashes a base record may carry, or null (none at all, too many, or some on disk). */
function sortedOf(
  files: readonly FileState[],
  max: number,
): { keys: Float64Array; ids: Float64Array } | null {
  const keys: Float64Array[] = []
  const ids: Float64Array[] = []
  let n = 0
  for (const f of files) {
    if (f.keys instanceof SpilledHashes || f.ids instanceof SpilledHashes) return null
    if (f.keys) keys.push(f.keys)
    if (f.ids) ids.push(f.ids)
    n += Math.max(f.keys?.length ?? 0, f.ids?.length ?? 0)
    if (n > max) return null
  }
  return n === 0 ? null : { keys: sortedHashes(keys), ids: sortedHashes(ids) }
}

/** Appends a record of what changed to the detail (or writes a new base), then the index that makes it current. */
export function saveState(path: string, state: LogState, sum: Summed, sortedMax = SORTED_MAX): void {
  const gen = newGen()
  const cursor = state.log
  const record = (base: boolean) => {
    const entries: Record<string, LogEntry> = {}
    const bodies: Uint8Array[] = []
    const hashes: Hashes[] = []
    const pre = state.pre
    let head: LogRecord['pre']
    if (pre && (base || pre !== cursor.pre)) {
      const bytes = pre.raw ?? Buffer.from(JSON.stringify(pre.sum ?? { buckets: {}, reasons: {} }))
      head = { n: pre.n, last: pre.last, bl: bytes.length }
      bodies.push(bytes)
    }
    for (const p in state.files) {
      const f = state.files[p] as FileState
      if (!base && asLoaded(f)) continue
      const from = base ? undefined : f.logged
      const write = base || changed(f)
      const k = (f.keys?.length ?? 0) - (from?.keys ?? 0)
      const i = (f.ids?.length ?? 0) - (from?.ids ?? 0)
      if (!write && k === 0 && i === 0) continue
      const keys = f.keys ?? new Float64Array(0)
      const ids = f.ids ?? new Float64Array(0)
      const e: LogEntry = { k, i }
      if (!from) e.r = 1
      if (write) {
        // A body never asked for is copied as the detail held it.
        const held = unparsed.get(f)
        let bytes = held && bodyBytes(held)
        if (!bytes) {
          const b: Record<string, unknown> = {}
          for (const key of LAZY_KEYS) if (f[key] !== undefined) b[key] = f[key]
          bytes = Buffer.from(JSON.stringify(b))
        }
        e.bl = bytes.length
        bodies.push(bytes)
        // Its sidechain requests right after, as bytes too (never parsed: copied as they were).
        const sides = sideBytesOf(f)
        if (sides) {
          e.sl = sides.bytes.length
          e.sm = sides.ids as number[]
          e.sq = sides.keys as number[]
          bodies.push(sides.bytes)
        }
      }
      entries[p] = e
      hashes.push(lastOf(keys, k), lastOf(ids, i))
    }
    const rec: LogRecord = { gen, parent: base ? null : cursor.gen, files: entries }
    const sorted = base ? sortedOf(Object.values(state.files), sortedMax) : null
    if (sorted) {
      hashes.push(sorted.keys, sorted.ids)
      rec.sk = sorted.keys.length
      rec.si = sorted.ids.length
    }
    if (!base) {
      const gone = cursor.paths.filter((p) => !state.files[p])
      if (gone.length > 0) rec.gone = gone
    }
    if (state.dbs !== undefined && (base || state.dbs !== cursor.dbs)) rec.dbs = state.dbs
    if (head) rec.pre = head
    return encodeRecord(rec, bodies, hashes)
  }
  let base = wantsBase(cursor, 0)
  let parts = record(base)
  // A record with spilled hashes is a long scan's: written as a base, part by part (an appended
  // record is one write, which would join them all in memory).
  if (!base && (hasSpilled(parts) || wantsBase(cursor, recordJsonBytes(parts)))) {
    base = true
    parts = record(true)
  }
  writeRecord(detailPath(path), parts, base)
  // The JSON detail of versions before the log: read no more, so not kept either.
  if (base) rmSync(`${path.slice(0, path.length - '.json'.length)}.detail.json`, { force: true })
  // The index (StateIndex) by hand: its marks may be the loaded text's.
  const head = `{"v":${STATE_VERSION},"source":${JSON.stringify(state.source)},"pricing":${JSON.stringify(state.pricing)}`
  // Not renamed over the old index (which that would flush first): see Replace.
  writeFileAtomic(
    path,
    `${head},"gen":${JSON.stringify(gen)},"files":${marksJson(state)},"sum":${JSON.stringify(sum)}}`,
    'previous',
  )
  // What the detail holds now; only files it holds anew need a new note (thousands are unchanged).
  for (const p in state.files) {
    const f = state.files[p] as FileState
    if (asLoaded(f)) continue
    const keys = f.keys?.length ?? 0
    const ids = f.ids?.length ?? 0
    const l = f.logged
    if (!changed(f) && l?.keys === keys && l.ids === ids) continue
    f.logged = { size: f.size, mtimeMs: f.mtimeMs, offset: f.offset, ino: f.ino, keys, ids }
    if (f.revoked) f.revoked = undefined
  }
  const jsonLen = recordJsonBytes(parts)
  const bytes = recordBytes(parts)
  Object.assign(cursor, {
    gen,
    baseJson: base ? jsonLen : cursor.baseJson,
    chainJson: (base ? 0 : cursor.chainJson) + jsonLen,
    chainBytes: (base ? 0 : cursor.chainBytes) + bytes,
    fileBytes: (base ? 0 : cursor.fileBytes) + bytes,
    dbs: state.dbs,
    pre: state.pre,
    paths: Object.keys(state.files),
    index: null,
  })
}

/**
 * The new index's marks as JSON: the loaded index's text with the entries of files marked anew or
 * gone taken out and the new ones added (marks-text.ts), or every mark stringified.
 */
function marksJson(state: LogState): string {
  const loaded = state.log.index
  if (loaded) {
    const drop: string[] = []
    const fresh: string[] = []
    let kept = 0
    for (const p in state.files) {
      const f = state.files[p] as FileState
      const m = markOf.get(f)
      if (m !== undefined && loaded.files[p] === m) {
        kept++
        continue
      }
      fresh.push(`${JSON.stringify(p)}:${JSON.stringify(m ?? newMark(f))}`)
      if (Object.hasOwn(loaded.files, p)) drop.push(p)
    }
    // The files the index marked that the state no longer holds.
    if (kept + drop.length < loaded.count)
      for (const p in loaded.files) if (!Object.hasOwn(state.files, p)) drop.push(p)
    const text = splicedMarks(loaded.text, drop, fresh)
    if (text !== null) return text
  }
  const marks: Record<string, MarkState> = {}
  for (const p in state.files) {
    const f = state.files[p] as FileState
    marks[p] = markOf.get(f) ?? newMark(f)
  }
  return JSON.stringify(marks)
}

function newMark(f: FileState): MarkState {
  const { ino, size, mtimeMs, offset, head, pending } = f
  return pending ? { ino, size, mtimeMs, offset, head, pending } : { ino, size, mtimeMs, offset, head }
}
