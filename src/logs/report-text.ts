import { clean, formatCount, formatMoney } from '../render/format.js'
import type { Report, ReportRow } from './report.js'

/** The report as a terminal table, and the reasons behind skipped lines (`--verbose`). */

/** What each reason means, and whether the line still counted. */
export const REASONS: Record<string, string> = {
  'unparsable-line': 'not JSON (cut off or corrupt): skipped',
  'malformed-line': 'JSON of an unexpected shape: skipped',
  'malformed-usage': 'a usage object of an unexpected shape: skipped',
  'bad-timestamp': 'no readable timestamp: skipped',
  'future-timestamp': 'dated more than a day after now (clock skew): skipped',
  synthetic: "Claude Code's synthetic error / limit messages: skipped",
  'zero-usage': 'no tokens: skipped',
  duplicate: 'the same request logged again (the largest copy counts): skipped',
  'sidechain-replay': "a sub-agent's replay of a main-thread message: skipped",
  'subagent-replay': "a Codex sub-agent's replay of its parent's events: skipped",
  'oversized-line': 'a line over 64 MiB: skipped',
  'unknown-model': 'a model missing from the pricing table: tokens counted, cost unknown',
  'assumed-model': 'no model recorded: counted as gpt-5 (as ccusage does)',
  'malformed-message': 'an OpenCode message of an unexpected shape: skipped',
  'unparsable-message': 'an OpenCode message that is not JSON: skipped',
  'unreadable-database': 'an OpenCode database that could not be read: skipped',
  'incomplete-last-line': 'files whose last line is still being written: read next time',
}

const PERIOD: Record<string, string> = {
  day: 'today',
  week: 'this week',
  month: 'this month',
  block: '5h block',
  total: 'total',
}

function cells(r: ReportRow, name: string): string[] {
  const n = (v: number | null) => (v === null ? '—' : formatCount(v))
  const money = `${r.estimated ? '~' : ''}${formatMoney(r.cost, r.currency)}${r.unpricedRequests ? '+?' : ''}`
  return [
    name,
    n(r.inputTokens),
    n(r.outputTokens),
    n(r.cacheReadTokens),
    n(r.cacheWriteTokens),
    n(r.requests),
    money,
    r.share === null ? '—' : `${Math.round(r.share * 100)}%`,
  ]
}

export function renderReport(report: Report, o: { verbose: boolean; pricing: string }): string {
  const head = [
    report.by.toUpperCase(),
    'INPUT',
    'OUTPUT',
    'CACHE READ',
    'CACHE WRITE',
    'REQUESTS',
    'COST',
    'SHARE',
  ]
  const body = report.rows.map((r) =>
    cells(
      r,
      r.source === 'api' ? `${clean(r.key)} (API, ${PERIOD[r.period ?? ''] ?? r.period})` : clean(r.key),
    ),
  )
  const table = [head, ...body, cells(report.total, 'total')]
  const widths = head.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)))
  const line = (row: string[]) =>
    row
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  const span = report.days === 1 ? 'today' : `last ${report.days} days`
  const out = [`Usage ${report.from} – ${report.to} (${span}, ${report.timeZone}) by ${report.by}`, '']
  out.push(line(head), ...body.map(line), line(table[table.length - 1] ?? []))
  out.push('')
  if (report.rows.length === 0) out.push('No usage in this period.')
  out.push(
    `~ API-equivalent: priced here from token counts with ${o.pricing}; subscriptions do not pay this.`,
  )
  if (report.rows.some((r) => r.unpricedRequests > 0))
    out.push('+? some requests use a model with no price: their cost is missing.')
  if (report.rows.some((r) => r.source === 'api'))
    out.push(
      '(API, ...) rows are the amount the provider reports for its own period; only the same period shares the total.',
    )
  const noted = Object.entries(report.reasons).filter(([, r]) => Object.keys(r).length > 0)
  if (o.verbose) {
    out.push('', 'Lines skipped or counted with a caveat:')
    if (noted.length === 0) out.push('  none')
    for (const [key, reasons] of noted) {
      out.push(`  ${key}`)
      for (const [reason, count] of Object.entries(reasons).sort()) {
        out.push(`    ${String(count).padStart(7)}  ${reason} — ${REASONS[reason] ?? 'see the source'}`)
      }
    }
  } else if (noted.length > 0) {
    out.push('Some lines were skipped or counted with a caveat: --verbose lists why.')
  }
  return `${out.join('\n')}\n`
}
