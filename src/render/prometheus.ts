import type { AccountStatus } from '../model.js'
import type { AccountView } from '../view.js'
import type { Renderer } from './types.js'

/**
 * OpenMetrics text (docs/prometheus.md): for node_exporter's textfile collector and for
 * `quotabar serve`'s /metrics. Everything is a gauge, because the textfile collector parses the
 * classic text format, which knows no `info`/`stateset` types; `# UNIT` and `# EOF` are plain
 * comments there. No sample timestamps: the textfile collector rejects them. No emails either:
 * metrics travel to shared servers, and the plan and label are enough to tell accounts apart.
 */

type Labels = Record<string, string>

interface Family {
  name: string
  help: string
  unit?: string
  samples: { labels: Labels; value: number }[]
}

const STATUSES: AccountStatus[] = ['ok', 'stale', 'cooldown', 'expired', 'error', 'pending']

/** Label values: backslash, quote and newline escaped (the only escapes both parsers know); other controls dropped. */
export function escapeLabel(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ')
}

/** OpenMetrics also escapes `"` in HELP; the classic parser would keep the backslash, so avoid quotes. */
const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')

export function formatValue(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf'
  // Float noise such as 0.14300000000000002 only makes diffs and dashboards noisy.
  return String(Number(n.toPrecision(12)))
}

const seconds = (iso: string) => Date.parse(iso) / 1000
const ratio = (percent: number) => percent / 100

function accountFamilies(accounts: AccountView[]): Family[] {
  const f = (name: string, help: string, unit?: string): Family => ({ name, help, unit, samples: [] })
  const info = f('quotabar_account_info', 'Account metadata; the value is always 1.')
  const status = f('quotabar_account_status', 'Account status: 1 for the current one, 0 for the others.')
  const up = f('quotabar_account_up', 'Whether the last refresh succeeded and the data is fresh (status ok).')
  const age = f('quotabar_snapshot_age_seconds', 'Age of the last good snapshot.', 'seconds')
  const fetched = f('quotabar_snapshot_timestamp_seconds', 'Unix time of the last good snapshot.', 'seconds')
  const retry = f(
    'quotabar_retry_timestamp_seconds',
    'Unix time of the next refresh attempt after a failure or a provider cooldown.',
    'seconds',
  )
  const used = f(
    'quotabar_window_used_ratio',
    'Share of the quota window used, 0 to 1 (above 1 when the provider reports overage).',
    'ratio',
  )
  const resets = f('quotabar_window_resets_timestamp_seconds', 'Unix time the window resets.', 'seconds')
  const length = f('quotabar_window_length_seconds', 'Length of the quota window.', 'seconds')
  const elapsed = f('quotabar_window_elapsed_ratio', 'Share of the quota window elapsed, 0 to 1.', 'ratio')
  const pace = f(
    'quotabar_window_pace_delta_ratio',
    'Used minus elapsed share of the window: above 0 it is used faster than an even pace.',
    'ratio',
  )
  // Named as issue 12 asks (a percent, unlike the ratios): the forecast reads as "64 % at reset".
  const projected = f(
    'quotabar_window_projected_percent',
    'Usage the window reaches at its reset at the recent burn rate, in percent (absent while history is too thin).',
    'percent',
  )
  const exhausts = f(
    'quotabar_window_exhausts_timestamp_seconds',
    'Unix time the window reaches 100 percent at the recent burn rate, when that comes before its reset.',
    'seconds',
  )
  const spend = f('quotabar_spend_amount', 'Money spent in the period, in major units of the currency.')
  const limit = f('quotabar_spend_limit_amount', 'Spend limit or budget for the period, in major units.')
  const tokens = f('quotabar_spend_tokens', 'Tokens behind the spend in the period.')
  const requests = f('quotabar_spend_requests', 'Requests behind the spend in the period.')
  const balance = f('quotabar_balance_amount', 'Prepaid balance left, in major units of the currency.')

  for (const a of accounts) {
    const base = { provider: a.provider, account: a.id }
    info.samples.push({ labels: { ...base, label: a.label, plan: a.plan ?? '' }, value: 1 })
    for (const s of STATUSES)
      status.samples.push({ labels: { ...base, status: s }, value: a.status === s ? 1 : 0 })
    up.samples.push({ labels: base, value: a.status === 'ok' ? 1 : 0 })
    if (a.ageSeconds !== null) age.samples.push({ labels: base, value: a.ageSeconds })
    if (a.fetchedAt) fetched.samples.push({ labels: base, value: seconds(a.fetchedAt) })
    if (a.retryAt) retry.samples.push({ labels: base, value: seconds(a.retryAt) })
    for (const w of a.windows) {
      const labels = { ...base, window: w.id }
      used.samples.push({ labels, value: ratio(w.usedPercent) })
      if (w.resetsAt) resets.samples.push({ labels, value: seconds(w.resetsAt) })
      if (w.windowSeconds) length.samples.push({ labels, value: w.windowSeconds })
      if (w.elapsedPercent !== null) elapsed.samples.push({ labels, value: ratio(w.elapsedPercent) })
      if (w.paceDelta !== null) pace.samples.push({ labels, value: ratio(w.paceDelta) })
      if (w.projectedPercent !== null) projected.samples.push({ labels, value: w.projectedPercent })
      if (w.exhaustsAt) exhausts.samples.push({ labels, value: seconds(w.exhaustsAt) })
    }
    for (const s of a.spend) {
      const labels = { ...base, meter: s.id, period: s.period, currency: s.currency }
      spend.samples.push({ labels, value: s.used })
      if (s.limit !== null) limit.samples.push({ labels, value: s.limit })
      if (s.tokens != null) tokens.samples.push({ labels, value: s.tokens })
      if (s.requests != null) requests.samples.push({ labels, value: s.requests })
    }
    for (const b of a.balances) {
      balance.samples.push({ labels: { ...base, meter: b.id, currency: b.currency }, value: b.amount })
    }
  }
  return [
    info,
    status,
    up,
    age,
    fetched,
    retry,
    used,
    resets,
    length,
    elapsed,
    pace,
    projected,
    exhausts,
    spend,
    limit,
    tokens,
    requests,
    balance,
  ]
}

/** One family's block: HELP, TYPE, UNIT, then its samples (families are never interleaved). */
function formatFamily(family: Family): string[] {
  const lines = [`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} gauge`]
  if (family.unit) lines.push(`# UNIT ${family.name} ${family.unit}`)
  const seen = new Set<string>()
  for (const s of family.samples) {
    const labels = Object.entries(s.labels)
      .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
      .join(',')
    // Two windows with the same id would be a duplicate series, which fails the whole scrape.
    if (seen.has(labels)) continue
    seen.add(labels)
    lines.push(`${family.name}${labels ? `{${labels}}` : ''} ${formatValue(s.value)}`)
  }
  return lines
}

export const renderPrometheus: Renderer = (view) => {
  const families: Family[] = [
    {
      name: 'quotabar_accounts',
      help: 'Number of accounts rendered.',
      samples: [{ labels: {}, value: view.accounts.length }],
    },
    ...accountFamilies(view.accounts),
  ]
  if (view.problem) {
    families.push({
      name: 'quotabar_problem',
      help: 'Set when nothing can be shown (no accounts, or a config that cannot be read).',
      samples: [{ labels: { kind: view.problem.kind, message: view.problem.message }, value: 1 }],
    })
  }
  const lines = families.filter((f) => f.samples.length > 0).flatMap(formatFamily)
  return { text: `${lines.join('\n')}\n# EOF`, exitCode: 0 }
}
