import { z } from 'zod'
import { withOrigin } from '../../http.js'
import type { UsageSnapshot } from '../../model.js'
import type { SpendFetchOptions } from '../admin-spend.js'
import { fetchAllPages, reportPage } from '../pages.js'
import { currencyCode, numeric } from '../schema-parts.js'
import { type CostRow, type Counts, spendMeters, utcRanges } from '../spend.js'

/**
 * OpenAI Admin API (providers-claude-codex-admin-logs.md §3): `GET /v1/organization/costs` (the
 * money) and `GET /v1/organization/usage/completions` (tokens and requests), daily buckets from
 * the start of the UTC month. Only the fields used are declared; unknown keys are dropped.
 */

export const COSTS_URL = 'https://api.openai.com/v1/organization/costs'
export const COMPLETIONS_URL = 'https://api.openai.com/v1/organization/usage/completions'

const page = <R extends z.ZodType>(result: R) => reportPage('start_time', z.number().int(), result)

// `amount.value` is a float in major units (not cents), sometimes a numeric string; `currency` is lower-case.
const costsPage = page(
  z.object({ amount: z.object({ value: numeric, currency: currencyCode.nullish() }).nullish() }),
)

// `input_tokens` already includes cached and cache-write tokens (§3.1): no double counting.
const completionsPage = page(
  z.object({
    input_tokens: numeric.nullish(),
    output_tokens: numeric.nullish(),
    num_model_requests: numeric.nullish(),
  }),
)

export interface OpenAiScope {
  projectId: string | null
  apiKeyId: string | null
}

function reportUrl(defaultUrl: string, scope: OpenAiScope, o: SpendFetchOptions, monthStart: number): URL {
  const url = new URL(withOrigin(defaultUrl, o.baseUrl))
  url.searchParams.set('start_time', String(Math.floor(monthStart / 1000)))
  url.searchParams.set('bucket_width', '1d')
  url.searchParams.set('limit', '31')
  // Bracketed arrays, as the official SDK sends them (§3.1).
  if (scope.projectId) url.searchParams.append('project_ids[]', scope.projectId)
  if (scope.apiKeyId) url.searchParams.append('api_key_ids[]', scope.apiKeyId)
  return url
}

export async function fetchOpenAiSpend(scope: OpenAiScope, o: SpendFetchOptions): Promise<UsageSnapshot> {
  const { dayStart, monthStart } = utcRanges(o.now)
  const http = {
    headers: { authorization: `Bearer ${o.secret}`, accept: 'application/json', 'user-agent': 'quotabar' },
    timeoutMs: o.timeoutMs,
    secrets: [o.secret],
  }
  const [costs, usage] = await Promise.all([
    fetchAllPages(reportUrl(COSTS_URL, scope, o, monthStart), costsPage, http),
    fetchAllPages(reportUrl(COMPLETIONS_URL, scope, o, monthStart), completionsPage, http),
  ])
  const isToday = (startSeconds: number) => startSeconds * 1000 >= dayStart
  const rows: CostRow[] = []
  for (const bucket of costs.flatMap((p) => p.data)) {
    for (const r of bucket.results ?? []) {
      if (!r.amount) continue
      const currency = (r.amount.currency ?? 'usd').toUpperCase()
      rows.push({ currency, amount: r.amount.value, today: isToday(bucket.start_time) })
    }
  }
  const today: Counts = { tokens: 0, requests: 0 }
  const month: Counts = { tokens: 0, requests: 0 }
  for (const bucket of usage.flatMap((p) => p.data)) {
    for (const r of bucket.results ?? []) {
      const tokens = (r.input_tokens ?? 0) + (r.output_tokens ?? 0)
      const requests = r.num_model_requests ?? 0
      for (const c of isToday(bucket.start_time) ? [today, month] : [month]) {
        c.tokens = (c.tokens ?? 0) + tokens
        c.requests = (c.requests ?? 0) + requests
      }
    }
  }
  return {
    fetchedAt: o.now.toISOString(),
    plan: describeScope(scope),
    email: null,
    windows: [],
    spend: spendMeters(rows, { today, month }, 'API costs (UTC)'),
  }
}

/** Shown next to the provider name, so accounts backed by one admin key tell themselves apart. */
function describeScope(s: OpenAiScope): string | null {
  const parts = [s.projectId ? `project ${s.projectId}` : null, s.apiKeyId ? `key ${s.apiKeyId}` : null]
  return parts.filter(Boolean).join(' · ') || null
}
