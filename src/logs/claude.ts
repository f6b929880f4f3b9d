import { bool, isCount, isRec, nullish, num, str } from '../hand-check.js'
import { hash52, hash52Pair, joinHashes, KeySet, type SortedBase } from './hash.js'
import { beyondStored, type FileSink, type JsonlSource, type StoredHashes } from './jsonl.js'
import { costOf, type PricingTable } from './pricing.js'
import { type Hashes, inMemory, type Spill } from './spill.js'
import { type FileState, type Recent, type SideRecord, sideHashesOf } from './state.js'
import { addToBuckets, bucketKey, LAST, subtractFromBuckets, type Totals, totalsOf } from './totals.js'

/**
 * Claude Code transcripts (spec §5.1): `<configDir>/projects/<cwd>/<session>.jsonl` and the
 * sub-agents' `<session>/subagents/*.jsonl`. Deduplication follows ccusage's Rust rules: one
 * request per `message.id` + `requestId` (Claude Code writes a line per content block, repeating
 * a usage that grows), keeping the largest and preferring the main thread; a sidechain replay
 * of a main-thread message (same `message.id`) is dropped, whichever of the two is read first.
 */

/** A usage line's fields (spec §5.1), as plainLine vouches for them. */
interface Line {
  timestamp: string
  requestId?: string | null
  isSidechain?: boolean | null
  isApiErrorMessage?: boolean | null
  costUSD?: number | null
  message: {
    id?: string | null
    model?: string | null
    usage: {
      input_tokens: number
      output_tokens: number
      cache_creation_input_tokens?: number | null
      cache_read_input_tokens?: number | null
      cache_creation?: {
        ephemeral_5m_input_tokens?: number | null
        ephemeral_1h_input_tokens?: number | null
      } | null
      speed?: string | null
    }
  }
}

/**
 * A usage line, checked by hand: zod (its module, then its schemas' first use) would cost a
 * refresh that reads a few new lines more than those lines. The rules are those of the zod
 * schema it replaced, held to it input by input (test/logs/claude-line.test.ts): counts are safe
 * non-negative integers, a cost a finite non-negative number, optional fields may be null.
 */
export function plainLine(v: unknown): Line | null {
  if (!isRec(v) || !str(v.timestamp)) return null
  const m = v.message
  if (!isRec(m) || !nullish(m.id, str) || !nullish(m.model, str)) return null
  const u = m.usage
  if (!isRec(u) || !isCount(u.input_tokens) || !isCount(u.output_tokens)) return null
  const cc = u.cache_creation
  const ok =
    nullish(v.requestId, str) &&
    nullish(v.isSidechain, bool) &&
    nullish(v.isApiErrorMessage, bool) &&
    nullish(v.costUSD, (c) => num(c) && c >= 0) &&
    nullish(u.cache_creation_input_tokens, isCount) &&
    nullish(u.cache_read_input_tokens, isCount) &&
    nullish(u.speed, str) &&
    nullish(
      cc,
      (c) =>
        isRec(c) &&
        nullish(c.ephemeral_5m_input_tokens, isCount) &&
        nullish(c.ephemeral_1h_input_tokens, isCount),
    )
  return ok ? (v as unknown as Line) : null
}

// Lines with a `message.usage` object are usage lines; `"usage"` elsewhere (a Task tool result's
// `toolUseResult.usage`) is not a reason to complain.
const hasMessageUsage = (json: unknown) =>
  typeof json === 'object' &&
  json !== null &&
  'message' in json &&
  typeof json.message === 'object' &&
  json.message !== null &&
  'usage' in json.message

interface Entry {
  ts: number
  /** hash52 of the message id, null without one. */
  m: number | null
  /** hash52 of `messageId:requestId`, null when either is missing (never deduplicated, as ccusage). */
  key: number | null
  side: boolean
  totals: Totals
  bucket: string
  /** Preference among duplicates: main thread first, then the larger token total. */
  rank: number
  unpriced: boolean
}

const FUTURE_MS = 86_400_000
const NO_IDS: [null, null] = [null, null]

/** One line → a request, a reason to skip it, or nothing (not a usage line). */
function readLine(line: string, now: number, pricing: PricingTable): Entry | string | null {
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch {
    return 'unparsable-line'
  }
  const e = plainLine(json)
  if (e === null) return hasMessageUsage(json) ? 'malformed-usage' : null
  const ts = Date.parse(e.timestamp)
  if (Number.isNaN(ts)) return 'bad-timestamp'
  if (ts > now + FUTURE_MS) return 'future-timestamp'
  const model = e.message.model ?? 'unknown'
  if (e.isApiErrorMessage || model === '<synthetic>') return 'synthetic'
  const u = e.message.usage
  const cache1h = u.cache_creation?.ephemeral_1h_input_tokens ?? 0
  // Without the 5m/1h breakdown every cache write is a 5-minute one.
  const cache5m = u.cache_creation
    ? (u.cache_creation.ephemeral_5m_input_tokens ?? 0)
    : (u.cache_creation_input_tokens ?? 0)
  const tokens = {
    input: u.input_tokens,
    output: u.output_tokens,
    cacheRead: u.cache_read_input_tokens ?? 0,
    cache5m,
    cache1h,
    fast: u.speed === 'fast',
  }
  const sum = tokens.input + tokens.output + tokens.cacheRead + cache5m + cache1h
  if (sum === 0) return 'zero-usage'
  // `auto` cost mode: a cost Claude Code logged itself (≈1.0.x) wins over the table.
  const price = pricing.find(model)
  const cost = e.costUSD ?? (price ? costOf(price, tokens) : null)
  const msgId = e.message.id
  const side = e.isSidechain === true
  const [m, key] = !msgId ? NO_IDS : e.requestId ? hash52Pair(msgId, e.requestId) : [hash52(msgId), null]
  return {
    ts,
    m,
    key,
    side,
    totals: totalsOf({
      ts,
      model,
      ...tokens,
      cacheWrite: cache5m + cache1h,
      cost,
      estimated: e.costUSD == null,
    }),
    bucket: bucketKey(ts, model),
    rank: (side ? 0 : 1e15) + sum,
    unpriced: cost === null,
  }
}

/**
 * Chunks of one message are written together (a line per content block, seconds apart): this
 * many recent requests per file may still be replaced by a larger chunk, and the last few are
 * remembered for the next refresh (a chunk may be appended after it).
 */
const RECENT = 64
const RECENT_KEPT = 8
/**
 * A counted sidechain request stays revocable this long: its main-thread original may be read
 * after it (another file, a later line, the next refresh) and then wins. A replay is written
 * when its session runs, so the original is never far away in time.
 */
const SIDE_KEPT_MS = 7 * 86_400_000

/** A counted sidechain request that a main-thread line of the same message id would replace. */
interface Side {
  /** hash52 of the message id. */
  m: number
  r: SideRecord
  path: string
  /** A main-thread line took it back. */
  gone?: true
}

export class ClaudeSource implements JsonlSource {
  readonly needles = [Buffer.from('"usage"')]
  /** Every request key counted by any file: a resumed session copies old messages into a new file. */
  private keys = new KeySet()
  /** Every main-thread message id: a sidechain line with one of them is a replay. */
  private mainIds: KeySet | null = null
  /** What the set is built from, on the first sidechain line (a refresh that reads none never builds it). */
  private idSources: (number[] | Hashes)[] = []
  private storedIds: SortedBase | undefined
  /**
   * The message ids and request keys of the counted sidechain requests the files hold. Those can
   * be thousands (a sub-agent's every request, for a week): the index of them below is built only
   * once a line needs it (one of these ids on the main thread, a file holding some read on, a
   * sidechain line counted).
   */
  private sideIds = new Set<number>()
  private sideKeys = new Set<number>()
  private indexed = false
  /** Counted sidechain requests by message id, still revocable by a main-thread line. */
  private sides = new Map<number, Side[]>()
  /** The same by file, in the order they came: a file's close gathers its own without a pass over all. */
  private sidesOf = new Map<string, Side[]>()
  /** The same records by request key, so that a file's `recent` and its sides share them. */
  private sideRecords = new Map<number, SideRecord>()
  private files: Readonly<Record<string, FileState>> = {}

  constructor(
    private readonly pricing: PricingTable,
    private readonly now: number,
    /** Where the hashes of the files read go once the scan holds many (a dense history's cold scan). */
    private readonly spill: Spill | null = null,
  ) {}

  prepare(
    kept: readonly FileState[],
    files: Readonly<Record<string, FileState>>,
    stored?: StoredHashes,
  ): void {
    // With the detail's sorted hashes, only what a kept file holds beyond them is sorted here.
    this.keys = new KeySet(beyondStored(kept, 'keys', stored), 4096, stored?.keys)
    this.mainIds = null
    this.storedIds = stored?.ids
    this.idSources = beyondStored(kept, 'ids', stored)
    this.files = files
    this.sides = new Map()
    this.sidesOf = new Map()
    this.sideRecords = new Map()
    this.indexed = false
    this.sideIds = new Set()
    this.sideKeys = new Set()
    for (const path in files) {
      const held = sideHashesOf(files[path] as FileState)
      if (!held) continue
      for (const m of held.ids) this.sideIds.add(m)
      for (const k of held.keys) this.sideKeys.add(k)
    }
  }

  /** The index of the sidechain requests the files hold: before any is revoked, shared or added. */
  private indexSides(): void {
    if (this.indexed) return
    this.indexed = true
    for (const path in this.files) {
      const list = (this.files[path] as FileState).sides
      if (list) for (const s of list) this.addSide({ m: s.m, r: { k: s.k, b: s.b, t: s.t, r: s.r }, path })
    }
  }

  private mainIdSet(): KeySet {
    if (!this.mainIds) {
      this.mainIds = new KeySet(
        this.idSources.map((s) => (Array.isArray(s) ? s : inMemory(s))),
        4096,
        this.storedIds,
      )
      this.idSources = []
    }
    return this.mainIds
  }

  private addSide(side: Side): void {
    this.indexSides()
    const list = this.sides.get(side.m)
    if (list) list.push(side)
    else this.sides.set(side.m, [side])
    const own = this.sidesOf.get(side.path)
    if (own) own.push(side)
    else this.sidesOf.set(side.path, [side])
    if (side.r.k !== null) this.sideRecords.set(side.r.k, side.r)
  }

  /**
   * A main-thread line of message `m` arrived: the sidechain copies counted before it (read
   * first, whatever the file) leave their files' totals and free their request keys.
   */
  private revokeSides(
    m: number,
    key: number | null,
    open: { path: string; recent: Map<number, SideRecord> },
  ) {
    if (!this.indexed) {
      if (!this.sideIds.has(m)) return
      this.indexSides()
    }
    const list = this.sides.get(m)
    if (!list) return
    this.sides.delete(m)
    for (const side of list) {
      side.gone = true
      const { r, path } = side
      const f = this.files[path]
      if (!f) continue
      f.revoked = true
      subtractFromBuckets(f.buckets, r.b, r.t)
      noteIn(f, r.k === key ? 'duplicate' : 'sidechain-replay')
      if (r.k !== null) {
        this.sideRecords.delete(r.k)
        this.keys.delete(r.k)
        if (path === open.path) open.recent.delete(r.k)
        else if (f.recent) f.recent = f.recent.filter((x) => x.k !== r.k)
      }
      if (path !== open.path && f.sides) f.sides = f.sides.filter((x) => x.m !== m)
    }
  }

  open(path: string, file: FileState, fresh: boolean): FileSink {
    // What the file held (prepare's sets have them) and what this read adds.
    const oldKeys = fresh ? new Float64Array(0) : inMemory(file.keys)
    const oldIds = fresh ? new Float64Array(0) : inMemory(file.ids)
    const ownKeys: number[] = []
    const ownIds: number[] = []
    const fileIds = new KeySet([oldIds])
    // Until the account-wide set exists, this file's new ids join it when it is built.
    const source = this.mainIds ? -1 : this.idSources.push(ownIds) - 1
    // Keyed by request key; a record a Side also holds is shared, so a replacement updates both.
    const recent = new Map<number, SideRecord>()
    const kept = fresh ? [] : (file.recent ?? [])
    if (kept.some((r) => this.sideKeys.has(r.k))) this.indexSides()
    for (const r of kept) recent.set(r.k, this.sideRecords.get(r.k) ?? r)
    const note = (reason: string) => noteIn(file, reason)
    const onLine = (line: string) => {
      const e = readLine(line, this.now, this.pricing)
      if (e === null) return
      if (typeof e === 'string') return note(e)
      const { key, m } = e
      if (m !== null && !e.side) this.revokeSides(m, key, { path, recent })
      if (e.side && m !== null && this.mainIdSet().has(m) && (key === null || !this.keys.has(key))) {
        return note('sidechain-replay')
      }
      let counted: SideRecord | null = null
      if (key !== null) {
        const seen = recent.get(key)
        if (seen) {
          note('duplicate')
          if (e.rank > seen.r) {
            subtractFromBuckets(file.buckets, seen.b, seen.t)
            addToBuckets(file.buckets, e.bucket, e.totals)
            // In place: a Side may hold the same record.
            Object.assign(seen, { b: e.bucket, t: e.totals, r: e.rank })
          }
          return
        }
        if (!this.keys.add(key)) return note('duplicate')
        ownKeys.push(key)
        counted = { k: key, b: e.bucket, t: e.totals, r: e.rank }
        recent.set(key, counted)
        if (recent.size > RECENT) recent.delete(recent.keys().next().value as number)
      }
      addToBuckets(file.buckets, e.bucket, e.totals)
      if (e.unpriced) note('unknown-model')
      if (m === null) return
      if (e.side) this.addSide({ m, r: counted ?? { k: null, b: e.bucket, t: e.totals, r: e.rank }, path })
      else if (fileIds.add(m)) {
        ownIds.push(m)
        this.mainIds?.add(m)
      }
    }
    return {
      onLine,
      close: () => {
        const keys = joinHashes([oldKeys, ownKeys])
        const ids = joinHashes([oldIds, ownIds])
        file.keys = this.spill ? this.spill.keep(keys) : keys
        file.ids = this.spill ? this.spill.keep(ids) : ids
        // The compact copy stands in for the list until the set is built (a dense history's ids
        // are held once, at 8 bytes each, or on disk); of a file read on, only its new ids.
        if (source >= 0 && !this.mainIds)
          this.idSources[source] = oldIds.length === 0 ? file.ids : ids.subarray(oldIds.length)
        file.recent = [...recent].slice(-RECENT_KEPT).map(([k, r]): Recent => ({ ...r, k }))
        const since = this.now - SIDE_KEPT_MS
        // Without the index nothing was revoked, shared or added: the file's own, as it held them.
        const own = this.indexed
          ? (this.sidesOf.get(path) ?? []).filter((s) => !s.gone).map((s) => ({ m: s.m, ...s.r }))
          : (file.sides ?? [])
        const sides = own.filter((s) => (s.t[LAST] ?? 0) >= since)
        file.sides = sides.length > 0 ? sides : undefined
      },
    }
  }
}

function noteIn(file: FileState, reason: string): void {
  file.reasons[reason] = (file.reasons[reason] ?? 0) + 1
}
