import { githubApiOrigin } from '../copilot/token.js'
import { z } from 'zod'
import { type GetJsonOptions, getJson, HttpError, withOrigin } from '../../http.js'
import type { SpendMeter, UsageSnapshot } from '../../model.js'
import { CREDIT_USD, OVERAGE_USD } from '../copilot/usage.js'
import { monthSpend, roundMoney } from '../spend.js'
import { numeric } from '../schema-parts.js'
import { fetchReports } from './reports.js'

/**
 * GitHub's organisation Copilot endpoints (providers-copilot-gemini-cursor-openrouter.md §1.7):
 * seats from `GET /orgs/{org}/copilot/billing`, this month's money from the enhanced-billing
 * reports `…/settings/billing/ai_credit/usage` (token billing since 2026-06) and
 * `…/premium_request/usage` (the legacy per-request billing). The old `/copilot/metrics` endpoint
 * answers 404 since 2026-04-02 and is not used. GitHub bills in USD; the reports carry no currency.
 */

const API = 'https://api.github.com'

const billingSchema = z.object({
  seat_breakdown: z
    .object({
      total: numeric.nullish(),
      inactive_this_cycle: numeric.nullish(),
      pending_invitation: numeric.nullish(),
    })
    .nullish(),
  plan_type: z.string().nullish(),
})

const reportSchema = z.object({
  usageItems: z.array(
    z.object({
      unitType: z.string().nullish(),
      pricePerUnit: numeric.nullish(),
      grossQuantity: numeric.nullish(),
      grossAmount: numeric.nullish(),
      netAmount: numeric.nullish(),
    }),
  ),
})

type Report = z.output<typeof reportSchema>

export interface OrgTarget {
  org: string
  /** `octocorp.ghe.com` → API at `api.octocorp.ghe.com`; `baseUrl` wins over both. */
  hostname: string | null
  baseUrl: string | undefined
}

export function apiUrl(t: OrgTarget, path: string): string {
  return withOrigin(`${API}${path}`, githubApiOrigin(t.hostname, t.baseUrl))
}

/** A report's meter, or why it is absent: `missing` (404, not on enhanced billing) or a note. */
type ReportResult = { report: Report } | { missing: true } | { note: string }

/**
 * A 404 from a usage report means this org has no such report: absent. A report that does not
 * parse drops only its own meter, with a note: the seats and the other report still show.
 */
async function optionalReport(url: string, http: GetJsonOptions, what: string): Promise<ReportResult> {
  try {
    return { report: (await getJson(url, reportSchema, http)).data }
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return { missing: true }
    if (err instanceof HttpError && err.kind === 'schema')
      return { note: `${what} left out (${err.message})` }
    throw err
  }
}

const reportOf = (r: ReportResult) => ('report' in r ? r.report : null)

export async function fetchOrgUsage(
  t: OrgTarget,
  o: { secret: string; timeoutMs: number; now: Date },
): Promise<UsageSnapshot> {
  const http: GetJsonOptions = {
    headers: {
      authorization: `Bearer ${o.secret}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      // GitHub refuses requests without a User-Agent.
      'user-agent': 'quotabar',
    },
    timeoutMs: o.timeoutMs,
    secrets: [o.secret],
  }
  const org = encodeURIComponent(t.org)
  // Credits reset on the 1st at 00:00 UTC, so "this month" is the UTC month.
  const period = `year=${o.now.getUTCFullYear()}&month=${o.now.getUTCMonth() + 1}`
  const billingPath = `/organizations/${org}/settings/billing`
  const [billing, credits, premium] = await Promise.allSettled([
    getJson(apiUrl(t, `/orgs/${org}/copilot/billing`), billingSchema, http),
    optionalReport(apiUrl(t, `${billingPath}/ai_credit/usage?${period}`), http, 'AI credits'),
    optionalReport(apiUrl(t, `${billingPath}/premium_request/usage?${period}`), http, 'premium requests'),
  ])
  // The seats call decides first: its 401/403/404 is the message the user needs.
  if (billing.status === 'rejected') throw billing.reason
  if (credits.status === 'rejected') throw credits.reason
  if (premium.status === 'rejected') throw premium.reason
  const dropped = [credits.value, premium.value].flatMap((r) => ('note' in r ? [r.note] : []))
  // Usage metrics after the seats call succeeded: its 401/403/404 already decided the account.
  const reports = await fetchReports(apiUrl(t, `/orgs/${org}/copilot/metrics/reports`), http, o.now)
  const notes = [...dropped, ...reports.notes]
  return {
    fetchedAt: o.now.toISOString(),
    plan: describeSeats(billing.value.data),
    email: null,
    // No report says how big the org's included pool is, so there is no `premium` window:
    // unknown is not zero, and a guessed denominator is worse than none.
    windows: [],
    spend: [
      ...meters(reportOf(credits.value), reportOf(premium.value), dropped.length > 0),
      ...reports.meters,
    ],
    ...(notes.length > 0 ? { notes } : {}),
  }
}

/**
 * GitHub's list prices, for an item that carries a quantity but neither an amount nor a price:
 * such an item is not free. By its unit, else by the report it came in.
 */
const LIST_PRICE: Record<string, number> = { 'ai-credits': CREDIT_USD, requests: OVERAGE_USD }

function totals(r: Report, listPrice: number) {
  let gross = 0
  let net = 0
  let requests = 0
  for (const i of r.usageItems) {
    const quantity = i.grossQuantity ?? 0
    const price = i.pricePerUnit ?? (i.unitType ? LIST_PRICE[i.unitType] : undefined) ?? listPrice
    gross += i.grossAmount ?? quantity * price
    net += i.netAmount ?? 0
    if (!i.unitType || i.unitType === 'requests') requests += quantity
  }
  return { gross: roundMoney(gross), net, requests: Math.round(requests) }
}

function meters(credits: Report | null, premium: Report | null, partial: boolean): SpendMeter[] {
  const out: SpendMeter[] = []
  let net = 0
  if (credits) {
    const c = totals(credits, CREDIT_USD)
    // Gross: what the org's AI credits were worth, included pool and billed overage together.
    out.push(monthSpend('credits', 'AI credits used', c.gross))
    net += c.net
  }
  if (premium && premium.usageItems.length > 0) {
    const p = totals(premium, OVERAGE_USD)
    out.push(monthSpend('premium-requests', 'Premium requests', p.gross, { requests: p.requests }))
    net += p.net
  }
  // Net: what goes on the bill beyond what the seats include; without one report it is unknown.
  if ((credits || premium) && !partial)
    out.push(monthSpend('billed', 'Billed beyond included', roundMoney(net)))
  return out
}

const PLANS: Record<string, string> = { business: 'Business', enterprise: 'Enterprise' }

/** `Business · 12 seats (3 inactive this cycle, 1 pending)`. */
function describeSeats(b: z.output<typeof billingSchema>): string {
  const plan = (b.plan_type && PLANS[b.plan_type]) || 'Copilot'
  const s = b.seat_breakdown
  if (s?.total === null || s?.total === undefined) return plan
  const notes = [
    s.inactive_this_cycle ? `${s.inactive_this_cycle} inactive this cycle` : null,
    s.pending_invitation ? `${s.pending_invitation} pending` : null,
  ].filter(Boolean)
  const seats = `${s.total} seat${s.total === 1 ? '' : 's'}`
  return `${plan} · ${seats}${notes.length ? ` (${notes.join(', ')})` : ''}`
}
