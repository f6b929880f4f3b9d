import { describe, expect, it } from 'vitest'
import {
  accountHeadroom,
  bestKeys,
  type HeadroomInput,
  pickBest,
  windowScore,
} from '../../src/accounts/headroom.js'
import type { ErrorInfo, SpendMeter } from '../../src/model.js'
import { NO_PACE } from '../../src/pace.js'
import type { WindowView } from '../../src/view.js'

const NOW = Date.parse('2026-11-22T10:00:00Z')
const inS = (s: number) => new Date(NOW + s * 1000).toISOString()
const MIN = 60
const H = 3600

const win = (id: string, used: number, resetsInS: number | null): WindowView => ({
  id,
  label: id === 'session' ? '5h' : id === 'weekly' ? '7d' : id,
  usedPercent: used,
  resetsAt: resetsInS === null ? null : inS(resetsInS),
  windowSeconds: null,
  rolledOver: false,
  ...NO_PACE,
})

const acct = (windows: WindowView[], extra: Partial<HeadroomInput> = {}): HeadroomInput => ({
  status: 'ok',
  windows,
  spend: [],
  error: null,
  ...extra,
})

const err = (kind: ErrorInfo['kind']): ErrorInfo => ({
  kind,
  message: `${kind} went wrong`,
  fix: null,
  httpStatus: null,
})

describe('windowScore: what is left now, plus a fresh window for the part of the next hour after the reset', () => {
  it.each([
    // used, resets in, score
    [90, 5 * MIN, 92.5], // nearly free: resets in 5 minutes
    [90, 30 * MIN, 55],
    [90, H, 10], // an hour or more away: only what is left counts
    [90, 3 * H, 10],
    [90, null, 10], // unknown reset: no relief
    [0, null, 100],
    [100, 3 * H, 0],
    [100, 0, 100], // resetting this instant
    [100, -60, 100], // reset already passed (clock skew): as good as fresh
    [120, 2 * H, 0], // overage clamps to nothing left
    [-5, 2 * H, 100], // nonsense below zero clamps to all left
    [50, 15 * MIN, 87.5],
  ])('%d%% used, resets in %s s → %d', (used, resetsIn, score) => {
    expect(windowScore(used, resetsIn)).toBeCloseTo(score, 6)
  })

  it.each([
    // used, resets in, burn %/h, score: at the current pace
    [40, 3 * H, 30, 30], // draining: 30 points go in the coming hour
    [40, 3 * H, 0, 60], // idle: what is left
    [40, 20 * MIN, 30, 50 + 50 * (2 / 3)], // burns 10 before the reset, then a fresh window
    [80, 3 * H, 50, 0], // runs out within the hour
  ])('%d used, resets in %d s, burning %d per hour → %d', (used, resetsIn, burn, score) => {
    expect(windowScore(used, resetsIn, burn)).toBeCloseTo(score, 6)
  })
})

describe('best at the current pace', () => {
  it('an account being drained loses to a quieter one with a higher number', () => {
    const draining = { ...acct([{ ...win('session', 40, 3 * H), burnPerHour: 30 }]), key: 'claude/a' }
    const quiet = { ...acct([win('session', 55, 3 * H)]), key: 'claude/b' }
    expect(pickBest([draining, quiet], NOW)?.account.key).toBe('claude/b')
    expect(pickBest([{ ...draining, windows: [win('session', 40, 3 * H)] }, quiet], NOW)?.account.key).toBe(
      'claude/a',
    )
  })
})

describe('accountHeadroom', () => {
  it('the tightest window sets the score; the mean breaks ties', () => {
    const h = accountHeadroom(acct([win('session', 90, 5 * MIN), win('weekly', 40, 4 * 24 * H)]), NOW)
    expect(h).toMatchObject({ eligible: true, score: 60, reason: null })
    expect(h.mean).toBeCloseTo((92.5 + 60) / 2, 6)
    expect(h.limiting).toEqual({ label: '7d', usedPercent: 40, resetsAt: inS(4 * 24 * H) })
  })

  const spend = (used: number, limit: number | null): SpendMeter => ({
    id: 'budget',
    label: 'Budget',
    used,
    limit,
    currency: 'USD',
    period: 'month',
  })

  it.each<[string, HeadroomInput, boolean, number | null, string | null]>([
    ['pending: no data yet', acct([], { status: 'pending' }), false, null, 'no data yet'],
    [
      'expired login',
      acct([win('session', 10, H)], { status: 'expired', error: err('auth') }),
      false,
      null,
      'login expired',
    ],
    [
      'provider cooldown',
      acct([win('session', 10, H)], { status: 'cooldown' }),
      false,
      null,
      'rate-limited by the provider (cooldown)',
    ],
    [
      'error without data',
      acct([], { status: 'error', error: err('network') }),
      false,
      null,
      'network went wrong',
    ],
    [
      'stale behind a missing login',
      acct([win('session', 10, 2 * H)], { status: 'stale', error: err('credentials') }),
      false,
      null,
      'credentials went wrong',
    ],
    [
      'stale behind a network error is still usable',
      acct([win('session', 10, 2 * H)], { status: 'stale', error: err('network') }),
      true,
      90,
      null,
    ],
    [
      'at a limit that resets late',
      acct([win('session', 20, H), win('weekly', 100, 3 * 24 * H)]),
      false,
      0,
      '7d is at its limit',
    ],
    ['no limits reported', acct([]), true, 100, 'no limits reported'],
    ['spend limit counts when there is no window', acct([], { spend: [spend(30, 40)] }), true, 25, null],
    [
      'spend without a limit is not a limit',
      acct([], { spend: [spend(30, null)] }),
      true,
      100,
      'no limits reported',
    ],
    [
      'spend is ignored next to windows',
      acct([win('session', 10, 2 * H)], { spend: [spend(39, 40)] }),
      true,
      90,
      null,
    ],
  ])('%s', (_, input, eligible, score, reason) => {
    const h = accountHeadroom(input, NOW)
    expect(h.eligible).toBe(eligible)
    expect(h.score === null ? null : Math.round(h.score * 10) / 10).toBe(score)
    expect(h.reason).toBe(reason)
  })
})

describe('pickBest and bestKeys', () => {
  const a = {
    key: 'claude/a',
    provider: 'claude',
    ...acct([win('session', 95, 2 * MIN), win('weekly', 30, 5 * 24 * H)]),
  }
  const b = {
    key: 'claude/b',
    provider: 'claude',
    ...acct([win('session', 20, 4 * H), win('weekly', 60, 2 * 24 * H)]),
  }
  const c = { key: 'claude/c', provider: 'claude', ...acct([], { status: 'expired' }) }
  const x = { key: 'codex/x', provider: 'codex', ...acct([win('session', 50, 4 * H)]) }
  const y = {
    key: 'codex/y',
    provider: 'codex',
    ...acct([win('session', 50, 4 * H), win('weekly', 10, 6 * 24 * H)]),
  }

  it('a nearly reset 95% beats a fresher-looking account with a tighter week', () => {
    expect(pickBest([b, a, c], NOW)?.account.key).toBe('claude/a')
  })

  it('a full tie goes to the higher mean, then to the first listed', () => {
    expect(pickBest([x, y], NOW)?.account.key).toBe('codex/y')
    expect(pickBest([x, { ...x, key: 'codex/z' }], NOW)?.account.key).toBe('codex/x')
  })

  it('none eligible → null', () => {
    expect(pickBest([c], NOW)).toBeNull()
    expect(pickBest([], NOW)).toBeNull()
  })

  it('marks one per provider, only where there is a choice', () => {
    expect([...bestKeys([a, b, c, x, y], NOW)].sort()).toEqual(['claude/a', 'codex/y'])
    expect(bestKeys([a, x], NOW).size).toBe(0)
    expect(bestKeys([c, { ...c, key: 'claude/d' }], NOW).size).toBe(0)
  })
})
