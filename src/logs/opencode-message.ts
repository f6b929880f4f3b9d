import { z } from 'zod'
import { costOf, type PricingTable } from './pricing.js'
import { addToBuckets, type Buckets, bucketKey, totalsOf } from './totals.js'

/**
 * One OpenCode message (OpenCode `message-v2.ts` `Assistant`, spec §5.2) → a request in the
 * buckets. `tokens.input` excludes cache reads and writes; `reasoning` is part of output (ccusage
 * ignores it); OpenCode's own `cost` counts when above 0, else the tokens are priced here.
 */

const count = z.number().nonnegative()
const messageSchema = z.object({
  id: z.string().nullish(),
  role: z.string(),
  time: z.object({ created: z.number() }),
  modelID: z.string().nullish(),
  cost: z.number().nullish(),
  tokens: z
    .object({
      input: count,
      output: count,
      cache: z.object({ read: count.catch(0), write: count.catch(0) }).nullish(),
    })
    .nullish(),
})

const FUTURE_MS = 86_400_000

/** Folds one message into `buckets`; returns a reason when it is not counted (null: counted). */
export function addMessage(
  json: unknown,
  buckets: Buckets,
  pricing: PricingTable,
  now: number,
): string | null {
  const parsed = messageSchema.safeParse(json)
  if (!parsed.success) return 'malformed-message'
  const m = parsed.data
  if (m.role !== 'assistant') return 'not-assistant'
  const t = m.tokens
  const cacheRead = t?.cache?.read ?? 0
  const cacheWrite = t?.cache?.write ?? 0
  if (!t || t.input + t.output + cacheRead + cacheWrite === 0) return 'zero-usage'
  const ts = m.time.created
  if (ts > now + FUTURE_MS) return 'future-timestamp'
  const model = m.modelID ?? 'unknown'
  const price = pricing.find(model)
  const own = m.cost !== null && m.cost !== undefined && m.cost > 0 ? m.cost : null
  // `tokens.input` excludes cache reads and writes; `reasoning` is part of output (ccusage ignores it).
  const cost =
    own ??
    (price
      ? costOf(price, { input: t.input, output: t.output, cacheRead, cache5m: cacheWrite, cache1h: 0 })
      : null)
  const usage = {
    ts,
    model,
    input: t.input,
    output: t.output,
    cacheRead,
    cacheWrite,
    cost,
    estimated: own === null,
  }
  addToBuckets(buckets, bucketKey(ts, model), totalsOf(usage))
  return cost === null ? 'unknown-model' : null
}

export const note = (reasons: Record<string, number>, r: string | null) => {
  if (r && r !== 'not-assistant') reasons[r] = (reasons[r] ?? 0) + 1
}
