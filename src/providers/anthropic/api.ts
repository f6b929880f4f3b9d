import { z } from 'zod'
import { withOrigin } from '../../http.js'
import type { UsageSnapshot } from '../../model.js'
import type { SpendFetchOptions } from '../admin-spend.js'
import { fetchAllPages, reportPage } from '../pages.js'
import { type CostRow, type Counts, spendMeters, utcRanges } from '../spend.js'
import { currencyCode, numeric } from '../schema-parts.js'

/**
 * Anthropic Admin API (providers-claude-codex-admin-logs.md §4): `GET /v1/organizations/cost_report`
 * (the money, in cents as decimal strings) and `GET /v1/organizations/usage_report/messages`
 * (tokens), daily buckets from the start of the UTC month.
 */

export const COST_URL = 'https://api.anthropic.com/v1/organizations/cost_report'
export const USAGE_URL = 'https://api.anthropic.com/v1/organizations/usage_report/messages'

const rfc3339 = z.string().transform((s, ctx) => {
  const t = Date.parse(s)
  if (Number.isNaN(t)) {
    ctx.addIssue({ code: 'custom', message: `not a date: ${JSON.stringify(s.slice(0, 40))}` })
    return z.NEVER
  }
  return t
})

const page = <R extends z.ZodType>(row: R) => reportPage('starting_at', rfc3339, row)

// `amount` is in the lowest currency unit (cents) as a decimal string: "123.45" is $1.2345 (§4.2).
const costPage = page(
  z.object({
    amount: numeric.nullish(),
    currency: currencyCode.nullish(),
    workspace_id: z.string().nullish(),
  }),
)

const count = numeric.nullish()
const usagePage = page(
  z.object({
    uncached_input_tokens: count,
    cache_creation: z
      .object({ ephemeral_1h_input_tokens: count, ephemeral_5m_input_tokens: count })
      .nullish(),
    cache_read_input_tokens: count,
    output_tokens: count,
  }),
)

export interface AnthropicScope {
  workspaceId: string | null
  apiKeyId: string | null
}

function reportUrl(defaultUrl: string, o: SpendFetchOptions, monthStart: number): URL {
  const url = new URL(withOrigin(defaultUrl, o.baseUrl))
  url.searchParams.set('starting_at', new Date(monthStart).toISOString().replace('.000Z', 'Z'))
  url.searchParams.set('bucket_width', '1d')
  url.searchParams.set('limit', '31')
  return url
}

export async function fetchAnthropicSpend(
  scope: AnthropicScope,
  o: SpendFetchOptions,
): Promise<UsageSnapshot> {
  const { dayStart, monthStart } = utcRanges(o.now)
  const http = {
    headers: {
      'x-api-key': o.secret,
      'anthropic-version': '2023-06-01',
      accept: 'application/json',
      'user-agent': 'quotabar',
    },
    timeoutMs: o.timeoutMs,
    secrets: [o.secret],
  }
  const usageUrl = reportUrl(USAGE_URL, o, monthStart)
  if (scope.workspaceId) usageUrl.searchParams.append('workspace_ids[]', scope.workspaceId)
  if (scope.apiKeyId) usageUrl.searchParams.append('api_key_ids[]', scope.apiKeyId)
  // The cost report takes no filters, only group_by[]: a workspace is picked out of grouped rows,
  // and per-key costs do not exist at all (§4.2).
  const costUrl = reportUrl(COST_URL, o, monthStart)
  if (scope.workspaceId) costUrl.searchParams.append('group_by[]', 'workspace_id')
  const [costs, usage] = await Promise.all([
    fetchAllPages(costUrl, costPage, http),
    fetchAllPages(usageUrl, usagePage, http),
  ])
  const rows: CostRow[] = []
  for (const bucket of costs.flatMap((p) => p.data)) {
    for (const r of bucket.results ?? []) {
      if (r.amount === null || r.amount === undefined) continue
      if (scope.workspaceId && r.workspace_id !== scope.workspaceId) continue
      const currency = (r.currency ?? 'USD').toUpperCase()
      rows.push({ currency, amount: r.amount / 100, today: bucket.starting_at >= dayStart })
    }
  }
  // Tokens in = uncached + cache writes + cache reads (§4.1); the report has no request count,
  // so requests stay unknown rather than 0.
  const today: Counts = { tokens: 0, requests: null }
  const month: Counts = { tokens: 0, requests: null }
  for (const bucket of usage.flatMap((p) => p.data)) {
    for (const r of bucket.results ?? []) {
      const tokens =
        (r.uncached_input_tokens ?? 0) +
        (r.cache_creation?.ephemeral_1h_input_tokens ?? 0) +
        (r.cache_creation?.ephemeral_5m_input_tokens ?? 0) +
        (r.cache_read_input_tokens ?? 0) +
        (r.output_tokens ?? 0)
      month.tokens = (month.tokens ?? 0) + tokens
      if (bucket.starting_at >= dayStart) today.tokens = (today.tokens ?? 0) + tokens
    }
  }
  return {
    fetchedAt: o.now.toISOString(),
    plan: describeScope(scope),
    email: null,
    windows: [],
    spend: spendMeters(rows, { today, month }, costLabel(scope)),
  }
}

/** With an API key filter the tokens are that key's, but the money is its workspace's or org's. */
function costLabel(s: AnthropicScope): string {
  if (!s.apiKeyId) return 'API costs (UTC)'
  return `API costs (UTC, ${s.workspaceId ? 'whole workspace' : 'whole org'})`
}

function describeScope(s: AnthropicScope): string | null {
  const parts = [s.workspaceId ? `workspace ${s.workspaceId}` : null, s.apiKeyId ? `key ${s.apiKeyId}` : null]
  return parts.filter(Boolean).join(' · ') || null
}
