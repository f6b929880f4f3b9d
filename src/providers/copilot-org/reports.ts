import { z } from 'zod'
import { type GetJsonOptions, getJson, getText, HttpError, isLoopback } from '../../http.js'
import type { SpendMeter } from '../../model.js'
import { numberish } from '../schema-parts.js'

/**
 * Copilot usage metrics reports (providers-copilot-gemini-cursor-openrouter.md §1.7):
 * `GET /orgs/{org}/copilot/metrics/reports/organization-28-day/latest` and
 * `…/organization-1-day?day=YYYY-MM-DD` answer with signed `download_links` (time-limited blob
 * URLs). The files are fetched WITHOUT the token (the signature is the credential; the token must
 * never reach the blob host), over https only (loopback excepted, for tests and local proxies),
 * and their `day_totals` are summed into requests and tokens.
 *
 * Two states are not errors: the org's "Copilot usage metrics" policy is off (GitHub refuses the
 * report), and a report with no data yet (`download_links: []`). Both become a note; the seats
 * and credits beside them still show.
 */

const linksSchema = z.object({
  download_links: z.array(z.string()),
  report_day: z.string().nullish(),
  report_start_day: z.string().nullish(),
  report_end_day: z.string().nullish(),
})

const tokensSchema = z.object({ prompt_tokens_sum: numberish, output_tokens_sum: numberish }).nullish()
const countsSchema = z.object({ request_count: numberish, token_usage: tokensSchema })
const dayTotalSchema = countsSchema.extend({ totals_by_cli: countsSchema.nullish() })
const recordSchema = z.object({ day_totals: z.array(dayTotalSchema).nullish() })

export interface ReportTotals {
  requests: number
  tokens: number
  /** Records in the files that did not have the expected shape (skipped, counted here). */
  skipped: number
}

const DOWNLOAD_MAX_BYTES = 16 * 1024 * 1024

/** A report file: one JSON document (a record or an array of them) or NDJSON, one record a line. */
export function parseRecords(text: string): unknown[] {
  try {
    const whole: unknown = JSON.parse(text)
    return Array.isArray(whole) ? whole : [whole]
  } catch {
    const out: unknown[] = []
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      try {
        out.push(JSON.parse(line))
      } catch {
        out.push(null)
      }
    }
    return out
  }
}

export function sumDayTotals(records: unknown[], into: ReportTotals): ReportTotals {
  for (const r of records) {
    const parsed = recordSchema.safeParse(r)
    if (!parsed.success) {
      into.skipped++
      continue
    }
    for (const d of parsed.data.day_totals ?? []) {
      const c = typeof d.request_count === 'number' ? d : (d.totals_by_cli ?? d)
      into.requests += c.request_count ?? 0
      into.tokens += (c.token_usage?.prompt_tokens_sum ?? 0) + (c.token_usage?.output_tokens_sum ?? 0)
    }
  }
  return into
}

/** https, or plain http to a loopback address; anything else is never fetched. */
export function downloadable(link: string): boolean {
  try {
    const u = new URL(link)
    return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u.hostname))
  } catch {
    return false
  }
}

export type ReportState =
  | { kind: 'totals'; totals: ReportTotals; from: string | null; to: string | null }
  | { kind: 'note'; note: string }
  | { kind: 'absent' }

const POLICY = /polic|disabled|not enabled/i

async function fetchReport(
  url: string,
  http: GetJsonOptions,
  what: string,
  timeoutMs: number,
): Promise<ReportState> {
  let links: z.output<typeof linksSchema>
  try {
    links = (await getJson(url, linksSchema, http)).data
  } catch (err) {
    if (!(err instanceof HttpError)) throw err
    if ((err.status === 403 || err.status === 422) && POLICY.test(err.providerMessage ?? ''))
      return {
        kind: 'note',
        note: `${what}: the "Copilot usage metrics" policy is off for this organisation (an owner can turn it on)`,
      }
    if (err.kind === 'rate-limited' || err.kind === 'auth') throw err
    // No such report for this org (not on usage metrics, or a host without them): absent.
    if (err.status === 404) return { kind: 'absent' }
    return { kind: 'note', note: `${what} left out (${err.message})` }
  }
  const from = links.report_start_day ?? links.report_day ?? null
  const to = links.report_end_day ?? links.report_day ?? null
  if (links.download_links.length === 0) return { kind: 'note', note: `${what}: no data yet` }
  const totals: ReportTotals = { requests: 0, tokens: 0, skipped: 0 }
  for (const link of links.download_links) {
    if (!downloadable(link))
      return { kind: 'note', note: `${what} left out (a download link that is not https was refused)` }
    try {
      // Only a User-Agent: no Authorization, no cookie, nothing of the account's.
      const { body } = await getText(link, {
        headers: { 'user-agent': 'quotabar', accept: 'application/json' },
        timeoutMs,
        maxBytes: DOWNLOAD_MAX_BYTES,
      })
      sumDayTotals(parseRecords(body), totals)
    } catch (err) {
      if (!(err instanceof HttpError)) throw err
      // The signed links expire; the next refresh asks for fresh ones.
      return { kind: 'note', note: `${what} left out (its download failed: HTTP ${err.status ?? err.kind})` }
    }
  }
  return { kind: 'totals', totals, from, to }
}

const dayBefore = (now: Date) => new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10)

/** The 28-day report, then the 1-day report for its last day (the newest one processed). */
export async function fetchReports(
  base: string,
  http: GetJsonOptions,
  now: Date,
): Promise<{ meters: SpendMeter[]; notes: string[] }> {
  const month = await fetchReport(
    `${base}/organization-28-day/latest`,
    http,
    'usage metrics, 28 days',
    http.timeoutMs,
  )
  const day = month.kind === 'totals' && month.to ? month.to : dayBefore(now)
  const oneDay = await fetchReport(
    `${base}/organization-1-day?day=${encodeURIComponent(day)}`,
    http,
    `usage metrics, ${day}`,
    http.timeoutMs,
  )
  const meters: SpendMeter[] = []
  const notes: string[] = []
  for (const [r, id, label] of [
    [month, 'metrics-28d', 'Copilot, 28 days'],
    [oneDay, 'metrics-1d', `Copilot, ${day}`],
  ] as const) {
    if (r.kind !== 'totals') {
      if (r.kind === 'note') notes.push(r.note)
      continue
    }
    meters.push({
      id,
      label: id === 'metrics-28d' && r.from && r.to ? `${label} (${r.from} – ${r.to})` : label,
      used: r.totals.requests,
      limit: null,
      currency: 'requests',
      period: 'total',
      tokens: r.totals.tokens,
    })
    if (r.totals.skipped > 0)
      notes.push(`${label}: ${r.totals.skipped} report records of another shape skipped`)
  }
  return { meters, notes }
}
