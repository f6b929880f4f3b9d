import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../cache/store.js'
import type { UsageSnapshot } from '../model.js'

/**
 * Per-account usage history under `$XDG_STATE_HOME/quotabar/history/<provider>~<id>/`, one file per
 * UTC day, one JSON line per snapshot:
 *
 *   {"t":"2026-11-22T10:00:00.000Z","w":[["session",42,"2026-11-22T12:00:00.000Z",18000],...]}
 *
 * Appends are one `write` on an O_APPEND descriptor of a line far below PIPE_BUF, so writers in
 * several processes (a refresh, the Claude Code hook) never interleave within a line and never
 * need a lock. Only files of days that are over get rewritten (thinned, atomically), and no one
 * appends to those any more. Bounded: today's file is raw; a finished day keeps one point per
 * 5 minutes, a day older than 2 days one per hour, and days past 90 are deleted. Points before a
 * reset are always kept, so resets stay visible in charts.
 */

export interface HistoryWindow {
  id: string
  used: number
  resetsAt: string | null
  windowSeconds: number | null
}

export interface HistoryPoint {
  t: number
  windows: HistoryWindow[]
}

export interface HistoryRead {
  points: HistoryPoint[]
  /** What was skipped and why (a corrupt line, an unreadable file): never fatal. */
  notes: string[]
}

const DAY_MS = 86_400_000
const KEEP_DAYS = 90
/** A finished day is left alone for this long: a writer whose clock is a little behind may still append. */
const SETTLE_MS = 3_600_000
/** Suffixes by resolution: raw, one per 5 minutes, one per hour. */
const TIERS = [
  { suffix: '.jsonl', stepMs: 0 },
  { suffix: '.5m.jsonl', stepMs: 300_000 },
  { suffix: '.1h.jsonl', stepMs: 3_600_000 },
] as const

export function historyDir(stateDir: string, key: string): string {
  return join(stateDir, 'history', key.replace('/', '~'))
}

/**
 * Another login in the same account (the fingerprint changed): its numbers are another person's
 * or plan's, so the history starts again; the old one is kept once as `<dir>.previous`.
 */
export function startNewHistory(stateDir: string, key: string): void {
  const dir = historyDir(stateDir, key)
  rmSync(`${dir}.previous`, { recursive: true, force: true })
  try {
    renameSync(dir, `${dir}.previous`)
  } catch {}
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

export function pointOf(snapshot: UsageSnapshot): HistoryPoint {
  return {
    t: Date.parse(snapshot.fetchedAt),
    windows: snapshot.windows.map((w) => ({
      id: w.id,
      used: w.usedPercent,
      resetsAt: w.resetsAt,
      windowSeconds: w.windowSeconds,
    })),
  }
}

export function encodePoint(p: HistoryPoint): string {
  const w = p.windows.map((x) => [x.id, x.used, x.resetsAt, x.windowSeconds])
  return `${JSON.stringify({ t: new Date(p.t).toISOString(), w })}\n`
}

/** Appends the snapshot's windows as one point, in the file of the snapshot's own day. */
export function appendPoint(stateDir: string, key: string, snapshot: UsageSnapshot): void {
  const point = pointOf(snapshot)
  if (point.windows.length === 0 || Number.isNaN(point.t)) return
  const dir = historyDir(stateDir, key)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  appendFileSync(join(dir, `${dayOf(point.t)}.jsonl`), encodePoint(point), { mode: 0o600 })
}

function decodeWindow(raw: unknown): HistoryWindow | null {
  if (!Array.isArray(raw) || raw.length < 2) return null
  const [id, used, resetsAt, seconds] = raw as unknown[]
  if (typeof id !== 'string' || typeof used !== 'number' || !Number.isFinite(used)) return null
  const reset = typeof resetsAt === 'string' && !Number.isNaN(Date.parse(resetsAt)) ? resetsAt : null
  const windowSeconds = typeof seconds === 'number' && seconds > 0 ? seconds : null
  return { id, used, resetsAt: reset, windowSeconds }
}

/** One line, or null when it is not one of ours (truncated by a crash, edited by hand). */
export function decodeLine(line: string): HistoryPoint | null {
  let raw: unknown
  try {
    raw = JSON.parse(line)
  } catch {
    return null
  }
  if (typeof raw !== 'object' || raw === null) return null
  const { t, w } = raw as { t?: unknown; w?: unknown }
  const ms = typeof t === 'string' ? Date.parse(t) : Number.NaN
  if (Number.isNaN(ms) || !Array.isArray(w)) return null
  const windows = w.map(decodeWindow)
  if (windows.some((x) => x === null)) return null
  return { t: ms, windows: windows as HistoryWindow[] }
}

interface DayFile {
  name: string
  day: string
  tier: number
}

function dayFiles(dir: string): DayFile[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const out: DayFile[] = []
  for (const name of names) {
    const m = /^(\d{4}-\d{2}-\d{2})(\.5m|\.1h)?\.jsonl$/.exec(name)
    if (!m) continue
    out.push({ name, day: m[1] as string, tier: m[2] === '.5m' ? 1 : m[2] === '.1h' ? 2 : 0 })
  }
  return out.sort((a, b) => (a.day === b.day ? a.tier - b.tier : a.day < b.day ? -1 : 1))
}

function readFile(path: string, notes: string[]): HistoryPoint[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    notes.push(`${path}: skipped (${err instanceof Error ? err.message : String(err)})`)
    return []
  }
  const out: HistoryPoint[] = []
  let bad = 0
  for (const line of text.split('\n')) {
    if (!line) continue
    const p = decodeLine(line)
    if (p) out.push(p)
    else bad++
  }
  if (bad > 0) notes.push(`${path}: skipped ${bad} unreadable line${bad === 1 ? '' : 's'}`)
  return out
}

/** Points with `t` in [sinceMs, untilMs], oldest first. Reads only the files of those days. */
export function readHistory(stateDir: string, key: string, sinceMs: number, untilMs = Infinity): HistoryRead {
  const dir = historyDir(stateDir, key)
  const notes: string[] = []
  const from = dayOf(Math.max(0, sinceMs))
  const to = Number.isFinite(untilMs) ? dayOf(untilMs) : '9999-12-31'
  const points: HistoryPoint[] = []
  for (const f of dayFiles(dir)) {
    if (f.day < from || f.day > to) continue
    for (const p of readFile(join(dir, f.name), notes)) if (p.t >= sinceMs && p.t <= untilMs) points.push(p)
  }
  points.sort((a, b) => a.t - b.t)
  return { points, notes }
}

/** A point is the last before a reset of any of its windows (usage falls, or the reset moves on). */
function beforeReset(a: HistoryPoint, b: HistoryPoint): boolean {
  return a.windows.some((w) => {
    const n = b.windows.find((x) => x.id === w.id)
    return n !== undefined && (n.used < w.used - 1 || n.resetsAt !== w.resetsAt)
  })
}

/** One point per step (the last in each), plus every point just before a reset. */
export function thinPoints(points: HistoryPoint[], stepMs: number): HistoryPoint[] {
  return points.filter((p, i) => {
    const next = points[i + 1]
    return !next || Math.floor(next.t / stepMs) !== Math.floor(p.t / stepMs) || beforeReset(p, next)
  })
}

/**
 * Moves finished days down the tiers and deletes days past 90. Called by the refresh that holds
 * the account's lock; only days no one appends to any more are touched.
 */
export function compactHistory(stateDir: string, key: string, nowMs: number): void {
  const dir = historyDir(stateDir, key)
  const oldest = dayOf(nowMs - KEEP_DAYS * DAY_MS)
  for (const f of dayFiles(dir)) {
    const path = join(dir, f.name)
    const endMs = Date.parse(`${f.day}T00:00:00Z`) + DAY_MS
    if (f.day < oldest) {
      tryUnlink(path)
      continue
    }
    const want = nowMs - endMs > 2 * DAY_MS ? 2 : nowMs - endMs > SETTLE_MS ? 1 : 0
    if (want <= f.tier) continue
    const tier = TIERS[want] as (typeof TIERS)[number]
    const points = readFile(path, []).sort((a, b) => a.t - b.t)
    // The thinner file is complete before the fuller one goes: a crash in between leaves both,
    // and readers see duplicates of the same points at worst, never a loss.
    const target = join(dir, `${f.day}${tier.suffix}`)
    const existing = f.tier < want ? readFile(target, []) : []
    const merged = [...existing, ...points].sort((a, b) => a.t - b.t)
    writeFileAtomic(target, merged.length ? thinPoints(merged, tier.stepMs).map(encodePoint).join('') : '')
    tryUnlink(path)
  }
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path)
  } catch {}
}
