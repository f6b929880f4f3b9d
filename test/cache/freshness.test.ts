import { describe, expect, it } from 'vitest'
import { type ApplyInput, applyResult, deriveStatus, isDue, nextFetch } from '../../src/cache/freshness.js'
import { emptyEntry } from '../../src/cache/store.js'
import type { CacheEntry, ErrorInfo, UsageSnapshot } from '../../src/model.js'
import type { Account } from '../../src/providers/types.js'

const account: Account = { provider: 'claude', id: 'w', key: 'claude/w', label: 'w', refreshSeconds: 300 }
const T0 = new Date('2026-11-22T10:00:00Z')
const at = (s: number) => new Date(T0.getTime() + s * 1000)
const snap = (fetchedAt: Date, used = 40): UsageSnapshot => ({
  fetchedAt: fetchedAt.toISOString(),
  plan: 'Max 5x',
  email: null,
  windows: [{ id: 'session', label: '5h', usedPercent: used, resetsAt: null, windowSeconds: 18000 }],
  spend: [],
})
const err = (kind: ErrorInfo['kind']): ErrorInfo => ({ kind, message: kind, fix: null, httpStatus: null })
const ok = (t: Date, fp: string | null = 'fp1'): ApplyInput => ({
  ok: true,
  snapshot: snap(t),
  fingerprint: fp,
})
const fail = (
  kind: ErrorInfo['kind'],
  retryAfterSeconds: number | null = null,
  fp: string | null = 'fp1',
): ApplyInput => ({
  ok: false,
  error: err(kind),
  fingerprint: fp,
  retryAfterSeconds,
})

/** Applies results in order, each at its own time, starting from an empty entry. */
function run(steps: [number, ApplyInput][]): CacheEntry {
  let e = emptyEntry(account.key)
  for (const [s, r] of steps) e = applyResult(e, r, account, at(s), 'stamp')
  return e
}

describe('isDue', () => {
  const fresh = run([[0, ok(at(0))]])
  it.each([
    ['never fetched', null, 10, 'auto', true],
    ['fresh', fresh, 299, 'auto', false],
    ['interval passed', fresh, 300, 'auto', true],
    ['manual ignores the interval', fresh, 1, 'manual', true],
  ] as const)('%s', (_n, entry, s, mode, due) => {
    expect(isDue(entry, account, at(s), 'stamp', mode)).toBe(due)
  })

  it('a corrupt last-attempt time makes the account due instead of throwing in the render', () => {
    const corrupt = { ...fresh, lastAttemptAt: 'not a time' }
    expect(isDue(corrupt, account, at(10), 'stamp', 'auto')).toBe(true)
    expect(nextFetch(corrupt, account, at(10), 'stamp', 'auto')).toBeNull()
  })

  it('a changed login file makes a fresh account due, but not one in a 429 cooldown', () => {
    const floored = { ...account, minRefreshSeconds: 180 }
    expect(isDue(fresh, floored, at(10), 'other-stamp', 'auto')).toBe(false)
    expect(isDue(fresh, floored, at(200), 'other-stamp', 'auto')).toBe(true)
    expect(isDue(fresh, floored, at(200), 'stamp', 'auto')).toBe(false)
    const limited = run([[0, fail('rate-limited', 0)]])
    expect(isDue(limited, account, at(10), 'other-stamp', 'auto')).toBe(false)
  })

  it('a 429 cooldown holds manual refreshes and force too (design §2: never inside a 429 cooldown)', () => {
    const limited = run([[0, fail('rate-limited', 0)]])
    expect(isDue(limited, account, at(299), 'stamp', 'manual')).toBe(false)
    expect(isDue(limited, account, at(299), 'stamp', 'force')).toBe(false)
    expect(nextFetch(limited, account, at(299), 'stamp', 'force')).toEqual({
      why: 'cooldown',
      until: at(300).toISOString(),
      floorSeconds: 0,
    })
    expect(isDue(limited, account, at(300), 'stamp', 'force')).toBe(true)
    expect(isDue(limited, account, at(300), 'stamp', 'auto')).toBe(true)
  })

  describe('the provider floor holds in every mode but force', () => {
    const floored: Account = { ...account, refreshSeconds: 900, minRefreshSeconds: 180 }
    const e = applyResult(emptyEntry(floored.key), ok(at(0)), floored, at(0), 'stamp')
    it.each([
      ['manual inside the floor', 179, 'manual', 'floor'],
      ['manual past the floor', 180, 'manual', null],
      ['auto inside the floor, login changed', 10, 'auto', 'floor'],
      ['force inside the floor', 10, 'force', null],
      ['auto past the floor, inside the interval', 200, 'auto', 'interval'],
    ] as const)('%s', (_n, s, mode, why) => {
      const changed = _n.includes('login changed') ? 'other' : 'stamp'
      expect(nextFetch(e, floored, at(s), changed, mode)?.why ?? null).toBe(why)
    })
    it('after a failure, manual waits for the floor, not for the backoff', () => {
      const failed = applyResult(e, fail('network'), floored, at(0), 'stamp')
      expect(nextFetch(failed, floored, at(100), 'stamp', 'manual')).toEqual({
        why: 'floor',
        until: at(180).toISOString(),
        floorSeconds: 180,
      })
      expect(isDue(failed, floored, at(180), 'stamp', 'manual')).toBe(true)
      expect(isDue(failed, floored, at(180), 'stamp', 'auto')).toBe(true)
    })
    it("after a window's reset passed the account is due at once, but not below the floor", () => {
      const resets = {
        ...e,
        snapshot: {
          ...snap(at(0)),
          windows: [
            {
              id: 'session',
              label: '5h',
              usedPercent: 99,
              resetsAt: at(60).toISOString(),
              windowSeconds: 18000,
            },
          ],
        },
      }
      expect(isDue(resets, floored, at(59), 'stamp', 'auto')).toBe(false)
      expect(nextFetch(resets, floored, at(61), 'stamp', 'auto')?.why).toBe('floor')
      expect(isDue(resets, floored, at(180), 'stamp', 'auto')).toBe(true)
      // Without a reset the interval (900 s) holds.
      expect(isDue(e, floored, at(180), 'stamp', 'auto')).toBe(false)
    })
  })
})

describe('applyResult', () => {
  it.each([
    ['1e23 seconds', 1e23],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['NaN', Number.NaN],
    ['negative', -5],
  ])('a Retry-After of %s is a valid time, at most 24 h away (at least the 5-minute floor)', (_n, value) => {
    const e = run([[0, fail('rate-limited', value)]])
    const wait = (Date.parse(e.retryAt ?? '') - T0.getTime()) / 1000
    expect(wait).toBeGreaterThanOrEqual(300)
    expect(wait).toBeLessThanOrEqual(24 * 3600)
  })

  it('an absurd cooldown already in the cache is not kept beyond 24 h', () => {
    const prev = { ...run([[0, fail('rate-limited', 0)]]), retryAt: '+275760-09-13T00:00:00.000Z' }
    const e = applyResult(prev, fail('rate-limited', 0), account, at(10), 'stamp')
    expect(e.retryAt).toBe(at(10 + 24 * 3600).toISOString())
  })

  it('Retry-After 0 or missing still means at least 5 minutes, escalating on repeats', () => {
    const first = run([[0, fail('rate-limited', 0)]])
    expect(first.retryAt).toBe(at(300).toISOString())
    const second = run([
      [0, fail('rate-limited', 0)],
      [300, fail('rate-limited', null)],
    ])
    expect(second.retryAt).toBe(at(300 + 600).toISOString())
    expect(second.rateLimitStrikes).toBe(2)
  })

  it('honours a longer Retry-After and never shortens an existing block', () => {
    expect(run([[0, fail('rate-limited', 1600)]]).retryAt).toBe(at(1600).toISOString())
    const e = run([
      [0, fail('rate-limited', 1600)],
      [10, fail('rate-limited', 0)],
    ])
    expect(e.retryAt).toBe(at(1600).toISOString())
  })

  it('failures keep the last good snapshot and back off exponentially (never below 180 s here)', () => {
    const e = run([
      [0, ok(at(0))],
      [300, fail('http')],
      [600, fail('timeout')],
      [900, fail('network')],
    ])
    expect(e.snapshot?.fetchedAt).toBe(at(0).toISOString())
    expect(e.failures).toBe(3)
    expect(e.retryAt).toBe(at(900 + 240).toISOString())
  })

  it('success clears errors, cooldowns and counters', () => {
    const e = run([
      [0, fail('rate-limited', 0)],
      [400, ok(at(400))],
    ])
    expect([e.error, e.retryAt, e.cooldown, e.rateLimitStrikes, e.failures]).toEqual([
      null,
      null,
      false,
      0,
      0,
    ])
  })

  it('a fallback snapshot (e.g. from logs) is kept only when it is newer than the last good one', () => {
    const withFallback = (t: Date): ApplyInput => ({
      ok: false,
      error: err('network'),
      fingerprint: 'fp1',
      fallback: snap(t, 77),
    })
    const older = run([
      [600, ok(at(600))],
      [900, withFallback(at(0))],
    ])
    expect([older.snapshot?.fetchedAt, older.error?.kind]).toEqual([at(600).toISOString(), 'network'])
    const newer = run([
      [0, ok(at(0))],
      [900, withFallback(at(800))],
    ])
    expect([newer.snapshot?.windows[0]?.usedPercent, newer.failures]).toEqual([77, 1])
  })

  it('a different login drops the old numbers', () => {
    const e = run([
      [0, ok(at(0), 'alice')],
      [300, fail('http', null, 'bob')],
    ])
    expect(e.snapshot).toBeNull()
    expect(e.fingerprint).toBe('bob')
  })
})

describe('deriveStatus', () => {
  it.each([
    ['pending', [], 0, 'pending'],
    ['ok', [[0, ok(at(0))]], 60, 'ok'],
    ['stale by age', [[0, ok(at(0))]], 300 + 121, 'stale'],
    [
      'stale after a failure',
      [
        [0, ok(at(0))],
        [300, fail('http')],
      ],
      301,
      'stale',
    ],
    [
      'cooldown',
      [
        [0, ok(at(0))],
        [300, fail('rate-limited', 0)],
      ],
      310,
      'cooldown',
    ],
    [
      'expired keeps data',
      [
        [0, ok(at(0))],
        [300, fail('auth')],
      ],
      301,
      'expired',
    ],
    ['error without data', [[0, fail('schema')]], 1, 'error'],
  ] as [string, [number, ApplyInput][], number, string][])('%s', (_n, steps, s, status) => {
    const e = steps.length ? run(steps) : null
    expect(deriveStatus(e, account, at(s))).toBe(status)
  })
})

describe('a changing login file', () => {
  const churny: Account = { ...account, refreshSeconds: 600, minRefreshSeconds: 300 }
  it('after a success waits for the provider floor (files like state.vscdb change all the time)', () => {
    let e = emptyEntry(churny.key)
    e = applyResult(e, ok(at(0)), churny, at(0), 'stamp')
    expect(isDue(e, churny, at(120), 'changed', 'auto')).toBe(false)
    expect(isDue(e, churny, at(300), 'changed', 'auto')).toBe(true)
  })
  it('after a failed login is due at once (the user may just have logged in again)', () => {
    let e = emptyEntry(churny.key)
    e = applyResult(e, fail('auth'), churny, at(0), 'stamp')
    expect(isDue(e, churny, at(5), 'stamp', 'auto')).toBe(false)
    expect(isDue(e, churny, at(5), 'changed', 'auto')).toBe(true)
  })
  it('after a 401 is due once the floor passed, not after the full wait', () => {
    let e = emptyEntry(churny.key)
    const rejected: ApplyInput = { ...fail('auth'), ok: false, error: { ...err('auth'), httpStatus: 401 } }
    e = applyResult(e, rejected, churny, at(0), 'stamp')
    expect(isDue(e, churny, at(5), 'stamp', 'auto')).toBe(false)
    // The 401 was a request: a login file that changes every few seconds must not drive more.
    expect(isDue(e, churny, at(5), 'changed', 'auto')).toBe(false)
    expect(isDue(e, churny, at(300), 'stamp', 'auto')).toBe(false)
    expect(isDue(e, churny, at(300), 'changed', 'auto')).toBe(true)
  })
  it('a failure before any request (no login file) does not start the floor', () => {
    let e = emptyEntry(churny.key)
    e = applyResult(e, fail('credentials'), churny, at(0), 'stamp')
    expect(isDue(e, churny, at(5), 'changed', 'auto')).toBe(true)
    expect(isDue(e, churny, at(5), 'stamp', 'manual')).toBe(true)
  })
})
