import { describe, expect, it } from 'vitest'
import type { RefreshMode } from '../../src/cache/freshness.js'
import { emptyEntry } from '../../src/cache/store.js'
import { type LiveData, startLoop } from '../../src/live/loop.js'
import { nextChangeAt, nextDueAt } from '../../src/live/schedule.js'
import type { CacheEntry } from '../../src/model.js'
import type { Account } from '../../src/providers/types.js'
import { countdown } from '../../src/render/format.js'

const T0 = Date.parse('2026-11-22T10:00:00.000Z')
const MIN = 60_000
const account: Account = {
  provider: 'claude',
  id: 'work',
  key: 'claude/work',
  label: 'work',
  refreshSeconds: 300,
}

/** Fetched at T0 - 10 s, window resetting at T0 + 2h 14m 20s (so minute flips are at :20.5 s). */
function fresh(fetchedAt = T0 - 10_000, resetsAt = T0 + 2 * 3600_000 + 14 * MIN + 20_000): CacheEntry {
  return {
    ...emptyEntry('claude/work'),
    lastAttemptAt: new Date(fetchedAt).toISOString(),
    snapshot: {
      fetchedAt: new Date(fetchedAt).toISOString(),
      plan: null,
      email: null,
      windows: [
        {
          id: 'session',
          label: '5h',
          usedPercent: 40,
          resetsAt: new Date(resetsAt).toISOString(),
          windowSeconds: 18_000,
        },
      ],
      spend: [],
    },
  }
}

/**
 * A fake world: a wall clock, the render clock following it, and timers that (like node's, on the
 * monotonic clock) do not count time spent suspended. The render is the countdown the bar shows.
 */
function world(entry: CacheEntry | null, opts: { due?: (now: number) => boolean; firstWait?: number } = {}) {
  let wall = 1_000_000
  const offset = T0 - wall
  const timers: { at: number; fn: () => void; off: boolean }[] = []
  const lines: string[] = []
  const refreshes: { mode: RefreshMode; done: () => void }[] = []
  const stops: string[] = []
  let changed = false
  let emitFails = false
  const data: LiveData = {
    accounts: [account],
    entries: [entry],
    poll: () => {
      const c = changed
      changed = false
      return c
    },
    due: (now) => (opts.due?.(now.getTime()) ? [account] : []),
  }
  const loop = startLoop({
    data,
    now: () => new Date(wall + offset),
    wallNow: () => wall,
    render: () => {
      const e = data.entries[0]
      const w = e?.snapshot?.windows[0]
      return w ? `work 40% ${countdown(w.resetsAt, wall + offset)}` : 'work --'
    },
    emit: (line) => {
      if (emitFails) throw new Error('EPIPE')
      lines.push(`${new Date(wall + offset).toISOString().slice(11, 21)} ${line}`)
    },
    refresh: (_accounts, mode) =>
      new Promise<void>((resolve) => {
        refreshes.push({ mode, done: resolve })
      }),
    schedule: (fn, ms) => {
      const t = { at: wall + ms, fn, off: false }
      timers.push(t)
      return () => {
        t.off = true
      }
    },
    onStop: (reason) => stops.push(reason),
    tickMs: 2000,
    firstFetchWaitMs: opts.firstWait ?? 3000,
  })
  const flush = () => new Promise((r) => setImmediate(r))
  return {
    loop,
    lines,
    refreshes,
    stops,
    data,
    pending: () => timers.filter((t) => !t.off).length,
    /** Lets `ms` of wall time pass, firing timers in order (each one may arm the next). */
    async run(ms: number, work = 0) {
      const end = wall + ms
      for (;;) {
        const next = timers.filter((t) => !t.off && t.at <= end).sort((a, b) => a.at - b.at)[0]
        if (!next) break
        next.off = true
        wall = Math.max(wall, next.at)
        next.fn()
        wall += work // the tick's own run time
        await flush()
      }
      wall = end
      await flush()
    },
    /** A suspend: wall time jumps, pending timers stay where they were on the monotonic clock. */
    suspend(ms: number) {
      wall += ms
      for (const t of timers) t.at += ms
    },
    change(e: CacheEntry | null) {
      data.entries = [e]
      changed = true
    },
    failEmits() {
      emitFails = true
    },
  }
}

describe('the watch loop', () => {
  it('prints the first line at once when data exists, then only when the minute changes', async () => {
    const w = world(fresh())
    await w.run(0)
    expect(w.lines).toEqual(['10:00:00.0 work 40% 2h 14m'])
    await w.run(19_000)
    expect(w.lines).toHaveLength(1)
    await w.run(3 * MIN)
    // Flips at :20.5 s each minute; the loop looks 0.6 s after the anchor's minute, and ticks
    // in between only compare clocks.
    expect(w.lines.slice(1)).toEqual([
      '10:00:20.6 work 40% 2h 13m',
      '10:01:20.6 work 40% 2h 12m',
      '10:02:20.6 work 40% 2h 11m',
    ])
  })

  it('does not drift: after an hour of ticks that each take time, lines still come at the minute', async () => {
    const w = world(fresh())
    await w.run(3600_000, 7)
    expect(w.lines).toHaveLength(61)
    for (const line of w.lines.slice(1)) expect(line).toMatch(/^\d\d:\d\d:2[01]\.\d /)
  })

  it('a suspend is noticed at the next tick: re-render and re-check what is due', async () => {
    let dueChecks = 0
    const w = world(fresh(), {
      due: () => {
        dueChecks++
        return false
      },
    })
    await w.run(5000)
    const before = dueChecks
    w.suspend(2 * 3600_000)
    await w.run(2500)
    // The pending 2 s tick had 1 s left when the lid closed: it fires 1 s after resume.
    expect(w.lines.at(-1)).toBe('12:00:06.0 work 40% 14m')
    expect(dueChecks).toBeGreaterThan(before)
  })

  it('fetches what is due, never the same account twice at once, and SIGUSR1 fetches manually', async () => {
    let dueNow = true
    const w = world(fresh(), { due: () => dueNow })
    await w.run(0)
    expect(w.refreshes.map((r) => r.mode)).toEqual(['auto'])
    w.loop.refreshNow()
    await w.run(5000)
    expect(w.refreshes).toHaveLength(1) // still in flight
    dueNow = false
    w.refreshes[0]?.done()
    await w.run(100)
    w.loop.refreshNow()
    expect(w.refreshes.map((r) => r.mode)).toEqual(['auto', 'manual'])
  })

  it('looks at due times it computed: an account due in 5 minutes is fetched then', async () => {
    const attempt = T0 - 10_000
    const w = world(fresh(), { due: (now) => now >= attempt + 300_000 })
    await w.run(289_000)
    expect(w.refreshes).toHaveLength(0)
    await w.run(3000)
    expect(w.refreshes.map((r) => r.mode)).toEqual(['auto'])
  })

  it('with no data yet the first line waits for the first fetch', async () => {
    const w = world(null, { due: () => true })
    await w.run(1000)
    expect(w.lines).toEqual([])
    w.change(fresh(T0 + 900))
    w.refreshes[0]?.done()
    await w.run(50)
    expect(w.lines).toEqual(['10:00:01.0 work 40% 2h 14m'])
  })

  it('... but not longer than firstFetchWaitMs', async () => {
    const w = world(null, { due: () => true, firstWait: 3000 })
    await w.run(2900)
    expect(w.lines).toEqual([])
    await w.run(200)
    expect(w.lines).toEqual(['10:00:03.0 work --'])
  })

  it('a change on disk shows at the next look, an unchanged render is not printed again', async () => {
    const w = world(fresh())
    await w.run(1000)
    w.change(fresh(T0, T0 + 3600_000 + 30_000))
    w.loop.poke()
    await w.run(0)
    expect(w.lines).toEqual(['10:00:00.0 work 40% 2h 14m', '10:00:01.0 work 40% 1h'])
    w.change(fresh(T0, T0 + 3600_000 + 30_000))
    w.loop.poke()
    await w.run(0)
    expect(w.lines).toHaveLength(2)
  })

  it('stops when the bar closes the pipe: no more timers', async () => {
    const w = world(fresh())
    await w.run(0)
    w.failEmits()
    await w.run(2 * MIN)
    expect(w.stops).toEqual(['output-closed'])
    expect(w.pending()).toBe(0)
  })

  it('before fetching after a quiet minute it re-prints the last line: a gone reader ends the watch', async () => {
    const attempt = T0 - 10_000
    // A render with no countdown: the line never changes by itself.
    const w = world(fresh(attempt, T0 + 40 * 86400_000), { due: (now) => now >= attempt + 300_000 })
    await w.run(285_000) // due at T0 + 290 s
    const quiet = w.lines.length
    expect(w.refreshes).toHaveLength(0)
    w.failEmits()
    await w.run(10_000)
    expect(w.refreshes).toHaveLength(0) // no request for a bar that is gone
    expect(w.stops).toEqual(['output-closed'])
    expect(quiet).toBeGreaterThan(0)
  })

  it('... and a live reader just sees the same line again, then the fetch goes ahead', async () => {
    const attempt = T0 - 10_000
    const w = world(fresh(attempt, T0 + 40 * 86400_000), { due: (now) => now >= attempt + 300_000 })
    await w.run(285_000)
    const before = w.lines.length
    const last = w.lines.at(-1)?.slice(11)
    await w.run(10_000)
    expect(w.lines.slice(before).map((l) => l.slice(11))).toEqual([last])
    expect(w.refreshes.map((r) => r.mode)).toEqual(['auto'])
  })

  it('stop() cancels everything', async () => {
    const w = world(null, { due: () => true })
    await w.run(10)
    w.loop.stop()
    expect(w.pending()).toBe(0)
  })
})

describe('schedule', () => {
  it('the next change is the nearest anchor minute, the stale moment or the end of a cooldown', () => {
    const e = fresh(T0 - 10_000, T0 + 3600_000 + 20_000)
    expect(nextChangeAt([e], [account], T0)).toBe(T0 + 20_600)
    // Fetched at T0: "updated just now" turns "1m ago" at T0 + 59.5 s, looked at by T0 + 60.6 s;
    // the reset (T0 + 20 s, already past) next matters at T0 + 80.6 s.
    expect(nextChangeAt([fresh(T0, T0 + 20_000)], [account], T0 + 30_000)).toBe(T0 + 60_600)
    // Past the reset, the stale moment (fetch + 300 s + 120 s) and a cooldown's end count once.
    const cooling = { ...fresh(T0, T0 + 20_000), retryAt: new Date(T0 + 90_000).toISOString() }
    expect(nextChangeAt([cooling], [account], T0 + 85_000)).toBe(T0 + 90_600)
    expect(nextChangeAt([null], [account], T0)).toBe(Number.POSITIVE_INFINITY)
  })

  it('the next due time: never fetched now, failed at retryAt, else the interval', () => {
    const e = fresh(T0)
    expect(nextDueAt([null], [account], T0)).toBe(T0)
    expect(nextDueAt([e], [account], T0)).toBe(T0 + 300_000)
    const failed = {
      ...e,
      error: { kind: 'network' as const, message: 'x', fix: null, httpStatus: null },
      retryAt: new Date(T0 + 60_000).toISOString(),
    }
    expect(nextDueAt([failed], [account], T0)).toBe(T0 + 60_000)
  })
})
