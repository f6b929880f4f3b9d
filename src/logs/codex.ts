import { closeSync, openSync, readSync } from 'node:fs'
import { z } from 'zod'
import { epochMs } from '../providers/plain-parts.js'
import { hash52, KeySet } from './hash.js'
import { beyondStored, type FileSink, type JsonlSource, type StoredHashes } from './jsonl.js'
import { costOf, type PricingTable } from './pricing.js'
import { inMemory } from './spill.js'
import type { FileState } from './state.js'
import { addToBuckets, bucketKey, totalsOf } from './totals.js'

/**
 * Codex session logs (spec §2.3): `<CODEX_HOME>/sessions/YYYY/MM/DD/rollout-*.jsonl` and
 * `archived_sessions/` (a name in both: `sessions/` wins). Tokens come from `token_count` events,
 * each counted once across the home's files (a forked session copies its parent's events);
 * `total_token_usage` is cumulative per session file, so a turn is `last_token_usage` or else the
 * difference between consecutive totals (totals that drop mean the count restarted). An event
 * that repeats the previous totals is Codex writing it twice and is skipped. The model is the
 * latest `turn_context` (or `info.model`); without one ccusage assumes `gpt-5`, and so do we.
 */

const count = z.number().nonnegative()
const usageSchema = z.object({
  input_tokens: count.catch(0),
  cached_input_tokens: count.nullish(),
  output_tokens: count.catch(0),
  reasoning_output_tokens: count.nullish(),
  total_tokens: count.nullish(),
})
type RawUsage = z.output<typeof usageSchema>

const lineSchema = z.object({
  /** ISO text, or epoch milliseconds in some builds. */
  timestamp: z.union([z.string(), z.number()]),
  type: z.string(),
  payload: z
    .object({
      type: z.string().nullish(),
      model: z.string().nullish(),
      info: z
        .object({
          total_token_usage: usageSchema.nullish(),
          last_token_usage: usageSchema.nullish(),
          model: z.string().nullish(),
        })
        .nullish(),
    })
    .nullish(),
})

/** The running context of one session file, kept between refreshes. */
const ctxSchema = z.object({
  model: z.string().nullable(),
  /** Last cumulative totals: input, cached, output. */
  total: z.array(z.number()).length(3).nullable(),
  /** A sub-agent file starts by replaying its parent's events, all stamped with one second. */
  replay: z.string().nullable(),
  skipping: z.boolean(),
})
type Ctx = z.output<typeof ctxSchema>

export const FALLBACK_MODEL = 'gpt-5'
const FUTURE_MS = 86_400_000

/** ccusage `detect_subagent_replay_second`: a spawned thread whose first two usage events share a second. */
function replaySecond(path: string): string | null {
  const fd = openSync(path, 'r')
  let text: string
  try {
    const head = Buffer.alloc(16384)
    if (!head.subarray(0, readSync(fd, head, 0, head.length, 0)).includes('thread_spawn')) return null
    const buf = Buffer.alloc(1 << 20)
    text = buf.toString('latin1', 0, readSync(fd, buf, 0, buf.length, 0))
  } finally {
    closeSync(fd)
  }
  const seconds: string[] = []
  for (const line of text.split('\n')) {
    if (!line.includes('"token_count"')) continue
    const e = parseLine(line)
    if (!e?.payload?.info?.total_token_usage && !e?.payload?.info?.last_token_usage) continue
    const second = secondOf(e.timestamp)
    if (second === null) return null
    seconds.push(second)
    if (seconds.length === 2) return seconds[0] === seconds[1] ? (seconds[0] ?? null) : null
  }
  return null
}

/** Epoch ms of a line's timestamp (a number: seconds or ms, as the provider reads it); NaN when not a time. */
const lineMs = (ts: string | number) => (typeof ts === 'number' ? epochMs(ts) : Date.parse(ts))

/** The line's second as ISO text (`YYYY-MM-DDTHH:MM:SS`), as the replay detection compares it. */
function secondOf(ts: string | number): string | null {
  if (typeof ts === 'string') return ts.slice(0, 19)
  const ms = lineMs(ts)
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString().slice(0, 19) : null
}

function parseLine(line: string) {
  try {
    const r = lineSchema.safeParse(JSON.parse(line))
    return r.success ? r.data : null
  } catch {
    return null
  }
}

const triple = (u: RawUsage) => [u.input_tokens, u.cached_input_tokens ?? 0, u.output_tokens]

/**
 * An event's identity across the files of one Codex home: a forked session starts by copying
 * its parent's events (same timestamps, same cumulative totals), and an archived copy repeats
 * a live one.
 */
function eventKey(ts: number, total: number[] | null, last: number[] | null): number {
  return hash52(total ? `${ts}|${total.join(',')}` : `${ts}|last:${(last ?? []).join(',')}`)
}

export class CodexSource implements JsonlSource {
  readonly needles = [Buffer.from('"token_count"'), Buffer.from('"turn_context"')]
  /** Every event counted by any file of the home. */
  private events = new KeySet()

  constructor(
    private readonly pricing: PricingTable,
    private readonly now: number,
  ) {}

  prepare(kept: readonly FileState[], _files: unknown, stored?: StoredHashes): void {
    // With the detail's sorted hashes, only what a kept file holds beyond them is sorted here.
    this.events = new KeySet(beyondStored(kept, 'keys', stored), 4096, stored?.keys)
  }

  open(path: string, file: FileState, fresh: boolean): FileSink {
    const ownKeys = fresh || !file.keys ? [] : Array.from(inMemory(file.keys))
    const kept = fresh ? null : ctxSchema.safeParse(file.ctx)
    let replay: string | null = null
    if (!kept?.success) {
      try {
        replay = replaySecond(path)
      } catch {}
    }
    const ctx: Ctx = kept?.success
      ? kept.data
      : { model: null, total: null, replay, skipping: replay !== null }
    const note = (reason: string) => {
      file.reasons[reason] = (file.reasons[reason] ?? 0) + 1
    }
    return {
      onLine: (line) => {
        let json: unknown
        try {
          json = JSON.parse(line)
        } catch {
          return note('unparsable-line')
        }
        const parsed = lineSchema.safeParse(json)
        if (!parsed.success) return note('malformed-line')
        const e = parsed.data
        if (e.type === 'turn_context') {
          if (e.payload?.model) ctx.model = e.payload.model
          return
        }
        const info = e.payload?.info
        if (e.type !== 'event_msg' || e.payload?.type !== 'token_count' || !info) return
        const ts = lineMs(e.timestamp)
        if (!Number.isFinite(ts) || Math.abs(ts) > 8.64e15) return note('bad-timestamp')
        const total = info.total_token_usage ? triple(info.total_token_usage) : null
        if (ctx.skipping) {
          if (secondOf(e.timestamp) === ctx.replay) {
            if (total) ctx.total = total
            return note('subagent-replay')
          }
          ctx.skipping = false
        }
        const prev = ctx.total
        if (total && prev && total.every((v, i) => v === prev[i])) return note('duplicate')
        if (total) ctx.total = total
        const last = info.last_token_usage ? triple(info.last_token_usage) : null
        let delta = last
        if (!delta && total) {
          const dropped = !prev || total.some((v, i) => v < (prev[i] ?? 0))
          delta = dropped ? total : total.map((v, i) => v - (prev[i] ?? 0))
        }
        if (!delta || delta.every((v) => v === 0)) return
        if (ts > this.now + FUTURE_MS) return note('future-timestamp')
        const key = eventKey(ts, total, last)
        if (!this.events.add(key)) return note('copied-event')
        ownKeys.push(key)
        const [input = 0, cachedRaw = 0, output = 0] = delta
        const cached = Math.min(cachedRaw, input)
        const model = info.model ?? e.payload?.model ?? ctx.model ?? FALLBACK_MODEL
        if (!info.model && !e.payload?.model && !ctx.model) note('assumed-model')
        const price = this.pricing.find(model)
        if (!price) note('unknown-model')
        const cost = price
          ? costOf(price, { input: input - cached, output, cacheRead: cached, cache5m: 0, cache1h: 0 })
          : null
        const t = totalsOf({
          ts,
          model,
          input: input - cached,
          output,
          cacheRead: cached,
          cacheWrite: 0,
          cost,
          estimated: true,
        })
        addToBuckets(file.buckets, bucketKey(ts, model), t)
      },
      close: () => {
        file.ctx = ctx
        file.keys = Float64Array.from(ownKeys)
      },
    }
  }
}
