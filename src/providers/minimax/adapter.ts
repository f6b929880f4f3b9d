import { z } from 'zod'
import type { BalanceMeter, ErrorInfo, UsageWindow } from '../../model.js'
import { type KeyReading, type KeyRequest, keyAdapter } from '../balance.js'
import { quotaWindow, type Scope, slugOf, uniqueIds } from '../quota-window.js'
import { epochTime, numberish } from '../schema-parts.js'
import type { ProviderAdapter } from '../types.js'
import { MINIMAX_KEY_ENV } from './descriptor.js'
import type { MinimaxAccount } from './fields.js'

/**
 * MiniMax Coding Plan (`GET /v1/api/openplatform/coding_plan/remains`) and Token Plan
 * (`GET /v1/token_plan/remains`) on `api.minimax.io` (China: `api.minimaxi.com`), Bearer
 * `sk-cp-…`. One entry per model: the current interval (a rolling 5 hours) and the week.
 *
 * The `…_remaining_percent` strings are the authority. The `…_usage_count` fields are read as the
 * REMAINING count by some clients and as the used count by others (the endpoint is "remains"), so
 * a percentage is never derived from them when the percent is there; only without it is the
 * count read as what remains, as the endpoint's name says.
 */
export const MINIMAX_CODING_URL = 'https://api.minimax.io/v1/api/openplatform/coding_plan/remains'
export const MINIMAX_TOKEN_URL = 'https://api.minimax.io/v1/token_plan/remains'
const CN_HOST = 'api.minimaxi.com'

const modelSchema = z.object({
  model_name: z.string().nullish(),
  current_interval_total_count: numberish,
  current_interval_usage_count: numberish,
  current_interval_remaining_percent: numberish,
  start_time: epochTime,
  end_time: epochTime,
  current_weekly_total_count: numberish,
  current_weekly_usage_count: numberish,
  current_weekly_remaining_percent: numberish,
  weekly_start_time: epochTime,
  weekly_end_time: epochTime,
})

export const minimaxRemainsSchema = z.object({
  base_resp: z.object({ status_code: z.number().nullish(), status_msg: z.string().nullish() }).nullish(),
  data: z
    .object({
      current_subscribe_title: z.string().nullish(),
      points_balance: numberish,
      model_remains: z.array(modelSchema).nullish(),
    })
    .nullish(),
  // Older coding-plan answers put the list at the top level.
  model_remains: z.array(modelSchema).nullish(),
})

type Remains = z.output<typeof minimaxRemainsSchema>
type ModelRemains = z.output<typeof modelSchema>

export function minimaxRequest(account: MinimaxAccount): KeyRequest {
  const url = new URL(account.plan === 'token' ? MINIMAX_TOKEN_URL : MINIMAX_CODING_URL)
  if (account.region === 'cn') url.host = CN_HOST
  return { url: url.toString() }
}

/** Used share: 100 − the remaining percent; without it, the count read as what remains. */
function usedPercent(
  percent: number | null | undefined,
  total: number | null | undefined,
  remains: number | null | undefined,
) {
  if (typeof percent === 'number') return 100 - percent
  if (typeof total === 'number' && total > 0 && typeof remains === 'number')
    return ((total - remains) / total) * 100
  return null
}

// The interval is a rolling 5 hours; a reported span far from that is not labelled as one.
const FIVE_HOURS_MS = 5 * 3600 * 1000
const isFiveHours = (m: ModelRemains) =>
  !m.start_time ||
  !m.end_time ||
  Math.abs(Date.parse(m.end_time) - Date.parse(m.start_time) - FIVE_HOURS_MS) <= 600_000

function modelWindows(m: ModelRemains, scope: Scope | null): UsageWindow[] {
  const out: UsageWindow[] = []
  const interval = usedPercent(
    m.current_interval_remaining_percent,
    m.current_interval_total_count,
    m.current_interval_usage_count,
  )
  if (interval !== null && isFiveHours(m))
    out.push(quotaWindow('session', interval, m.end_time ?? null, scope))
  const weekly = usedPercent(
    m.current_weekly_remaining_percent,
    m.current_weekly_total_count,
    m.current_weekly_usage_count,
  )
  if (weekly !== null) out.push(quotaWindow('weekly', weekly, m.weekly_end_time ?? null, scope))
  return out
}

function envelopeError(body: Remains): ErrorInfo | null {
  const code = body.base_resp?.status_code
  if (typeof code !== 'number' || code === 0) return null
  const message = `MiniMax reported an error (code ${code}${body.base_resp?.status_msg ? `: ${body.base_resp.status_msg}` : ''})`
  // 1004: authentication failed (MiniMax error codes); the plan key is `sk-cp-…`, not an API key.
  if (code === 1004)
    return {
      kind: 'auth',
      message,
      fix: 'use the Coding/Token Plan key (sk-cp-…) of the right platform (region)',
      httpStatus: null,
    }
  return {
    kind: 'http',
    message,
    fix: 'check the key, its plan ("plan": "coding" or "token") and region',
    httpStatus: null,
  }
}

export function mapMinimaxRemains(body: Remains): KeyReading | { error: ErrorInfo } {
  const error = envelopeError(body)
  if (error) return { error }
  const models = body.data?.model_remains ?? body.model_remains ?? []
  // One model is the plan itself: stable ids. Several: one scope each, named by the model.
  const windows = models.flatMap((m) =>
    modelWindows(
      m,
      models.length > 1 ? { slug: slugOf(m.model_name ?? 'model'), name: m.model_name ?? 'model' } : null,
    ),
  )
  const balances: BalanceMeter[] = []
  const points = body.data?.points_balance
  if (typeof points === 'number')
    balances.push({ id: 'points', label: 'Points', amount: points, currency: 'points' })
  return { plan: body.data?.current_subscribe_title ?? null, windows: uniqueIds(windows), balances }
}

export const minimaxAdapter = keyAdapter({
  id: 'minimax',
  name: 'MiniMax',
  url: MINIMAX_CODING_URL,
  keyEnv: MINIMAX_KEY_ENV,
  schema: minimaxRemainsSchema,
  request: minimaxRequest,
  read: mapMinimaxRemains,
}) satisfies ProviderAdapter<MinimaxAccount>
