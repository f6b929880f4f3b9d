import { describe, expect, it } from 'vitest'
import type { Thresholds, UsageSnapshot } from '../../src/model.js'
import { describeEvent } from '../../src/notify/deliver.js'
import { type Baselines, detectEdges, type NotifyEvent, rankOf } from '../../src/notify/edges.js'

const T: Thresholds = { warning: 70, critical: 90 }
const NOW = new Date('2026-11-22T10:00:00.000Z')
const ACCOUNT = { key: 'claude/work', provider: 'claude', label: 'work' }
const R1 = '2026-11-22T12:00:00.000Z' // the current session's reset
const R2 = '2026-11-22T17:00:00.000Z' // the next one
const PAST = '2026-11-22T09:00:00.000Z'

const snap = (usedPercent: number, resetsAt: string | null, id = 'session'): UsageSnapshot => ({
  fetchedAt: NOW.toISOString(),
  plan: null,
  email: null,
  windows: [{ id, label: '5h', usedPercent, resetsAt, windowSeconds: 18_000 }],
  spend: [],
})
const base = (rank: number, usedPercent: number, resetsAt: string | null = R1): Baselines => ({
  session: { resetsAt, rank, usedPercent },
})

describe('notification edges', () => {
  it.each([
    // [case, previous baselines, usage now, reset now, expected events]
    ['first sight sets a baseline silently, even at 95 %', {}, 95, R1, []],
    ['ok → ok', base(0, 10), 50, R1, []],
    ['ok → warning', base(0, 50), 75, R1, ['warning@70']],
    ['warning → warning again (same period): no repeat', base(1, 75), 80, R1, []],
    ['warning → critical', base(1, 80), 92, R1, ['critical@90']],
    ['ok → critical at once: one event, the higher one', base(0, 50), 95, R1, ['critical@90']],
    ['critical → 100 %', base(2, 95), 100, R1, ['full@100']],
    ['100 % stays 100 %', base(3, 100), 100, R1, []],
    ['a reset time jittering by seconds is the same period', base(1, 75), 76, '2026-11-22T12:00:00.400Z', []],
    ['dropping below warning within a period does not re-arm it', base(1, 75), 60, R1, []],
    ['after a warning the window resets: reset', base(1, 80, PAST), 3, R2, ['reset']],
    ['a window that never reached warning resets quietly', base(0, 40, PAST), 2, R2, []],
    [
      'a reset into a new period already at warning: reset, then warning',
      base(2, 95, PAST),
      72,
      R2,
      ['reset', 'warning@70'],
    ],
    ['a session that ended with no new one yet (reset → null)', base(2, 95, PAST), 0, null, ['reset']],
    ['a session that starts (null → a reset time) is not a reset', base(0, 0, null), 20, R2, []],
    ['a shifted reset time with usage unchanged stays one period', base(1, 75, R1), 75, R2, []],
  ] as const)('%s', (_, previous, used, resetsAt, expected) => {
    const { events } = detectEdges(ACCOUNT, snap(used, resetsAt), previous, T, NOW)
    expect(events.map((e) => (e.threshold === null ? e.type : `${e.type}@${e.threshold}`))).toEqual(expected)
  })

  it('the returned baseline carries the highest level of the period, so a crossing never repeats', () => {
    let baselines: Baselines = {}
    const seen: string[] = []
    for (const used of [50, 75, 60, 78, 91, 85, 95, 100, 100]) {
      const r = detectEdges(ACCOUNT, snap(used, R1), baselines, T, NOW)
      baselines = r.baselines
      seen.push(...r.events.map((e) => e.type))
    }
    expect(seen).toEqual(['warning', 'critical', 'full'])
    expect(baselines.session).toEqual({ resetsAt: R1, rank: 3, usedPercent: 100, paced: false })
  })

  it('an event says what crossed, for the hook', () => {
    const { events } = detectEdges(ACCOUNT, snap(91, R1), base(1, 80), T, NOW)
    expect(events).toEqual([
      {
        type: 'critical',
        account: 'claude/work',
        provider: 'claude',
        label: 'work',
        window: 'session',
        windowLabel: '5h',
        usedPercent: 91,
        threshold: 90,
        resetsAt: R1,
        exhaustsAt: null,
        at: NOW.toISOString(),
      },
    ])
  })

  it('pace: one predictive event per period, however the forecast wavers; a new period re-arms it', () => {
    const ETA = '2026-11-22T11:20:00.000Z'
    const run = (steps: [number, string, string | null][], start: Baselines, t = T) => {
      let b = start
      const out: string[] = []
      for (const [used, reset, eta] of steps) {
        const r = detectEdges(ACCOUNT, snap(used, reset), b, t, NOW, { session: eta })
        b = r.baselines
        out.push(...r.events.map((e) => (e.type === 'pace' ? `pace@${e.exhaustsAt}` : e.type)))
      }
      return out
    }
    const wavering: [number, string, string | null][] = [
      [40, R1, null],
      [50, R1, ETA],
      [52, R1, null],
      [60, R1, ETA],
      [72, R1, ETA],
    ]
    expect(run(wavering, base(0, 30))).toEqual([`pace@${ETA}`, 'warning'])
    // The next session on course to run out again: announced again.
    expect(run([...wavering, [5, R2, null], [30, R2, ETA]], base(0, 30))).toEqual([
      `pace@${ETA}`,
      'warning',
      'reset',
      `pace@${ETA}`,
    ])
    // First sight already on course: silent, like the thresholds. At 100 % there is nothing to predict.
    expect(run([[50, R1, ETA]], {})).toEqual([])
    expect(run([[100, R1, ETA]], base(2, 95))).toEqual(['full'])
    expect(run([[50, R1, ETA]], base(0, 40), { ...T, pace: false })).toEqual([])
    const [event] = detectEdges(ACCOUNT, snap(50, R1), base(0, 40), T, NOW, { session: ETA }).events
    expect(describeEvent(event as NotifyEvent)).toEqual({
      summary: 'Claude work: 5h limit runs out at 11:20 at this pace',
      body: '50% used now · resets in 2h',
      urgent: false,
    })
  })

  it('windows are independent, and a window missing from this snapshot keeps its baseline', () => {
    const previous: Baselines = { ...base(1, 75), weekly: { resetsAt: R2, rank: 0, usedPercent: 10 } }
    const r = detectEdges(ACCOUNT, snap(75, R2, 'weekly'), previous, T, NOW)
    expect(r.events.map((e) => `${e.window}:${e.type}`)).toEqual(['weekly:warning'])
    expect(r.baselines.session).toEqual(previous.session)
  })

  it.each([
    [69.9, 0],
    [70, 1],
    [89, 1],
    [90, 2],
    [99.9, 2],
    [100, 3],
    [130, 3],
  ])('rankOf(%d) = %d', (p, rank) => {
    expect(rankOf(p, T)).toBe(rank)
  })
})
