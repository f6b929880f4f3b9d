/**
 * Calendar arithmetic in a named IANA time zone with nothing but Intl: today's and this week's
 * start (ISO weeks, Monday) as UTC instants, and a day's `YYYY-MM-DD` label.
 */

const DAY_MS = 86_400_000

export class TimeZoneError extends Error {}

/** The configured zone (checked), else the process's own (TZ). */
export function resolveTimeZone(configured: string | null | undefined): string {
  if (configured) {
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: configured }).resolvedOptions().timeZone
    } catch {
      throw new TimeZoneError(
        `logs.timezone "${configured}" is not a time zone; use an IANA name such as "Europe/Berlin" or "UTC"`,
      )
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** The calendar of `logs.timezone` (checked: TimeZoneError), else of the process's own zone. */
export const calendarFor = (configured: string | null | undefined, localName?: () => string) =>
  new Calendar(configured ? resolveTimeZone(configured) : null, localName)

type Parts = { y: number; m: number; d: number; h: number; min: number; s: number; weekday: string }

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** The process's own zone through Date's local-time methods: no Intl, whose first use costs ~10 ms. */
function localParts(ms: number): Parts {
  const t = new Date(ms)
  return {
    y: t.getFullYear(),
    m: t.getMonth() + 1,
    d: t.getDate(),
    h: t.getHours(),
    min: t.getMinutes(),
    s: t.getSeconds(),
    weekday: WEEKDAYS[t.getDay()] ?? 'Mon',
  }
}

export class Calendar {
  private readonly parts: (ms: number) => Parts
  private readonly labels = new Map<number, string>()
  private zone: string | null

  /**
   * In a named zone (Intl), or with `null` in the process's own zone (TZ), which a refresh uses
   * unless `logs.timezone` names one: the same days and weeks (V8's local time is ICU's default
   * zone, the one Intl resolves), read without building a DateTimeFormat. `localName` gives that
   * zone's name when asked (default: Intl's answer; `report` remembers it, logs/local-zone.ts).
   */
  constructor(
    timeZone: string | null,
    private readonly localName: () => string = () => resolveTimeZone(null),
  ) {
    this.zone = timeZone
    if (timeZone === null) {
      this.parts = localParts
      return
    }
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    })
    this.parts = (ms) => {
      const p: Record<string, string> = {}
      for (const { type, value } of fmt.formatToParts(new Date(ms))) p[type] = value
      return {
        y: Number(p.year),
        m: Number(p.month),
        d: Number(p.day),
        h: Number(p.hour),
        min: Number(p.minute),
        s: Number(p.second),
        weekday: p.weekday ?? 'Mon',
      }
    }
  }

  /** The zone's IANA name (the process's own resolved on first ask: `report` prints it). */
  get timeZone(): string {
    this.zone ??= this.localName()
    return this.zone
  }

  /** Local time minus UTC at `ms`, in ms. */
  private offset(ms: number): number {
    const p = this.parts(ms)
    return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - (ms - (((ms % 1000) + 1000) % 1000))
  }

  /** The instant local midnight began on the day containing `ms`. */
  startOfDay(ms: number): number {
    const p = this.parts(ms)
    const wall = Date.UTC(p.y, p.m - 1, p.d)
    // Two passes settle the offset; a DST change at midnight leaves the first instant of the day.
    let t = wall - this.offset(ms)
    t = wall - this.offset(t)
    if (t > ms) t = wall - this.offset(ms)
    // Where clocks fall back at midnight (Cuba), midnight happens twice: take the first.
    for (const back of [3_600_000, 1_800_000]) {
      const q = this.parts(t - back)
      if (q.y === p.y && q.m === p.m && q.d === p.d) return t - back
    }
    return t
  }

  /** Midnight `n` days after the day that starts at `dayStart` (DST-safe). */
  addDays(dayStart: number, n: number): number {
    return this.startOfDay(dayStart + n * DAY_MS + DAY_MS / 2)
  }

  /** Monday 00:00 of the ISO week containing `ms`. */
  startOfWeek(ms: number): number {
    const day = this.startOfDay(ms)
    const back = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(this.parts(ms).weekday)
    return back > 0 ? this.addDays(day, -back) : day
  }

  /** `YYYY-MM-DD` of the local day containing `ms`; memoised per 15 minutes (bucket starts). */
  dayLabel(ms: number): string {
    const slot = Math.floor(ms / 900_000)
    let label = this.labels.get(slot)
    if (label === undefined) {
      const p = this.parts(slot * 900_000)
      label = `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`
      this.labels.set(slot, label)
    }
    return label
  }
}
