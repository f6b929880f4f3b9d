import { basename, dirname, join, sep } from 'node:path'
import { z } from 'zod'
import { decodeHashes, encodeHashes, HashSet52, hash52 } from './hash.js'
import { type FileSink, type JsonlSource, type ListedFile, listFiles } from './jsonl.js'
import { costOf, type PricingTable } from './pricing.js'
import type { FileState, Recent } from './state.js'
import { addToBuckets, bucketKey, subtractFromBuckets, type Totals, totalsOf } from './totals.js'

/**
 * Claude Code transcripts (spec §5.1): `<configDir>/projects/<cwd>/<session>.jsonl` and the
 * sub-agents' `<session>/subagents/*.jsonl`. Deduplication follows ccusage's Rust rules: one
 * request per `message.id` + `requestId` (Claude Code writes a line per content block, repeating
 * a usage that grows), keeping the largest and preferring the main thread; a sub-agent's replay
 * of its session's main-thread message (same `message.id`, another `requestId`) is dropped.
 */

const count = z.number().int().nonnegative()

const lineSchema = z.object({
  timestamp: z.string(),
  requestId: z.string().nullish(),
  isSidechain: z.boolean().nullish(),
  isApiErrorMessage: z.boolean().nullish(),
  costUSD: z.number().nonnegative().nullish(),
  message: z.object({
    id: z.string().nullish(),
    model: z.string().nullish(),
    usage: z.object({
      input_tokens: count,
      output_tokens: count,
      cache_creation_input_tokens: count.nullish(),
      cache_read_input_tokens: count.nullish(),
      cache_creation: z
        .object({ ephemeral_5m_input_tokens: count.nullish(), ephemeral_1h_input_tokens: count.nullish() })
        .nullish(),
      speed: z.string().nullish(),
    }),
  }),
})

// Lines with a `message.usage` object are usage lines; `"usage"` elsewhere (a Task tool result's
// `toolUseResult.usage`) is not a reason to complain.
const hasMessageUsage = (json: unknown) =>
  typeof json === 'object' &&
  json !== null &&
  'message' in json &&
  typeof json.message === 'object' &&
  json.message !== null &&
  'usage' in json.message

/** Claude Code writes a project's transcripts under each of these (the default install has two). */
export function claudeRoots(configDir: string, home: string): string[] {
  const roots = [join(configDir, 'projects')]
  if (configDir === join(home, '.claude')) roots.push(join(home, '.config', 'claude', 'projects'))
  return roots
}

/** `<project>/<session>/subagents/agent-x.jsonl` → `<project>/<session>.jsonl`; null for a main file. */
export function parentTranscript(path: string): string | null {
  const dir = dirname(path)
  if (basename(dir) !== 'subagents') return null
  return `${dirname(dir)}.jsonl`
}

/** Main-thread transcripts first: a sub-agent's replays are recognised by its session's ids. */
export function claudeFiles(roots: readonly string[]): ListedFile[] {
  const files = roots.flatMap((r) => listFiles(r, (n) => n.endsWith('.jsonl')))
  const sub = (f: ListedFile) => (f.path.includes(`${sep}subagents${sep}`) ? 1 : 0)
  return files.sort((a, b) => sub(a) - sub(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

interface Entry {
  ts: number
  msgId: string | null
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

/** One line → a request, a reason to skip it, or nothing (not a usage line). */
function readLine(line: string, now: number, pricing: PricingTable): Entry | string | null {
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch {
    return 'unparsable-line'
  }
  const parsed = lineSchema.safeParse(json)
  if (!parsed.success) return hasMessageUsage(json) ? 'malformed-usage' : null
  const e = parsed.data
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
  const msgId = e.message.id ?? null
  const side = e.isSidechain === true
  return {
    ts,
    msgId,
    key: msgId && e.requestId ? hash52(`${msgId}:${e.requestId}`) : null,
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

export class ClaudeSource implements JsonlSource {
  readonly needles = [Buffer.from('"usage"')]
  /** Every request key counted by any file: a resumed session copies old messages into a new file. */
  private keys = new HashSet52()
  private files: Readonly<Record<string, FileState>> = {}

  constructor(
    private readonly pricing: PricingTable,
    private readonly now: number,
  ) {}

  prepare(kept: readonly FileState[], files: Readonly<Record<string, FileState>>): void {
    const keys = kept.map((f) => decodeHashes(f.keys))
    this.keys = new HashSet52(keys.reduce((n, x) => n + x.length, 4096))
    for (const a of keys) for (const h of a) this.keys.add(h)
    this.files = files
  }

  open(path: string, file: FileState, fresh: boolean): FileSink {
    const ownKeys = fresh ? [] : Array.from(decodeHashes(file.keys))
    const ownIds = fresh ? [] : Array.from(decodeHashes(file.ids))
    // Main-thread message ids: this file's, and for a sub-agent its session's (read before it).
    const parent = parentTranscript(path)
    const mainIds = new HashSet52()
    for (const h of parent ? decodeHashes(this.files[parent]?.ids) : ownIds) mainIds.add(h)
    const recent = new Map<number, Recent>((fresh ? [] : (file.recent ?? [])).map((r) => [r.k, r]))
    const note = (reason: string) => {
      file.reasons[reason] = (file.reasons[reason] ?? 0) + 1
    }
    const onLine = (line: string) => {
      const e = readLine(line, this.now, this.pricing)
      if (e === null) return
      if (typeof e === 'string') return note(e)
      const { key, msgId } = e
      if (e.side && msgId && mainIds.has(hash52(msgId)) && (key === null || !this.keys.has(key))) {
        return note('sidechain-replay')
      }
      if (key !== null) {
        const seen = recent.get(key)
        if (seen) {
          note('duplicate')
          if (e.rank > seen.r) {
            subtractFromBuckets(file.buckets, seen.b, seen.t)
            addToBuckets(file.buckets, e.bucket, e.totals)
            recent.set(key, { k: key, b: e.bucket, t: e.totals, r: e.rank })
          }
          return
        }
        if (!this.keys.add(key)) return note('duplicate')
        ownKeys.push(key)
        recent.set(key, { k: key, b: e.bucket, t: e.totals, r: e.rank })
        if (recent.size > RECENT) recent.delete(recent.keys().next().value as number)
      }
      addToBuckets(file.buckets, e.bucket, e.totals)
      if (e.unpriced) note('unknown-model')
      if (!e.side && msgId) {
        const h = hash52(msgId)
        if (mainIds.add(h)) ownIds.push(h)
      }
    }
    return {
      onLine,
      close: () => {
        file.keys = encodeHashes(ownKeys)
        file.ids = encodeHashes(ownIds)
        file.recent = [...recent.values()].slice(-RECENT_KEPT)
      },
    }
  }
}
