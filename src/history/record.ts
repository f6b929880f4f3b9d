import { debug } from '../debug.js'
import type { CacheEntry, WindowBurn } from '../model.js'
import { burnOf, sparkOf, type WindowPoint } from './burn.js'
import { appendPoint, compactHistory, type HistoryPoint, readHistory, startNewHistory } from './store.js'

/**
 * What a refresh (or the Claude Code hook) does with new data: append it to the account's
 * history, then read back just enough of it to put each window's burn rate and last day into the
 * cache entry. The render path reads that entry, never the history.
 */

const DAY_MS = 86_400_000
/** Monthly windows are the longest; a burn never looks further back than one of them. */
const MAX_LOOKBACK_MS = 32 * DAY_MS

export function windowSeries(points: HistoryPoint[], id: string): WindowPoint[] {
  const out: WindowPoint[] = []
  for (const p of points) {
    const w = p.windows.find((x) => x.id === id)
    if (w) out.push({ t: p.t, used: w.used, resetsAt: w.resetsAt })
  }
  return out
}

/** Burn and spark per window of the entry's snapshot, from the history up to `nowMs`. */
export function burnsFromHistory(stateDir: string, entry: CacheEntry, nowMs: number): WindowBurn[] {
  const windows = entry.snapshot?.windows ?? []
  if (windows.length === 0) return []
  const longest = Math.max(DAY_MS, ...windows.map((w) => (w.windowSeconds ?? 0) * 1000))
  const since = nowMs - Math.min(longest, MAX_LOOKBACK_MS) - 3_600_000
  const read = readHistory(stateDir, entry.key, since, nowMs)
  for (const note of read.notes) debug(`history: ${note}`)
  const burns: WindowBurn[] = []
  for (const w of windows) {
    const series = windowSeries(read.points, w.id)
    const day = series.filter((p) => p.t > nowMs - DAY_MS)
    const burn = burnOf(w.id, series, w.windowSeconds, day.length ? sparkOf(day, nowMs) : null)
    if (burn) burns.push(burn)
  }
  return burns
}

/**
 * Appends the entry's snapshot when it is new (a failure writes no point: a gap stays a gap),
 * thins old days, and returns the entry with fresh burns. History trouble (a full disk, a
 * read-only state dir) costs the forecast, never the refresh.
 */
export function recordHistory(
  stateDir: string,
  prev: CacheEntry | null,
  entry: CacheEntry,
  now: Date,
  /**
   * The Claude Code hook runs on every redraw: it appends each time, but reads the history back
   * for new burns at most this often (a fresh process pays ~10 ms for that read).
   */
  burnEveryMs = 0,
): CacheEntry {
  const snap = entry.snapshot
  if (!snap) return entry
  try {
    const fp = [prev?.fingerprint ?? null, entry.fingerprint]
    const newLogin = fp[0] !== null && fp[1] !== null && fp[0] !== fp[1]
    if (newLogin) startNewHistory(stateDir, entry.key)
    if (snap.fetchedAt !== prev?.snapshot?.fetchedAt) appendPoint(stateDir, entry.key, snap)
    const kept = prev?.burn
    const recent = (b: WindowBurn) => now.getTime() - Date.parse(b.at) < burnEveryMs
    if (!newLogin && kept?.length && kept.every(recent)) return { ...entry, burn: kept }
    compactHistory(stateDir, entry.key, now.getTime())
    return { ...entry, burn: burnsFromHistory(stateDir, entry, now.getTime()) }
  } catch (err) {
    debug(`history: ${entry.key}: ${err instanceof Error ? err.message : String(err)}`)
    return entry
  }
}
