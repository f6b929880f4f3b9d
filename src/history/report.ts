import { readEntry } from '../cache/store.js'
import type { Account } from '../model.js'
import { isReset, type WindowPoint } from './burn.js'
import { chartLines } from './chart.js'
import { windowSeries } from './record.js'
import { readHistory } from './store.js'

/** `quotabar history`: the recorded points per account and window, as data, lines or charts. */

export interface WindowHistory {
  id: string
  label: string
  windowSeconds: number | null
  points: WindowPoint[]
  /** Times of the first point after each reset. */
  resets: number[]
  /** Stretches with no point although the account was refreshed around them. */
  gaps: { from: number; to: number }[]
}

export interface AccountHistory {
  key: string
  provider: string
  id: string
  label: string
  windows: WindowHistory[]
  notes: string[]
}

/** Points further apart than three refresh intervals (at least 15 minutes) have a gap between them. */
export const gapMsFor = (account: Account) => Math.max(900, 3 * account.refreshSeconds) * 1000

export function loadHistory(
  stateDir: string,
  cacheDir: string,
  accounts: Account[],
  sinceMs: number,
  nowMs: number,
  windowId: string | null,
): AccountHistory[] {
  return accounts.map((a) => {
    const read = readHistory(stateDir, a.key, sinceMs, nowMs)
    const cached = readEntry(cacheDir, a.key)?.snapshot?.windows ?? []
    const ids: string[] = []
    for (const p of read.points) for (const w of p.windows) if (!ids.includes(w.id)) ids.push(w.id)
    const gapMs = gapMsFor(a)
    const windows = ids
      .filter((id) => windowId === null || id === windowId)
      .map((id): WindowHistory => {
        const points = windowSeries(read.points, id)
        const seen = read.points.flatMap((p) => p.windows).filter((w) => w.id === id)
        const seconds = seen[seen.length - 1]?.windowSeconds ?? null
        const resets: number[] = []
        const gaps: { from: number; to: number }[] = []
        for (let i = 1; i < points.length; i++) {
          const prev = points[i - 1] as WindowPoint
          const cur = points[i] as WindowPoint
          if (isReset(prev, cur, seconds)) resets.push(cur.t)
          if (cur.t - prev.t > gapMs) gaps.push({ from: prev.t, to: cur.t })
        }
        const label = cached.find((w) => w.id === id)?.label ?? id
        return { id, label, windowSeconds: seconds, points, resets, gaps }
      })
    return { key: a.key, provider: a.provider, id: a.id, label: a.label, windows, notes: read.notes }
  })
}

const iso = (ms: number) => new Date(ms).toISOString()

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** `--since`: `90m`, `36h`, `7d`, `2w`, or a date / ISO time. Null when it is neither. */
export function parseSince(text: string, nowMs: number): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([mhdw])$/.exec(text.trim())
  if (m) return nowMs - Number(m[1]) * (UNIT_MS[m[2] as string] as number)
  const t = Date.parse(text)
  return Number.isNaN(t) || t >= nowMs ? null : t
}

export function historyJson(accounts: AccountHistory[], sinceMs: number, nowMs: number): string {
  const doc = {
    schema: 'quotabar/history/v1',
    generatedAt: iso(nowMs),
    since: iso(sinceMs),
    accounts: accounts.map((a) => ({
      key: a.key,
      provider: a.provider,
      id: a.id,
      label: a.label,
      windows: a.windows.map((w) => ({
        id: w.id,
        label: w.label,
        windowSeconds: w.windowSeconds,
        points: w.points.map((p) => ({ t: iso(p.t), used: p.used, resetsAt: p.resetsAt })),
        resets: w.resets.map(iso),
        gaps: w.gaps.map((g) => ({ from: iso(g.from), to: iso(g.to) })),
      })),
      notes: a.notes,
    })),
  }
  return JSON.stringify(doc, null, 2)
}

/** One line per point: for pipes (`grep`, `awk`, a spreadsheet). */
export function historyLines(accounts: AccountHistory[]): string[] {
  const out: string[] = []
  for (const a of accounts)
    for (const w of a.windows)
      for (const p of w.points) out.push(`${iso(p.t)}\t${a.key}\t${w.id}\t${p.used}\t${p.resetsAt ?? '-'}`)
  return out
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** `Nov 22 10:00` in the zone the caller's `TZ` says. */
function stamp(ms: number): string {
  const d = new Date(ms)
  const month = d.toLocaleString('en-US', { month: 'short' })
  const hh = String(d.getHours()).padStart(2, '0')
  const mm = String(d.getMinutes()).padStart(2, '0')
  return `${month} ${d.getDate()} ${hh}:${mm}`
}

/** A chart per window, for a terminal `columns` wide. */
export function historyCharts(
  accounts: AccountHistory[],
  accountList: Account[],
  sinceMs: number,
  nowMs: number,
  columns: number,
): string[] {
  const out: string[] = []
  const width = Math.max(20, Math.min(120, columns - 7))
  for (const a of accounts) {
    if (out.length) out.push('')
    out.push(`${a.label} (${a.key})`)
    if (a.windows.length === 0) out.push('  no history yet: each refresh records a point')
    const account = accountList.find((x) => x.key === a.key) as Account
    for (const w of a.windows) {
      const last = w.points[w.points.length - 1]
      const peak = Math.max(...w.points.map((p) => p.used))
      out.push(
        `  ${w.label}: now ${last ? Math.round(last.used) : '-'}% · peak ${Math.round(peak)}% · ${plural(w.resets.length, 'reset')} · ${plural(w.gaps.length, 'gap')}`,
      )
      const rows = chartLines({
        points: w.points,
        fromMs: sinceMs,
        toMs: nowMs,
        width,
        height: 4,
        windowSeconds: w.windowSeconds,
        gapMs: gapMsFor(account),
      })
      rows.forEach((r, i) => {
        const axis = i === 0 ? '100% ' : i === 3 ? '  0% ' : '     '
        if (r) out.push(`  ${axis}${r}`) // the last row (reset marks) only when there is one
      })
      const from = stamp(sinceMs)
      const to = 'now'
      out.push(`       ${from}${' '.repeat(Math.max(1, width - from.length - to.length))}${to}`)
    }
  }
  if (accounts.some((a) => a.windows.some((w) => w.resets.length > 0)))
    out.push('', '^ reset · blank: no data')
  return out
}
