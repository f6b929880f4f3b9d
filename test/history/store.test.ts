import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSync } from 'esbuild'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { burnsFromHistory, recordHistory } from '../../src/history/record.js'
import {
  appendPoint,
  compactHistory,
  encodePoint,
  type HistoryPoint,
  historyDir,
  readHistory,
} from '../../src/history/store.js'
import type { CacheEntry, UsageSnapshot } from '../../src/model.js'

const KEY = 'claude/work'
const DAY = 86_400_000
const NOW = Date.parse('2026-11-22T10:00:00Z')
let state: string

beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'quotabar-history-'))
})
afterEach(() => rmSync(state, { recursive: true, force: true }))

const snap = (t: number, session: number, weekly = 10): UsageSnapshot => ({
  fetchedAt: new Date(t).toISOString(),
  plan: null,
  email: null,
  windows: [
    {
      id: 'session',
      label: '5h',
      usedPercent: session,
      resetsAt: '2026-11-22T12:00:00.000Z',
      windowSeconds: 18_000,
    },
    {
      id: 'weekly',
      label: '7d',
      usedPercent: weekly,
      resetsAt: '2026-11-27T08:00:00.000Z',
      windowSeconds: 604_800,
    },
  ],
  spend: [],
})

const point = (t: number, used: number, resetsAt = '2026-11-22T12:00:00.000Z'): HistoryPoint => ({
  t,
  windows: [{ id: 'session', used, resetsAt, windowSeconds: 18_000 }],
})

/** Writes raw day files, as appends over those days would have left them. */
function writeDay(points: HistoryPoint[]): void {
  const dir = historyDir(state, KEY)
  mkdirSync(dir, { recursive: true })
  const day = new Date(points[0]?.t ?? 0).toISOString().slice(0, 10)
  writeFileSync(join(dir, `${day}.jsonl`), points.map(encodePoint).join(''))
}

describe('history store', () => {
  it('appends one point per snapshot, in the day file of its time, and reads them back', () => {
    appendPoint(state, KEY, snap(NOW - DAY, 5))
    appendPoint(state, KEY, snap(NOW, 42, 18))
    expect(readdirSync(historyDir(state, KEY)).sort()).toEqual(['2026-11-21.jsonl', '2026-11-22.jsonl'])
    const read = readHistory(state, KEY, NOW - 2 * DAY)
    expect(read.notes).toEqual([])
    expect(read.points.map((p) => [p.t, p.windows.map((w) => w.used)])).toEqual([
      [NOW - DAY, [5, 10]],
      [NOW, [42, 18]],
    ])
    expect(readHistory(state, KEY, NOW - 60_000).points).toHaveLength(1)
    // The state dir is private: 0700 directory, 0600 files.
    expect(statSync(historyDir(state, KEY)).mode & 0o777).toBe(0o700)
    expect(statSync(join(historyDir(state, KEY), '2026-11-22.jsonl')).mode & 0o777).toBe(0o600)
  })

  it('a corrupt or truncated line, or an unreadable file, is skipped with a note', () => {
    appendPoint(state, KEY, snap(NOW - 60_000, 40))
    const dir = historyDir(state, KEY)
    const file = join(dir, '2026-11-22.jsonl')
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}not json\n{"t":"2026-11-22T09:59:30Z","w":[["session"]]}\n`,
      {
        flag: 'w',
      },
    )
    appendPoint(state, KEY, snap(NOW, 41))
    writeFileSync(file, '{"t":"2026-11-22T10:00:05.000Z","w":[["sess', { flag: 'a' }) // a crash mid-write
    mkdirSync(join(dir, '2026-11-21.jsonl')) // not even a file
    const read = readHistory(state, KEY, NOW - DAY)
    expect(read.points.map((p) => p.windows[0]?.used)).toEqual([40, 41])
    expect(read.notes).toHaveLength(2)
    expect(read.notes[0]).toMatch(/2026-11-21\.jsonl: skipped/)
    expect(read.notes[1]).toMatch(/2026-11-22\.jsonl: skipped 3 unreadable lines/)
  })

  it('writers in several processes at once lose and mangle nothing', async () => {
    // The real module, bundled, in four processes appending 250 points each to one file.
    const out = join(state, 'store.cjs')
    buildSync({
      entryPoints: [join(import.meta.dirname, '../../src/history/store.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: out,
      logLevel: 'silent',
    })
    const script = `const { appendPoint } = require(${JSON.stringify(out)});
      const [state, key, id] = process.argv.slice(1);
      for (let i = 0; i < 250; i++) appendPoint(state, key, { fetchedAt: new Date(${NOW} + i).toISOString(),
        plan: null, email: null, spend: [], windows: [{ id: 'w' + id, label: 'x'.repeat(200), usedPercent: i,
        resetsAt: '2026-11-22T12:00:00.000Z', windowSeconds: 18000 }] })`
    await Promise.all(
      [1, 2, 3, 4].map(
        (id) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, ['-e', script, state, KEY, String(id)], {
              stdio: 'inherit',
            })
            child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${id}: ${code}`))))
          }),
      ),
    )
    const read = readHistory(state, KEY, NOW - DAY)
    expect(read.notes).toEqual([])
    expect(read.points).toHaveLength(1000)
    for (const id of [1, 2, 3, 4]) {
      const used = read.points.filter((p) => p.windows[0]?.id === `w${id}`).map((p) => p.windows[0]?.used)
      expect(used).toEqual(Array.from({ length: 250 }, (_, i) => i))
    }
  })
})

describe('bounded: thinning finished days, 90 days kept', () => {
  const MIN = 60_000
  /** One day of points every `stepMin` minutes, a session resetting at 14:02 (usage falls). */
  function day(dayStart: number, stepMin = 1): HistoryPoint[] {
    const out: HistoryPoint[] = []
    for (let m = 0; m < 1440; m += stepMin) {
      const before = m < 842
      const reset = new Date(dayStart + (before ? 842 : 842 + 300) * MIN).toISOString()
      out.push(point(dayStart + m * MIN, before ? Math.min(100, m / 10) : (m - 842) / 20, reset))
    }
    return out
  }
  const dayStart = (daysAgo: number) => Date.parse('2026-11-22T00:00:00Z') - daysAgo * DAY

  it('today raw, a finished day at 5 minutes, older days hourly, past 90 days gone; resets stay', () => {
    writeDay(day(dayStart(0)).filter((p) => p.t <= NOW))
    writeDay(day(dayStart(1)))
    writeDay(day(dayStart(3)))
    writeDay(day(dayStart(91)))
    compactHistory(state, KEY, NOW)
    const dir = historyDir(state, KEY)
    expect(readdirSync(dir).sort()).toEqual([
      '2026-11-19.1h.jsonl',
      '2026-11-21.5m.jsonl',
      '2026-11-22.jsonl',
    ])
    const count = (since: number, until: number) => readHistory(state, KEY, since, until).points
    expect(count(dayStart(0), NOW)).toHaveLength(601)
    expect(count(dayStart(1), dayStart(0) - 1)).toHaveLength(288 + 1)
    const hourly = count(dayStart(3), dayStart(2) - 1)
    expect(hourly).toHaveLength(24 + 1)
    // The last point before the 14:02 reset is kept, with its peak: the chart still shows the drop.
    const peak = hourly.find((p) => p.t === dayStart(3) + 841 * MIN)
    expect(peak?.windows[0]?.used).toBe(84.1)
    // Compacting again changes nothing.
    compactHistory(state, KEY, NOW)
    expect(count(dayStart(3), dayStart(2) - 1)).toEqual(hourly)
  })

  it('a day that just ended is left raw for a while (a writer with a slower clock may still append)', () => {
    writeDay(day(dayStart(1)))
    compactHistory(state, KEY, dayStart(0) + 10 * MIN)
    expect(readdirSync(historyDir(state, KEY))).toEqual(['2026-11-21.jsonl'])
  })

  it('90 days of a refresh every 5 minutes stay well under a few MB', () => {
    for (let d = 0; d <= 90; d++) writeDay(day(dayStart(d), 5).filter((p) => p.t <= NOW))
    compactHistory(state, KEY, NOW)
    const dir = historyDir(state, KEY)
    const bytes = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0)
    expect(readdirSync(dir)).toHaveLength(91)
    expect(bytes).toBeLessThan(600_000)
  })
})

describe('recordHistory: what the refresh stores in the cache entry', () => {
  const entry = (s: UsageSnapshot | null): CacheEntry => ({
    v: 1,
    key: KEY,
    fingerprint: null,
    credentialStamp: null,
    snapshot: s,
    lastAttemptAt: s?.fetchedAt ?? null,
    error: null,
    retryAt: null,
    cooldown: false,
    failures: 0,
    rateLimitStrikes: 0,
  })

  it('appends only new snapshots, and returns burns with the last day as a spark', () => {
    let prev: CacheEntry | null = null
    for (let i = 0; i <= 12; i++) {
      const e = entry(snap(NOW - (12 - i) * 300_000, 20 + 2 * i))
      prev = recordHistory(state, prev, e, new Date(Date.parse(e.snapshot?.fetchedAt ?? '')))
    }
    // A failed refresh leaves the same snapshot: no point, the gap stays a gap.
    const again = recordHistory(
      state,
      prev,
      { ...(prev as CacheEntry), lastAttemptAt: new Date(NOW + 300_000).toISOString() },
      new Date(NOW + 300_000),
    )
    expect(readHistory(state, KEY, NOW - DAY, NOW + DAY).points).toHaveLength(13)
    const session = again.burn?.find((b) => b.id === 'session')
    // 2 points every 5 minutes is 24 %/h.
    expect(session?.percentPerHour).toBeGreaterThan(20)
    expect(session?.percentPerHour).toBeLessThan(26)
    expect(session?.spark?.values.at(-1)).toBe(44)
    expect(session?.spark?.values.slice(0, 20).every((v) => v === null)).toBe(true)
    expect(burnsFromHistory(state, entry(null), NOW)).toEqual([])
  })

  it('another login in the same account starts a new history (the old one kept once aside)', () => {
    const first = recordHistory(
      state,
      null,
      { ...entry(snap(NOW - 600_000, 80)), fingerprint: 'aaa' },
      new Date(NOW - 600_000),
    )
    const again = recordHistory(
      state,
      first,
      { ...entry(snap(NOW - 300_000, 85)), fingerprint: 'aaa' },
      new Date(NOW - 300_000),
    )
    recordHistory(state, again, { ...entry(snap(NOW, 5)), fingerprint: 'bbb' }, new Date(NOW))
    expect(readHistory(state, KEY, NOW - DAY, NOW).points.map((p) => p.windows[0]?.used)).toEqual([5])
    expect(readdirSync(`${historyDir(state, KEY)}.previous`)).toEqual(['2026-11-22.jsonl'])
  })

  it('the hook appends every time but reads burns back at most once per interval', () => {
    const e0 = recordHistory(state, null, entry(snap(NOW, 40)), new Date(NOW), 60_000)
    const e1 = recordHistory(state, e0, entry(snap(NOW + 20_000, 45)), new Date(NOW + 20_000), 60_000)
    expect(e1.burn).toBe(e0.burn)
    const e2 = recordHistory(state, e1, entry(snap(NOW + 70_000, 50)), new Date(NOW + 70_000), 60_000)
    expect(e2.burn).not.toBe(e0.burn)
    expect(e2.burn?.[0]?.at).toBe(new Date(NOW + 70_000).toISOString())
    expect(readHistory(state, KEY, NOW - 1, NOW + DAY).points).toHaveLength(3)
  })

  it('a state dir that cannot be written costs the forecast, not the refresh', () => {
    writeFileSync(join(state, 'history'), 'a file where the directory should be')
    const e = entry(snap(NOW, 42))
    expect(recordHistory(state, null, e, new Date(NOW))).toEqual(e)
  })
})
