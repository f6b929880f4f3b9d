import { describe, expect, it } from 'vitest'
import type { CacheEntry, WindowBurn } from '../src/model.js'
import { paceOf, rateAt, sameCycle, sparkAt } from '../src/pace.js'
import type { Account } from '../src/providers/types.js'
import { buildAccountView } from '../src/view.js'

const NOW = Date.parse('2026-11-22T10:00:00Z')
const MIN = 60_000
const H = 60 * MIN
const iso = (ms: number) => new Date(ms).toISOString()

const session = (used: number, resetInMs: number) => ({
  usedPercent: used,
  resetsAt: iso(NOW + resetInMs),
  windowSeconds: 18_000,
})

const burn = (rate: number | null, extra: Partial<WindowBurn> = {}): WindowBurn => ({
  id: 'session',
  resetsAt: iso(NOW + 2 * H),
  at: iso(NOW),
  percentPerHour: rate,
  weightSeconds: 1800,
  tauSeconds: 1800,
  spark: null,
  ...extra,
})

const AT_NOW = { nowMs: NOW, fromMs: NOW, idleAfterMs: NOW + 10 * MIN }

describe('paceOf', () => {
  it('elapsed share and delta come from resetsAt and the window length alone', () => {
    // Reset in 2h of a 5h window: 3h gone = 60 %.
    expect(paceOf(session(42, 2 * H), undefined, AT_NOW)).toEqual({
      elapsedPercent: 60,
      paceDelta: -18,
      projectedPercent: null,
      exhaustsAt: null,
      burnPerHour: null,
    })
  })

  it('projects at the rate to the reset, and says when 100 % comes first', () => {
    expect(paceOf(session(40, 2 * H), burn(10), AT_NOW)).toMatchObject({
      projectedPercent: 60,
      exhaustsAt: null,
    })
    // 60 points left at 40 %/h: 1h 30m, half an hour before the reset.
    expect(paceOf(session(40, 2 * H), burn(40), AT_NOW)).toMatchObject({
      projectedPercent: 120,
      exhaustsAt: '2026-11-22T11:30:00.000Z',
    })
  })

  it('no forecast from a thin history, another cycle, a rolled-over window or a window without reset', () => {
    expect(paceOf(session(40, 2 * H), burn(null), AT_NOW).projectedPercent).toBeNull()
    const old = burn(40, { resetsAt: iso(NOW - 3 * H) })
    expect(paceOf(session(40, 2 * H), old, AT_NOW).projectedPercent).toBeNull()
    expect(paceOf({ ...session(0, 2 * H), rolledOver: true }, burn(40), AT_NOW).projectedPercent).toBeNull()
    expect(paceOf({ usedPercent: 40, resetsAt: null, windowSeconds: 18_000 }, burn(40), AT_NOW)).toEqual({
      elapsedPercent: null,
      paceDelta: null,
      projectedPercent: null,
      exhaustsAt: null,
      burnPerHour: null,
    })
  })

  it('a full window has no run-out time, and an overage stays above 100', () => {
    expect(paceOf(session(100, H), burn(20), AT_NOW)).toMatchObject({
      projectedPercent: 120,
      exhaustsAt: null,
    })
  })

  it('jitter in a provider reset is the same cycle; a whole window later is not', () => {
    expect(sameCycle('2026-11-22T12:00:00Z', '2026-11-22T12:00:59.4Z', 18_000)).toBe(true)
    expect(sameCycle('2026-11-22T12:00:00Z', '2026-11-22T17:00:00Z', 18_000)).toBe(false)
    expect(sameCycle(null, null, 18_000)).toBe(true)
  })
})

describe('rateAt: time without points counts as idle after idleAfter', () => {
  const b = burn(30)
  it('holds until idleAfter, then decays toward zero', () => {
    expect(rateAt(b, NOW + 10 * MIN, NOW + 10 * MIN)).toBe(30)
    const r30 = rateAt(b, NOW + 30 * MIN, NOW) ?? 0
    const r120 = rateAt(b, NOW + 120 * MIN, NOW) ?? 0
    // A long history (weight = tau): exactly exponential, e^-1 after one time constant.
    expect(r30).toBeCloseTo(30 * Math.exp(-1), 6)
    expect(r120).toBeLessThan(0.6)
    expect(r120).toBeGreaterThan(0)
  })

  it('thin evidence (little weight) is diluted faster than a long steady record', () => {
    const thin = rateAt(burn(30, { weightSeconds: 300 }), NOW + 30 * MIN, NOW) ?? 0
    expect(thin).toBeLessThan(rateAt(b, NOW + 30 * MIN, NOW) ?? 0)
  })
})

describe('sparkAt', () => {
  const spark = { end: '2026-11-22T10:00:00.000Z', bucketSeconds: 3600, values: [1, 2, 3, 4] }
  it('moves with the clock: hours since the last refresh are gaps, not zeros', () => {
    expect(sparkAt(spark, NOW - 1)).toEqual([1, 2, 3, 4])
    expect(sparkAt(spark, NOW + 90 * MIN)).toEqual([3, 4, null, null])
    expect(sparkAt(spark, NOW + 5 * H)).toBeNull()
    expect(sparkAt(null, NOW)).toBeNull()
  })
})

describe('levels and the driver with pace', () => {
  const account: Account = { provider: 'claude', id: 'w', key: 'claude/w', label: 'w', refreshSeconds: 300 }
  const entry = (sessionRate: number, weeklyRate: number): CacheEntry => ({
    v: 1,
    key: 'claude/w',
    fingerprint: null,
    credentialStamp: null,
    lastAttemptAt: iso(NOW),
    error: null,
    retryAt: null,
    cooldown: false,
    failures: 0,
    rateLimitStrikes: 0,
    snapshot: {
      fetchedAt: iso(NOW),
      plan: null,
      email: null,
      windows: [
        { id: 'session', label: '5h', usedPercent: 50, resetsAt: iso(NOW + 2 * H), windowSeconds: 18_000 },
        { id: 'weekly', label: '7d', usedPercent: 40, resetsAt: iso(NOW + 48 * H), windowSeconds: 604_800 },
      ],
      spend: [],
    },
    burn: [
      burn(sessionRate),
      burn(weeklyRate, {
        id: 'weekly',
        resetsAt: iso(NOW + 48 * H),
        tauSeconds: 60_480,
        weightSeconds: 60_480,
      }),
    ],
  })
  const T = { warning: 70, critical: 90 }

  it('on course to run out before the reset is warning below the threshold; the countdown is the run-out', () => {
    const quiet = buildAccountView(account, entry(5, 0.5), new Date(NOW), T)
    expect(quiet.level).toBe('ok')
    expect(quiet.driver).toMatchObject({ id: 'session', exhaustsAt: null })
    // The weekly runs out in 30h (60 points at 2 %/h), 18h before its reset: it drives, at warning.
    const weekly = buildAccountView(account, entry(5, 2), new Date(NOW), T)
    expect(weekly.level).toBe('warning')
    expect(weekly.driver).toMatchObject({ id: 'weekly', percent: 40, exhaustsAt: '2026-11-23T16:00:00.000Z' })
  })

  it('thresholds.pace false keeps the level and the countdown on the share alone; the data keeps the forecast', () => {
    const v = buildAccountView(account, entry(5, 2), new Date(NOW), { ...T, pace: false })
    expect(v.level).toBe('ok')
    expect(v.driver).toMatchObject({ id: 'session', exhaustsAt: null })
    expect(v.windows[1]?.exhaustsAt).toBe('2026-11-23T16:00:00.000Z')
  })

  it('a 429 cooldown holds the rate through the gap; without one, the time since the last point is idle', () => {
    const at = new Date(NOW + 40 * MIN)
    const cooling = { ...entry(30, 0), cooldown: true, retryAt: iso(NOW + 60 * MIN) }
    // 50 % + 30 %/h from the fetch: runs out 1h 40m after it, before the reset at +2h.
    expect(buildAccountView(account, cooling, at, T).windows[0]).toMatchObject({
      projectedPercent: 110,
      exhaustsAt: '2026-11-22T11:40:00.000Z',
    })
    const idle = buildAccountView(account, entry(30, 0), at, T).windows[0]
    expect(idle?.exhaustsAt).toBeNull()
    expect(idle?.projectedPercent).toBeLessThan(50 + 30 * (80 / 60))
  })
})
