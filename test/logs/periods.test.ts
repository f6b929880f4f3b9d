import { afterEach, describe, expect, it } from 'vitest'
import { Calendar, calendarFor, resolveTimeZone } from '../../src/logs/periods.js'

/**
 * The process-zone calendar (Date's local-time methods, no Intl) against the named-zone one
 * (Intl) for the same zone as TZ: the same day starts, week starts and day labels, across DST
 * changes, midnight fall-backs (Havana) and odd offsets (Kathmandu, Chatham).
 */
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'America/Havana',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'Australia/Lord_Howe',
]
const saved = process.env.TZ

afterEach(() => {
  process.env.TZ = saved
})

describe('Calendar(null): the process zone without Intl', () => {
  it.each(ZONES)('answers what the Intl calendar of %s answers', (zone) => {
    process.env.TZ = zone
    const local = new Calendar(null)
    const named = new Calendar(zone)
    // Every 97 minutes through 2026 (hits every hour of the day, both DST changes).
    for (
      let t = Date.parse('2026-01-01T00:00:00Z');
      t < Date.parse('2027-01-01T00:00:00Z');
      t += 97 * 60_000
    ) {
      expect(local.startOfDay(t), `${zone} ${new Date(t).toISOString()}`).toBe(named.startOfDay(t))
      expect(local.dayLabel(t)).toBe(named.dayLabel(t))
    }
    for (
      let t = Date.parse('2026-01-01T00:00:00Z');
      t < Date.parse('2027-01-01T00:00:00Z');
      t += 13 * 3_600_000
    )
      expect(local.startOfWeek(t), `${zone} week of ${new Date(t).toISOString()}`).toBe(named.startOfWeek(t))
    // The name `report` prints: Intl's for the process zone, as before (Asia/Katmandu, ICU's spelling).
    expect(local.timeZone).toBe(resolveTimeZone(null))
  })

  it('calendarFor: a configured zone is checked, none is the process zone', () => {
    process.env.TZ = 'Asia/Kathmandu'
    expect(calendarFor(undefined).timeZone).toBe(resolveTimeZone(null))
    expect(calendarFor('Europe/Berlin').timeZone).toBe('Europe/Berlin')
    expect(() => calendarFor('Mars/Olympus')).toThrow(/not a time zone/)
  })
})
