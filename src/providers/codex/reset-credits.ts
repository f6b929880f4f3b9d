import { z } from 'zod'
import { getJson, HttpError, withOrigin } from '../../http.js'
import type { BalanceMeter } from '../../model.js'
import { isoTime } from '../schema-parts.js'

/**
 * Banked rate-limit resets ("reset credits"). `wham/usage` carries only the counts
 * (`rate_limit_reset_credits: {available_count, applicable_available_count}`); the expiry of each
 * credit is on `GET /backend-api/wham/rate-limit-reset-credits`, asked only when the count says
 * there is something to date, so an account without banked resets costs no second request.
 */
export const CODEX_RESET_CREDITS_URL = 'https://chatgpt.com/backend-api/wham/rate-limit-reset-credits'

export const resetCountsSchema = z
  .object({
    available_count: z.number().int().nonnegative().nullish(),
    applicable_available_count: z.number().int().nonnegative().nullish(),
  })
  .nullish()

const creditListSchema = z.object({
  credits: z
    .array(
      z.object({
        status: z.string().nullish(),
        expires_at: isoTime,
        redeemed_at: z.string().nullish(),
      }),
    )
    .nullish(),
  available_count: z.number().int().nonnegative().nullish(),
})

export type ResetCounts = z.output<typeof resetCountsSchema>

/** The soonest expiry among credits still available (not redeemed); null when none is dated. */
export function soonestExpiry(list: z.output<typeof creditListSchema>): string | null {
  let soonest: string | null = null
  for (const c of list.credits ?? []) {
    if (c.redeemed_at || (c.status && c.status !== 'available') || !c.expires_at) continue
    if (soonest === null || c.expires_at < soonest) soonest = c.expires_at
  }
  return soonest
}

/**
 * The expiry is a detail beside the count: when its request fails (any reason, a 429 included)
 * the count is shown without a date rather than failing the account's usage.
 */
export async function fetchSoonestExpiry(
  baseUrl: string | undefined,
  headers: Record<string, string>,
  timeoutMs: number,
  secret: string,
): Promise<string | null> {
  try {
    const { data } = await getJson(withOrigin(CODEX_RESET_CREDITS_URL, baseUrl), creditListSchema, {
      headers,
      timeoutMs,
      secrets: [secret],
    })
    return soonestExpiry(data)
  } catch (err) {
    if (err instanceof HttpError) return null
    throw err
  }
}

/** The banked resets as a count meter (`2 resets`), only when there is at least one. */
export function resetCreditMeter(counts: ResetCounts, expiresAt: string | null): BalanceMeter | null {
  const count = counts?.available_count
  if (!count) return null
  // `applicable_available_count`: how many can reset a limit now (the others apply elsewhere).
  const usable = counts?.applicable_available_count
  const label =
    typeof usable === 'number' && usable !== count ? `Reset credits (${usable} usable now)` : 'Reset credits'
  return { id: 'reset-credits', label, amount: count, currency: 'resets', expiresAt }
}
