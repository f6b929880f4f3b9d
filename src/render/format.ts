import type { BalanceMeter, SpendMeter } from '../model.js'
import type { AccountView, View, WindowView } from '../view.js'

/** Shared, pure formatting used by every renderer. */

/** Removes control characters (newlines included) from provider-supplied text. */
export function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim()
}

export function escapePango(text: string): string {
  return clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** `2h 14m`, `4d 11h`, `38m`, `<1m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return '<1m'
  const d = Math.floor(s / 86400)
  const h = Math.floor((s % 86400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`
  return `${m}m`
}

export function formatAge(seconds: number | null): string {
  if (seconds === null) return 'never updated'
  return seconds < 60 ? 'updated just now' : `updated ${formatDuration(seconds)} ago`
}

export function countdown(resetsAt: string | null, nowMs: number): string | null {
  if (!resetsAt) return null
  return formatDuration((Date.parse(resetsAt) - nowMs) / 1000)
}

export function bar(percent: number, width = 10): string {
  const filled = Math.round((Math.min(Math.max(percent, 0), 100) / 100) * width)
  return '█'.repeat(filled) + '░'.repeat(width - filled)
}

export function pct(percent: number): string {
  return `${Math.round(percent)}%`
}

const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', CNY: '¥', INR: '₹' }
const ZERO_DECIMALS = new Set(['JPY', 'KRW'])

export function formatMoney(amount: number, currency: string): string {
  const digits = ZERO_DECIMALS.has(currency) ? 0 : 2
  const n = Math.abs(amount)
    .toFixed(digits)
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const sign = amount < 0 && Number(n.replace(/,/g, '')) !== 0 ? '-' : ''
  const sym = SYMBOLS[currency]
  return sym ? `${sign}${sym}${n}` : `${sign}${n} ${currency}`
}

/**
 * `$12.40` for an ISO currency; any other unit is a count (`2 resets`, `1.2k requests`), with
 * decimals only when the amount has them (`412.50 credits`).
 */
export function formatQuantity(amount: number, unit: string): string {
  if (/^[A-Z]{3}$/.test(unit) || !Number.isInteger(amount)) return formatMoney(amount, unit)
  return `${formatCount(amount)} ${unit}`
}

/** `$12.40`, `2 resets`: a balance's amount in its currency or unit. */
export function formatAmount(b: BalanceMeter): string {
  return formatQuantity(b.amount, b.currency)
}

/**
 * `$12.40 left`, `2 resets left · expires in 30d`: money for an ISO currency, a whole count of
 * any other unit, and the expiry when the provider dates it.
 */
export function formatBalance(b: BalanceMeter, nowMs: number): string {
  const amount = formatAmount(b)
  const left = b.expiresAt ? countdown(b.expiresAt, nowMs) : null
  return left ? `${amount} left · expires in ${left}` : `${amount} left`
}

const PERIOD: Record<SpendMeter['period'], string> = {
  day: 'today',
  week: 'this week',
  month: 'this month',
  block: 'this 5h block',
  total: 'in total',
}

/** `1.2M`, `35.4k`, `812`. */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`
  return String(Math.round(n))
}

/** `€7.63 of €40.00 this month (19%)`; `share: false` leaves the share out (a grid shows it apart). */
export function formatSpend(s: SpendMeter, share = true): string {
  return spendParts(s, share).join(' ')
}

/** formatSpend's text in two: the amount (`€7.63 of €40.00`), then the period and the rest. */
export function spendParts(s: SpendMeter, share = true): [string, string] {
  const used = `${s.estimated ? '~' : ''}${formatQuantity(s.used, s.currency)}`
  const of = s.limit === null ? '' : ` of ${formatMoney(s.limit, s.currency)}`
  const part = s.limit !== null && share ? ` (${pct((s.used / s.limit) * 100)})` : ''
  const counts = [
    s.tokens != null ? `${formatCount(s.tokens)} tokens` : null,
    s.requests != null ? `${formatCount(s.requests)} requests` : null,
  ].filter(Boolean)
  return [`${used}${of}`, [`${PERIOD[s.period]}${part}`, ...counts].join(' · ')]
}

export function problemText(view: View): string {
  const kind = view.problem?.kind
  return kind === 'config'
    ? 'quotabar: config error'
    : kind === 'credentials'
      ? 'quotabar: no accounts'
      : 'quotabar: error'
}

/** Plain-text detail lines for one account (used by the tooltip and by `--format plain` callers). */
export function windowLine(
  w: WindowView,
  nowMs: number,
): { label: string; bar: string; pct: string; reset: string } {
  const left = countdown(w.resetsAt, nowMs)
  const reset = w.rolledOver
    ? left
      ? `reset, next in ${left}`
      : 'reset'
    : left
      ? `resets in ${left}`
      : 'not started'
  return { label: clean(w.label), bar: bar(w.usedPercent), pct: pct(w.usedPercent), reset }
}

export function statusLine(a: AccountView, nowMs: number): string {
  const age = formatAge(a.ageSeconds)
  const retry = a.retryAt ? ` · next try in ${countdown(a.retryAt, nowMs)}` : ''
  const problem = a.error
    ? ` · ${clean(a.error.message)}${a.error.fix ? ` — ${clean(a.error.fix)}` : ''}`
    : ''
  return `${a.status} · ${age}${retry}${problem}`
}

// The local part's first character, then the domain: enough to tell accounts apart on a screen share.
const EMAIL = /([A-Za-z0-9_%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g

/** `alice@example.com` → `a…@example.com`; anything that is not an email stays as it is. */
export function redactEmail(email: string): string {
  return email.replace(EMAIL, '$1…@$2')
}

/**
 * The view with every email shown as `a…@domain` (`--redact`, config `privacy.redact`): the email
 * field, and emails inside labels, plan names and error messages (a label is often an email).
 */
export function redactView(view: View): View {
  const r = (s: string) => redactEmail(s)
  const err = <T extends { message: string; fix: string | null } | null>(e: T): T =>
    e ? { ...e, message: r(e.message), fix: e.fix === null ? null : r(e.fix) } : e
  return {
    ...view,
    problem: err(view.problem),
    accounts: view.accounts.map((a) => ({
      ...a,
      label: r(a.label),
      email: a.email === null ? null : r(a.email),
      plan: a.plan === null ? null : r(a.plan),
      error: err(a.error),
    })),
  }
}
