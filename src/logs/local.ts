import { dirname } from 'node:path'
import { tookCodePath } from '../code-path.js'
import type { Env } from '../config/paths.js'
import { debug } from '../debug.js'
import { getDescriptor } from '../providers/descriptors.js'
import { machineFs } from '../providers/machine-fs.js'
import type { LogKind } from '../providers/types.js'
import type { Account } from '../model.js'
import { LineReader } from './incremental.js'
import { claudeFiles, codexFiles } from './log-files.js'
import { type FileStat, planScan, type ScanStats, scanJsonl } from './jsonl.js'
import type { PricingTable } from './pricing.js'
import { Spill } from './spill.js'
import { answerOf, listingBytes, loadSeen, type Seen, sameIndex, statOf, writeSeen } from './seen.js'
import {
  BrokenState,
  closeState,
  emptyState,
  type LogState,
  loadIndex,
  loadState,
  type Summed,
  saveState,
  statePath,
  sumFiles,
  sumOf,
} from './state.js'
import { splitKey, type Totals } from './totals.js'

/** One account's local usage logs, brought up to date and summed per 15-minute bucket and model. */

export type { LogKind }

/** The local-log format a provider's tool keeps (ProviderDescriptor.localLogs), if any. */
export function logKindOf(provider: string): LogKind | null {
  return getDescriptor(provider)?.localLogs?.kind ?? null
}

export interface LogDeps {
  env: Env
  home: string
  cacheDir: string
  now: Date
  pricing: PricingTable
  /** A long scan saves its progress after this many bytes (default 256 MB). */
  checkpointBytes?: number
  /** Hashes (8 bytes each) a Claude scan holds in memory before the rest go to disk (spill.ts). */
  spillAfter?: number
  /** A base record holds its hashes sorted too up to this many (state.ts's SORTED_MAX). */
  sortedMax?: number
  /** A detail whose base holds this many bytes of totals or more leaves them on disk until asked for (state-log.ts's LEAVE_BODIES). */
  leaveBodies?: number
}

const CHECKPOINT_BYTES = 256 << 20
/** 2 MB of hashes: a refresh that reads a few files never writes a spill. */
const SPILL_AFTER = 1 << 18

export interface AccountUsage {
  key: string
  kind: LogKind
  /** bucket index → model → totals. */
  slots: Map<number, Map<string, Totals>>
  /** Lines skipped or counted with a caveat, by reason, over every file kept in the state. */
  reasons: Record<string, number>
  stats: ScanStats & { ms: number }
}

/**
 * Lets a refresh's other accounts (their HTTP answers) run between chunks of a long scan, and
 * tells the caller it is still going.
 */
function pauser(progress?: () => void): () => Promise<void> {
  let last = Date.now()
  return async () => {
    if (Date.now() - last < 15) return
    progress?.()
    await new Promise((r) => setImmediate(r))
    last = Date.now()
  }
}

function save(key: string, path: string, state: LogState, sum: Summed, sortedMax?: number): boolean {
  try {
    saveState(path, state, sum, sortedMax)
    return true
  } catch (err) {
    debug(`${key}: cannot save the log state: ${err instanceof Error ? err.message : err}`)
    return false
  }
}

/**
 * A JSONL format's files, and its reader, loaded only when a file has something new: a reader
 * (Codex's line schema is zod's) would cost every refresh start-up time, also when nothing changed.
 */
function jsonlFormat(kind: Exclude<LogKind, 'opencode'>, dirs: string[], root: string) {
  if (kind === 'claude') {
    const source = async (p: PricingTable, now: number, spill: Spill) =>
      new (await import('./claude.js')).ClaudeSource(p, now, spill)
    return { kind, files: claudeFiles(dirs), source }
  }
  const source = async (p: PricingTable, now: number) => new (await import('./codex.js')).CodexSource(p, now)
  return { kind, files: codexFiles(root), source }
}

interface ScanJob {
  key: string
  /** The state's index (statePath). */
  path: string
  deps: LogDeps
  since: number
  progress?: (() => void) | undefined
}

/**
 * A JSONL account's totals: from what the last scan saw when the listing is the same (seen.ts),
 * else from the index's sum when its marks say nothing is new, else by reading what is.
 */
async function jsonlUsage(
  job: ScanJob,
  format: ReturnType<typeof jsonlFormat>,
): Promise<{ stats: ScanStats; sum: Summed }> {
  const { key, path, deps, since } = job
  const listing = listingBytes(format.files)
  const held = loadSeen(path, format.kind, deps.pricing.id)
  const answered = held && answerOf(held, listing, since)
  if (answered) {
    const { files, pending, sum } = answered
    return { stats: { files, filesRead: 0, bytesRead: 0, pending, changed: false }, sum }
  }
  const saw = (seen: Omit<Seen, 'since'>) => {
    try {
      writeSeen(path, format.kind, deps.pricing.id, listing, { ...seen, since })
    } catch (err) {
      debug(`${key}: cannot save what the scan saw: ${err instanceof Error ? err.message : err}`)
    }
  }
  const ours = held ? (st: FileStat) => sameIndex(statOf(st), held.index) : undefined
  const index = loadIndex(path, format.kind, deps.pricing.id, ours)
  const plan = planScan(format.files, index?.files ?? {}, since)
  if (index && !plan.changed) {
    // Nothing new: the marks said so, the sums answer; the detail is never read.
    const pending = plan.entries.filter((e) => index.files[e.path]?.pending).length
    saw({ files: plan.entries.length, pending, sum: index.sum })
    return {
      stats: { files: plan.entries.length, filesRead: 0, bytesRead: 0, pending, changed: false },
      sum: index.sum,
    }
  }
  // The reader's code: in the code cache from this run on, if it was not (code-path.ts).
  tookCodePath('logs')
  const now = deps.now.getTime()
  // Opened only when a Claude scan holds many hashes (Codex keeps its few in memory).
  const spill = new Spill(dirname(path), deps.spillAfter ?? SPILL_AFTER)
  const read = async (state: LogState) => {
    const reader = new LineReader({ pause: pauser(job.progress) })
    const source = await format.source(deps.pricing, now, spill)
    const checkpoint = {
      every: deps.checkpointBytes ?? CHECKPOINT_BYTES,
      write: (files: LogState['files']) => {
        const partial = { ...state, files }
        save(key, path, partial, sumFiles(partial), deps.sortedMax)
        // Its files' marks are the checkpoint's now: the prefix sum is checked against the
        // state it was made for only, so the end of this scan sums everything.
        state.pre = undefined
      },
    }
    const stats = await scanJsonl(plan, state, source, reader, checkpoint)
    return { stats, sum: sumFiles(state) }
  }
  let state: LogState | undefined
  try {
    state = index ? loadState(path, index, deps.leaveBodies) : emptyState(format.kind, deps.pricing.id)
    let done: Awaited<ReturnType<typeof read>>
    try {
      done = await read(state)
    } catch (err) {
      // A file's totals in the detail were damaged: read everything again.
      if (!(err instanceof BrokenState)) throw err
      debug(`${key}: ${err.message}: reading every file again`)
      closeState(state)
      state = emptyState(format.kind, deps.pricing.id)
      done = await read(state)
    }
    // Noted only when the state keeps every file planned (none vanished while being read): what
    // a scan of this listing answers next time is then this.
    if (done.stats.changed && save(key, path, state, done.sum, deps.sortedMax)) {
      const kept = Object.values(state.files)
      if (kept.length === plan.entries.length)
        saw({ files: kept.length, pending: kept.filter((f) => f.pending).length, sum: done.sum })
    }
    return done
  } finally {
    spill.close()
    if (state) closeState(state)
  }
}

/**
 * Reads what changed since the last scan (files last written before `since` and never read are
 * skipped) and returns the account's totals; null when it keeps no local logs at all.
 */
export async function scanAccount(
  account: Account,
  deps: LogDeps,
  since: number,
  progress?: () => void,
): Promise<AccountUsage | null> {
  const logs = getDescriptor(account.provider)?.localLogs
  if (!logs) return null
  const kind = logs.kind
  const root = logs.root(account, deps.env, deps.home)
  const dirs = logs.dirs(root, deps.home, machineFs)
  if (dirs.length === 0) return null
  const t0 = performance.now()
  const path = statePath(deps.cacheDir, account.key)
  let stats: ScanStats
  let sum: Summed
  if (kind === 'opencode') {
    const { openCodeBuckets, scanOpenCode } = await import('./opencode.js')
    const index = loadIndex(path, kind, deps.pricing.id)
    const state = index ? loadState(path, index, deps.leaveBodies) : emptyState(kind, deps.pricing.id)
    try {
      stats = scanOpenCode(root, state, deps.pricing, deps.now.getTime(), since)
      sum = sumOf(openCodeBuckets(state))
      if (stats.changed) save(account.key, path, state, sum)
    } finally {
      closeState(state)
    }
  } else {
    ;({ stats, sum } = await jsonlUsage(
      { key: account.key, path, deps, since, progress },
      jsonlFormat(kind, dirs, root),
    ))
  }
  const slots = new Map<number, Map<string, Totals>>()
  for (const [k, t] of Object.entries(sum.buckets)) {
    const { bucket, model } = splitKey(k)
    let byModel = slots.get(bucket)
    if (!byModel) {
      byModel = new Map()
      slots.set(bucket, byModel)
    }
    byModel.set(model, [...t])
  }
  const reasons = { ...sum.reasons }
  const ms = Math.round(performance.now() - t0)
  debug(
    `${account.key}: logs: ${stats.files} files, ${stats.filesRead} read (${stats.bytesRead} bytes) in ${ms} ms; ${JSON.stringify(reasons)}`,
  )
  return { key: account.key, kind, slots, reasons, stats: { ...stats, ms } }
}
