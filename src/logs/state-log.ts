import { closeSync, fstatSync, openSync, writeSync } from 'node:fs'
import { writeFileAtomic } from '../cache/store.js'
import { readAt } from '../read-at.js'
import { isRec, numbers } from '../hand-check.js'
import { type Hashes, SpilledHashes } from './spill.js'
import { joinHashes } from './hash.js'

/**
 * The detail of a scan state (state.ts) as a log of records, so that a refresh that read a few
 * new lines appends a few kilobytes instead of rewriting megabytes (and pays no rename, which on
 * ext4 flushes the new file).
 *
 * A record holds, for the log files that changed since its parent record, their totals (JSON) and
 * the request keys and message ids they added (raw 52-bit hashes, 8 bytes each, no base64). A
 * base record holds every file and starts the chain again. The index names the record its state
 * ends with; loading follows the parents from there back to a base, so a record written by a
 * crashed or concurrent run that no index names is never applied. Records are appended with
 * O_APPEND (one write each); a new base replaces the file atomically.
 *
 * Layout of a record, every part a multiple of 8 bytes so that hashes are read in place:
 *   'QBL3' | u32 JSON bytes | u32 hashes | u32 body bytes | JSON | bodies | f64 hashes
 * (JSON and bodies padded with spaces). Its JSON:
 * `{ gen, parent, files: { path: { bl?, sl?, sm?, sq?, r?: 1, k, i } }, gone?, dbs?, pre? }` where
 * `r` drops what earlier records held for the file and `k`/`i` count its new keys and ids, stored
 * in that order, file after file. A file's totals (`bl` bytes of JSON in the bodies, in file
 * order, after the prefix sum's `pre.bl`) are kept as bytes until a scan asks for them: a refresh
 * that reads a few files parses only theirs, and those of a big first record (the base) are not
 * even read until then (DiskBytes). So are its revocable sidechain requests (`sl` bytes
 * right after its totals); what every scan needs of them (any main-thread line may revoke one)
 * sits in the JSON: their message ids (`sm`) and request keys (`sq`, the requests that have one).
 * Earlier records are still read: version 2 ('QBL2') held the sidechain requests whole in the JSON
 * (`s`), version 1 ('QBL1') also the totals, inline as `b`.
 */

const MAGIC_V1 = 0x314c4251 // 'QBL1' little-endian
const MAGIC_V2 = 0x324c4251 // 'QBL2'
const MAGIC = 0x334c4251 // 'QBL3'
const HEAD = 16

export interface LogEntry {
  /** Version 1: the file's totals and context (written when they may have changed). */
  b?: Record<string, unknown>
  /** Bytes of the file's totals and context in the bodies (written when they may have changed). */
  bl?: number
  /** With `bl`, version 2: the file's revocable sidechain requests. */
  s?: unknown
  /** With `bl`: bytes of the file's revocable sidechain requests, after its totals in the bodies. */
  sl?: number
  /** With `sl`: their message ids, and the request keys of those that have one. */
  sm?: number[]
  sq?: number[]
  /** Start over: what earlier records held for this file is dropped. */
  r?: 1
  k: number
  i: number
}

export interface LogRecord {
  gen: string
  /** The record this one follows; null for a base record. */
  parent: string | null
  files: Record<string, LogEntry>
  gone?: string[]
  dbs?: unknown
  /** The prefix sum (state.ts): the files it covers, the last of them, its bytes first in the bodies. */
  pre?: PrefixHead
  /**
   * A base record's request keys and message ids of every file, sorted, after the files' own
   * hashes (a refresh's set of them needs no sort: hash.ts's KeySet). Absent in older records.
   */
  sk?: number
  si?: number
}

export interface PrefixHead {
  n: number
  last: [number, string] | null
  bl: number
}

/** Our own detail held something a load could not check up front: the caller reads everything again. */
export class BrokenState extends Error {
  constructor() {
    super('the scan state is damaged')
  }
}

/**
 * Bytes of the detail left on disk: the bodies of its first record, a base that holds every
 * file's totals, most of a big detail, of which a refresh that reads a few files needs a few. They
 * are read through the descriptor the chain was read with: a base another process writes meanwhile
 * is a new file renamed over this one, and never mixes in. close() when the scan is done.
 */
export class DiskBytes {
  private all: Buffer | null = null
  private reads = 0

  constructor(
    private fd: number | null,
    /** Where they start in the file. */
    private readonly from: number,
    readonly length: number,
  ) {}

  /**
   * `len` of them from `at` on (within `length`, as the chain checked). After many reads (a new
   * base copies every body) they are read whole, once. A refresh that read a few files reads a
   * dozen or so: the prefix sum, the files it read, the newest few it sums.
   */
  read(at: number, len: number): Buffer {
    if (this.all === null && ++this.reads > WHOLE_AFTER) this.all = this.take(0, this.length)
    if (this.all !== null) return this.all.subarray(at, at + len)
    return this.take(at, len)
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
  }

  private take(at: number, len: number): Buffer {
    if (this.fd === null) throw new Error('the detail was closed')
    const buf = Buffer.allocUnsafe(len)
    if (readAt(this.fd, buf, this.from + at) !== len) throw new BrokenState()
    return buf
  }
}

/** DiskBytes reads one at a time up to this many, then all of them at once. */
const WHOLE_AFTER = 64

/** Bytes in memory, or on disk (DiskBytes). */
export type Bytes = Buffer | DiskBytes

/** `len` bytes of `src` from `at` on (a view of those in memory). */
export const bytesOf = (src: Bytes, at: number, len: number): Buffer =>
  src instanceof DiskBytes ? src.read(at, len) : src.subarray(at, at + len)

/** A file's revocable sidechain requests as the detail holds them: JSON bytes, and their hashes. */
export interface SideBytes {
  /** Their JSON: `len` bytes of `src` from `at` on. */
  src: Bytes
  at: number
  len: number
  /** The message ids and the request keys (of those that have one), in the order of the list. */
  ids: readonly number[]
  keys: readonly number[]
}

/** A list of no hashes, shared (never written to). */
const NONE = new Float64Array(0)

/** `list` with `more` after it: `more` itself when `list` is empty. */
const add = (list: Float64Array, more: Float64Array) => (list.length === 0 ? more : joinHashes([list, more]))

/**
 * What a replayed chain holds per log file. Where, not views: a view per file, for thousands of
 * files, cost a refresh that reads a few of them milliseconds. Its hash lists are views of the bytes
 * read (no copy) made when first asked for; `keyCount` and `idCount` answer without them.
 */
export class Replayed {
  /** Version 1: its totals and context, inline in the record. */
  parsed: Record<string, unknown> | null = null
  /**
   * Later versions: the bodies of the record that holds its totals and context last, whose JSON
   * lies at `at` for `len` bytes (null: none yet).
   */
  bodies: Bytes | null = null
  at = 0
  len = 0
  /** Its sidechain requests: parsed (version 2), bytes, or none. */
  sides: unknown = undefined
  sideBytes: SideBytes | null = null
  /** How many of the first keys and ids are the base record's (in its sorted hashes). */
  baseKeys = 0
  baseIds = 0
  /** How many keys and ids it holds in all. */
  keyCount = 0
  idCount = 0
  /** The base record's hashes its first keys, then ids, lie in, from `from` on. */
  private base: Float64Array | null = null
  private from = 0
  private keyList: Float64Array | null = null
  private idList: Float64Array | null = null

  /** Its lists as the base record holds them: `k` keys then `i` ids at `at` in `hashes`. */
  inBase(hashes: Float64Array, at: number, k: number, i: number): void {
    this.base = hashes
    this.from = at
    this.baseKeys = this.keyCount = k
    this.baseIds = this.idCount = i
  }

  get keys(): Float64Array {
    this.keyList ??= this.base ? this.base.subarray(this.from, this.from + this.baseKeys) : NONE
    return this.keyList
  }

  get ids(): Float64Array {
    const at = this.from + this.baseKeys
    this.idList ??= this.base ? this.base.subarray(at, at + this.baseIds) : NONE
    return this.idList
  }

  /** A later record's keys and ids for it: joined to the lists (the live files', a few times). */
  more(keys: Float64Array, ids: Float64Array): void {
    if (keys.length > 0) this.keyList = add(this.keys, keys)
    if (ids.length > 0) this.idList = add(this.ids, ids)
    this.keyCount += keys.length
    this.idCount += ids.length
  }
}

/** The base record's sorted hashes, with the base's lists of files that no longer hold them. */
export interface SortedHashes {
  keys: Float64Array
  ids: Float64Array
  dropKeys: Float64Array[]
  dropIds: Float64Array[]
}

export interface Chain {
  files: Map<string, Replayed>
  sorted: SortedHashes | null
  dbs: unknown
  pre: { n: number; last: [number, string] | null; body: Buffer } | undefined
  /** JSON and body bytes of the chain's base record, and of the whole chain: when to write a new base. */
  baseJson: number
  chainJson: number
  /** Bytes of the chain's records, and of the whole file (records off the chain included). */
  chainBytes: number
  fileBytes: number
  /** Where the first record's bodies were left on disk, if they were: close it when done. */
  disk: DiskBytes | null
}

const pad8 = (n: number) => Math.ceil(n / 8) * 8

/** A part of a record: bytes, or hashes a long scan spilled to disk (read back as it is written). */
export type RecordPart = Uint8Array | SpilledHashes

/** A part's bytes; a spilled one's in a buffer the next call reuses (write it before asking again). */
const partBytes = (p: RecordPart): Uint8Array => (p instanceof SpilledHashes ? p.bytes() : p)

/** Whether a record holds spilled hashes: then it is written as a new base, part by part. */
export const hasSpilled = (parts: readonly RecordPart[]) => parts.some((p) => p instanceof SpilledHashes)

/**
 * A record as the parts to write: its head and JSON, the bodies its entries' `bl` (and its
 * `pre.bl`) count, in that order, then the hashes, in place.
 */
export function encodeRecord(
  rec: LogRecord,
  bodies: readonly Uint8Array[],
  hashes: readonly Hashes[],
): RecordPart[] {
  const json = Buffer.from(JSON.stringify(rec))
  const jsonLen = pad8(json.length)
  const bodyBytes = bodies.reduce((n, b) => n + b.length, 0)
  const bodyLen = pad8(bodyBytes)
  const count = hashes.reduce((n, h) => n + h.length, 0)
  const head = Buffer.alloc(HEAD + jsonLen, 0x20)
  head.writeUInt32LE(MAGIC, 0)
  head.writeUInt32LE(jsonLen, 4)
  head.writeUInt32LE(count, 8)
  head.writeUInt32LE(bodyLen, 12)
  json.copy(head, HEAD)
  const tail = bodyLen > bodyBytes ? [Buffer.alloc(bodyLen - bodyBytes, 0x20)] : []
  return [
    head,
    ...bodies.filter((b) => b.length > 0),
    ...tail,
    ...hashes
      .filter((h) => h.length > 0)
      .map((h) => (h instanceof SpilledHashes ? h : new Uint8Array(h.buffer, h.byteOffset, h.byteLength))),
  ]
}

/** A record's JSON and body bytes (what a load parses, at most). */
export const recordJsonBytes = (parts: readonly RecordPart[]) => {
  const p = parts[0] as Uint8Array
  const head = Buffer.from(p.buffer, p.byteOffset, p.byteLength)
  return head.readUInt32LE(4) + head.readUInt32LE(12)
}
export const recordBytes = (parts: readonly RecordPart[]) =>
  parts.reduce((n, p) => n + (p instanceof SpilledHashes ? p.length * 8 : p.length), 0)

/**
 * A new base (replacing the file atomically) or one more record at its end (one write: O_APPEND
 * keeps two writers' records whole). A base is written part by part: a dense history's hashes
 * are never copied into one buffer, and spilled ones are read back one file at a time.
 */
export function writeRecord(path: string, parts: readonly RecordPart[], base: boolean): void {
  if (base) {
    writeFileAtomic(
      path,
      (function* () {
        for (const p of parts) yield partBytes(p)
      })(),
    )
    return
  }
  // saveState writes a record with spilled hashes as a base: an appended one is all in memory.
  if (hasSpilled(parts)) throw new Error('a record with spilled hashes is written as a base')
  const buf = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts as Uint8Array[])
  const fd = openSync(path, 'a', 0o600)
  try {
    writeSync(fd, buf, 0, buf.length)
  } finally {
    closeSync(fd)
  }
}

const isLength = (v: unknown) => Number.isInteger(v) && (v as number) >= 0

const isEntry = (e: unknown) =>
  isRec(e) &&
  Number.isInteger(e.k) &&
  Number.isInteger(e.i) &&
  (e.b === undefined || isRec(e.b)) &&
  (e.bl === undefined || isLength(e.bl)) &&
  (e.sl === undefined
    ? e.sm === undefined && e.sq === undefined
    : isLength(e.sl) && numbers(e.sm) && numbers(e.sq)) &&
  (e.r === undefined || e.r === 1)

/** Every entry of a record (a plain loop: a base record holds one per log file, thousands of them). */
function isEntries(files: Record<string, unknown>): boolean {
  for (const p in files) if (!isEntry(files[p])) return false
  return true
}

function isRecord(v: unknown): v is LogRecord {
  return (
    isRec(v) &&
    typeof v.gen === 'string' &&
    (v.parent === null || typeof v.parent === 'string') &&
    isRec(v.files) &&
    isEntries(v.files) &&
    (v.gone === undefined || (Array.isArray(v.gone) && v.gone.every((g) => typeof g === 'string'))) &&
    (v.pre === undefined || isPre(v.pre)) &&
    (v.sk === undefined || (Number.isInteger(v.sk) && (v.sk as number) >= 0)) &&
    (v.si === undefined || (Number.isInteger(v.si) && (v.si as number) >= 0))
  )
}

const isPre = (v: unknown) =>
  isRec(v) &&
  Number.isInteger(v.n) &&
  Number.isInteger(v.bl) &&
  (v.last === null ||
    (Array.isArray(v.last) &&
      v.last.length === 2 &&
      typeof v.last[0] === 'number' &&
      typeof v.last[1] === 'string'))

interface Parsed {
  rec: LogRecord
  bodies: Bytes
  hashes: Float64Array
  json: number
  bytes: number
}

/** A first record with at least this many bytes of bodies leaves them on disk (DiskBytes). */
export const LEAVE_BODIES = 256 << 10

/**
 * The detail's bytes, but for the first record's bodies when there are many (`hole`: where they
 * were in the file, its bytes after them moved up). Allocated whole, so that hashes, every part a
 * multiple of 8 bytes, are read in place.
 */
function readDetail(
  fd: number,
  leave: number,
): { bytes: Buffer; size: number; hole: { at: number; len: number } | null } {
  const size = fstatSync(fd).size
  const head = Buffer.alloc(HEAD)
  let hole: { at: number; len: number } | null = null
  if (readAt(fd, head, 0) === HEAD && head.readUInt32LE(0) !== MAGIC_V1) {
    const at = HEAD + head.readUInt32LE(4)
    const len = head.readUInt32LE(12)
    if (len > 0 && len >= leave && at + len <= size) hole = { at, len }
  }
  const bytes = Buffer.allocUnsafeSlow(size - (hole?.len ?? 0))
  const got = hole
    ? readAt(fd, bytes.subarray(0, hole.at), 0) + readAt(fd, bytes.subarray(hole.at), hole.at + hole.len)
    : readAt(fd, bytes, 0)
  // Our writers never shorten the file under a reader (a new base is a new file).
  if (got !== bytes.length) throw new BrokenState()
  return { bytes, size, hole }
}

/**
 * The state the chain ending at `gen` describes, or null (no file, no such record, a broken
 * chain, anything unreadable): then the caller reads everything again. The first record's bodies
 * stay on disk from `leave` bytes on (the chain's `disk`: close it).
 */
export function readChain(path: string, gen: string, leave = LEAVE_BODIES): Chain | null {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return null
  }
  let disk: DiskBytes | null = null
  try {
    const { bytes, size, hole } = readDetail(fd, leave)
    if (hole) disk = new DiskBytes(fd, hole.at, hole.len)
    const chain = replayChain(bytes, gen, disk)
    if (chain) chain.fileBytes = size
    else disk?.close()
    return chain
  } catch {
    disk?.close()
    return null
  } finally {
    if (!disk) closeSync(fd)
  }
}

/** readChain on the detail's bytes (the first record's bodies on `disk` if it is not null). */
function replayChain(bytes: Buffer, gen: string, disk: DiskBytes | null): Chain | null {
  const byGen = new Map<string, Parsed>()
  for (let at = 0; at + HEAD <= bytes.length; ) {
    const magic = bytes.readUInt32LE(at)
    if (magic !== MAGIC && magic !== MAGIC_V2 && magic !== MAGIC_V1) break
    const jsonLen = bytes.readUInt32LE(at + 4)
    const count = bytes.readUInt32LE(at + 8)
    const bodyLen = magic === MAGIC_V1 ? 0 : bytes.readUInt32LE(at + 12)
    const bodyAt = at + HEAD + jsonLen
    // The first record's bodies are not among the bytes when they were left on disk.
    const onDisk = at === 0 && disk !== null
    const hashAt = onDisk ? bodyAt : bodyAt + bodyLen
    const end = hashAt + count * 8
    if (jsonLen % 8 !== 0 || bodyLen % 8 !== 0 || end > bytes.length) break
    let rec: unknown
    try {
      rec = JSON.parse(bytes.toString('utf8', at + HEAD, at + HEAD + jsonLen))
    } catch {
      break
    }
    if (!isRecord(rec)) break
    const hashes = new Float64Array(bytes.buffer, bytes.byteOffset + hashAt, count)
    const bodies = onDisk ? (disk as DiskBytes) : bytes.subarray(bodyAt, bodyAt + bodyLen)
    const size = end - at + (onDisk ? bodyLen : 0)
    byGen.set(rec.gen, { rec, bodies, hashes, json: jsonLen + bodyLen, bytes: size })
    at = end
  }
  const chain: Parsed[] = []
  for (let g: string | null = gen; g !== null; ) {
    const p = byGen.get(g)
    if (!p || chain.length > byGen.size) return null
    chain.push(p)
    g = p.rec.parent
  }
  chain.reverse()
  // Per log file what the chain holds so far; the Replayed objects are the answer's too.
  const files = new Map<string, Replayed>()
  // The base record's own lists of files dropped or started over since (see SortedHashes).
  const dropKeys: Float64Array[] = []
  const dropIds: Float64Array[] = []
  const drop = (f: Replayed | undefined) => {
    if (!f) return
    if (f.baseKeys > 0) dropKeys.push(f.keys.subarray(0, f.baseKeys))
    if (f.baseIds > 0) dropIds.push(f.ids.subarray(0, f.baseIds))
  }
  let sorted: SortedHashes | null = null
  let dbs: unknown
  let pre: Chain['pre']
  let chainJson = 0
  let chainBytes = 0
  for (const { rec, bodies, hashes, json, bytes: size } of chain) {
    chainJson += json
    chainBytes += size
    for (const g of rec.gone ?? []) {
      drop(files.get(g))
      files.delete(g)
    }
    // Where the next body starts in the record's bodies, or -1 past their end.
    let bodyAt = 0
    const body = (n: number) => {
      const at = bodyAt
      bodyAt += n
      return bodyAt <= bodies.length ? at : -1
    }
    if (rec.pre) {
      const b = body(rec.pre.bl)
      if (b < 0) return null
      pre = { n: rec.pre.n, last: rec.pre.last, body: bytesOf(bodies, b, rec.pre.bl) }
    }
    let at = 0
    const isBase = rec.parent === null
    for (const p in rec.files) {
      const e = rec.files[p] as LogEntry
      let f = files.get(p)
      if (!f || e.r) {
        drop(f)
        f = new Replayed()
        files.set(p, f)
      }
      if (e.b) {
        f.parsed = e.b
        f.bodies = null
      }
      if (e.bl !== undefined) {
        const b = body(e.bl)
        if (b < 0) return null
        f.parsed = null
        f.bodies = bodies
        f.at = b
        f.len = e.bl
        f.sides = e.s
        f.sideBytes = null
        if (e.sl !== undefined) {
          const at = body(e.sl)
          if (at < 0) return null
          f.sideBytes = { src: bodies, at, len: e.sl, ids: e.sm as number[], keys: e.sq as number[] }
        }
      }
      if (at + e.k + e.i > hashes.length) return null
      // A base starts the chain: its entry is the file's first.
      if (isBase) f.inBase(hashes, at, e.k, e.i)
      else f.more(hashes.subarray(at, at + e.k), hashes.subarray(at + e.k, at + e.k + e.i))
      at += e.k + e.i
    }
    if (isBase && rec.sk !== undefined && rec.si !== undefined) {
      if (at + rec.sk + rec.si > hashes.length) return null
      const keys = hashes.subarray(at, at + rec.sk)
      const ids = hashes.subarray(at + rec.sk, at + rec.sk + rec.si)
      sorted = { keys, ids, dropKeys, dropIds }
    }
    if (rec.dbs !== undefined) dbs = rec.dbs
  }
  return {
    files,
    sorted,
    dbs,
    pre,
    baseJson: (chain[0] as Parsed).json,
    chainJson,
    chainBytes,
    fileBytes: bytes.length,
    disk,
  }
}
