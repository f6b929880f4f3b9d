/**
 * Token and cost sums kept per 15-minute bucket and model. A bucket is small enough to place in
 * any time zone's day (every UTC offset is a multiple of 15 minutes) and to place 5-hour blocks
 * (they start on whole UTC hours), yet a year of heavy use is a few thousand of them.
 */

export const BUCKET_MS = 15 * 60_000

/** `[input, output, cacheRead, cacheWrite, costUSD, requests, unpriced, estimated, firstMs, lastMs]` */
export type Totals = number[]

export const INPUT = 0
export const OUTPUT = 1
export const CACHE_READ = 2
export const CACHE_WRITE = 3
export const COST = 4
export const REQUESTS = 5
/** Requests whose model has no price: their tokens count, their cost is unknown (counted as 0). */
export const UNPRICED = 6
/** Requests priced here from token counts (as opposed to a cost the tool logged itself). */
export const ESTIMATED = 7
export const FIRST = 8
export const LAST = 9

/** `bucketIndex|model` → totals. */
export type Buckets = Record<string, Totals>

/** One request as every log format boils down to it. Input excludes cache reads and writes. */
export interface Usage {
  ts: number
  model: string
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
  /** USD; null when the model has no price. */
  cost: number | null
  /** True when the cost was computed here rather than logged by the tool. */
  estimated: boolean
}

export function totalsOf(u: Usage): Totals {
  return [
    u.input,
    u.output,
    u.cacheRead,
    u.cacheWrite,
    u.cost ?? 0,
    1,
    u.cost === null ? 1 : 0,
    u.cost !== null && u.estimated ? 1 : 0,
    u.ts,
    u.ts,
  ]
}

export const emptyTotals = (): Totals => [0, 0, 0, 0, 0, 0, 0, 0, Number.POSITIVE_INFINITY, 0]

export const bucketKey = (ts: number, model: string) => `${Math.floor(ts / BUCKET_MS)}|${model}`

export function splitKey(key: string): { bucket: number; model: string } {
  const bar = key.indexOf('|')
  return { bucket: Number(key.slice(0, bar)), model: key.slice(bar + 1) }
}

/** Adds `t` into `into` (first/last widen). */
export function addTotals(into: Totals, t: Totals): void {
  for (let i = 0; i < FIRST; i++) into[i] = (into[i] ?? 0) + (t[i] ?? 0)
  into[FIRST] = Math.min(into[FIRST] ?? Number.POSITIVE_INFINITY, t[FIRST] ?? Number.POSITIVE_INFINITY)
  into[LAST] = Math.max(into[LAST] ?? 0, t[LAST] ?? 0)
}

export function addToBuckets(buckets: Buckets, key: string, t: Totals): void {
  const b = buckets[key]
  if (b) addTotals(b, t)
  else buckets[key] = [...t]
}

/**
 * Takes a counted request back out (a larger duplicate replaces it). First/last stay: the
 * replacement has the same message and so nearly the same time.
 */
export function subtractFromBuckets(buckets: Buckets, key: string, t: Totals): void {
  const b = buckets[key]
  if (!b) return
  for (let i = 0; i < FIRST; i++) b[i] = (b[i] ?? 0) - (t[i] ?? 0)
  if ((b[REQUESTS] ?? 0) <= 0) delete buckets[key]
}

export const tokensOf = (t: Totals) =>
  (t[INPUT] ?? 0) + (t[OUTPUT] ?? 0) + (t[CACHE_READ] ?? 0) + (t[CACHE_WRITE] ?? 0)
