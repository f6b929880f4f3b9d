import { describe, expect, it } from 'vitest'
import { activeBlock, sessionBlocks, type Slot } from '../../src/logs/blocks.js'
import type { AccountUsage } from '../../src/logs/local.js'
import { usageMeters } from '../../src/logs/meters.js'
import { Calendar } from '../../src/logs/periods.js'
import { BUCKET_MS, REQUESTS, type Totals, totalsOf } from '../../src/logs/totals.js'

const iso = (ms: number) => new Date(ms).toISOString()

/** Requests (ISO times) as the scanner leaves them: one slot per 15-minute bucket. */
function slotsOf(times: string[], cost = 1): Slot[] {
  const slots = new Map<number, Totals>()
  for (const time of times) {
    const ts = Date.parse(time)
    const t = totalsOf({
      ts,
      model: 'm',
      input: 1,
      output: 1,
      cacheRead: 0,
      cacheWrite: 0,
      cost,
      estimated: true,
    })
    const b = Math.floor(ts / BUCKET_MS)
    const cur = slots.get(b)
    if (!cur) slots.set(b, t)
    else
      for (let i = 0; i < 10; i++)
        cur[i] =
          i === 8
            ? Math.min(cur[i] ?? 0, t[i] ?? 0)
            : i === 9
              ? Math.max(cur[i] ?? 0, t[i] ?? 0)
              : (cur[i] ?? 0) + (t[i] ?? 0)
  }
  return [...slots].map(([bucket, totals]) => ({ bucket, totals }))
}

const usageOf = (times: string[]): AccountUsage => {
  const slots = new Map(
    slotsOf(times).map((s) => [s.bucket, new Map([['m', s.totals]])] as [number, Map<string, Totals>]),
  )
  return {
    key: 'claude/x',
    kind: 'claude',
    slots,
    reasons: {},
    stats: { files: 0, filesRead: 0, bytesRead: 0, pending: 0, changed: false, ms: 0 },
  }
}

describe('5-hour blocks (ccusage session-blocks)', () => {
  it('the spec example: a block per UTC hour start, a gap block between', () => {
    const blocks = sessionBlocks(slotsOf(['2025-06-20T10:15:30.123Z', '2025-06-20T15:45:00.000Z']))
    expect(blocks.map((b) => [iso(b.start), iso(b.end), b.gap])).toEqual([
      ['2025-06-20T10:00:00.000Z', '2025-06-20T15:00:00.000Z', false],
      ['2025-06-20T15:15:30.123Z', '2025-06-20T15:45:00.000Z', true],
      ['2025-06-20T15:00:00.000Z', '2025-06-20T20:00:00.000Z', false],
    ])
  })

  it('a new block 5 h after the block start even without a gap', () => {
    const times = [
      '2026-08-12T09:12:00Z',
      '2026-08-12T11:00:00Z',
      '2026-08-12T13:59:59Z',
      '2026-08-12T14:00:01Z',
    ]
    const blocks = sessionBlocks(slotsOf(times))
    expect(blocks.map((b) => [iso(b.start), b.totals[REQUESTS], b.gap])).toEqual([
      ['2026-08-12T09:00:00.000Z', 3, false],
      ['2026-08-12T14:00:00.000Z', 1, false],
    ])
  })

  it('active until 5 h after the last request or the block end, whichever first', () => {
    const blocks = sessionBlocks(slotsOf(['2026-08-12T09:12:00Z', '2026-08-12T09:30:00Z']))
    expect(activeBlock(blocks, Date.parse('2026-08-12T13:59:00Z'))?.totals[REQUESTS]).toBe(2)
    expect(activeBlock(blocks, Date.parse('2026-08-12T14:00:00Z'))).toBeNull()
    const early = sessionBlocks(slotsOf(['2026-08-12T09:01:00Z']))
    expect(activeBlock(early, Date.parse('2026-08-12T13:59:00Z'))).not.toBeNull()
    expect(activeBlock(early, Date.parse('2026-08-12T14:01:00Z'))).toBeNull()
  })
})

describe('days and weeks in the configured time zone', () => {
  // 03:30 UTC on Wednesday 2026-08-12 is still Tuesday evening in New York (UTC−4) and already
  // 09:00 on Wednesday in Kolkata (UTC+5:30). The block (23:00–04:00 UTC) is the same everywhere.
  const times = ['2026-08-10T02:00:00Z', '2026-08-11T23:00:00Z', '2026-08-12T03:30:00Z']
  const now = Date.parse('2026-08-12T03:45:00Z')
  const meters = (tz: string) =>
    Object.fromEntries(usageMeters(usageOf(times), now, new Calendar(tz)).map((m) => [m.id, m.requests]))

  it.each([
    // UTC: today = 12th (03:30); week from Mon 10th 00:00 (all three)
    ['UTC', { today: 1, block: 2, week: 3 }],
    // New York: today = Tue 11th from 04:00Z (23:00 and 03:30); Mon 10th 00:00 EDT = 04:00Z (not 02:00Z)
    ['America/New_York', { today: 2, block: 2, week: 2 }],
    // Kolkata: today = Wed 12th from 18:30Z on the 11th (23:00, 03:30); week from Sun 9th 18:30Z (all)
    ['Asia/Kolkata', { today: 2, block: 2, week: 3 }],
  ])('%s', (tz, want) => {
    expect(meters(tz)).toEqual(want)
  })

  it('midnight boundaries, a DST change and day labels', () => {
    const ny = new Calendar('America/New_York')
    expect(iso(ny.startOfDay(Date.parse('2026-11-01T12:00:00Z')))).toBe('2026-11-01T04:00:00.000Z')
    expect(iso(ny.addDays(Date.parse('2026-11-01T04:00:00Z'), 1))).toBe('2026-11-02T05:00:00.000Z')
    expect(iso(ny.startOfWeek(Date.parse('2026-11-04T12:00:00Z')))).toBe('2026-11-02T05:00:00.000Z')
    expect(ny.dayLabel(Date.parse('2026-08-12T03:30:00Z'))).toBe('2026-08-11')
    // Cuba's clocks fall back at 01:00 to 00:00: the day starts at the first midnight.
    expect(iso(new Calendar('America/Havana').startOfDay(Date.parse('2026-11-01T12:00:00Z')))).toBe(
      '2026-11-01T04:00:00.000Z',
    )
    expect(iso(new Calendar('Asia/Kathmandu').startOfDay(Date.parse('2026-08-12T03:30:00Z')))).toBe(
      '2026-08-11T18:15:00.000Z',
    )
  })
})
