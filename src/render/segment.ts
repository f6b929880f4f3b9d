import type { AccountView } from '../view.js'
import { clean, countdown, formatAmount, formatQuantity, pct } from './format.js'
import { accountIcon, type IconStyle, type ProviderIcons } from './icons.js'
import { fillTemplate, type Placeholder, type Template } from './template.js'

/** What one account's piece of the short text needs besides the account. */
export interface SegmentContext {
  nowMs: number
  icons: IconStyle
  providerIcons: Record<string, ProviderIcons>
  providerNames: Record<string, string>
}

/**
 * One account's piece of the short text. Without a template: `{icon} {label} {percent}`, the
 * pinned window's name before the number (`work 5h 42%`: a click or `--window` chose it), and
 * the countdown when critical (`client 94% 1h 12m`). `label` may be a shortened one (i3bar).
 */
export function segmentText(
  a: AccountView,
  ctx: SegmentContext,
  template: Template | null,
  label = clean(a.label),
): string {
  const value = (p: Placeholder) => placeholderValue(p, a, ctx, label)
  if (template) return fillTemplate(template, value)
  const d = a.driver
  // The countdown counts to whatever stops you first: the pace's run-out time (`≈`), else the reset.
  const left = d?.exhaustsAt
    ? `≈${countdown(d.exhaustsAt, ctx.nowMs)}`
    : d && a.level === 'critical'
      ? value('countdown')
      : ''
  const pinned = d?.pinned ? clean(d.label) : ''
  return [value('icon'), label, pinned, value('percent'), left].filter(Boolean).join(' ')
}

function placeholderValue(p: Placeholder, a: AccountView, ctx: SegmentContext, label: string): string {
  const d = a.driver
  switch (p) {
    case 'label':
      return label
    case 'provider':
      return clean(ctx.providerNames[a.provider] ?? a.provider)
    case 'icon':
      return accountIcon(ctx.icons, a, ctx.providerIcons[a.provider])
    case 'percent':
      return d ? marked(a, pct(d.percent)) : noShare(a)
    case 'remaining':
      return d ? marked(a, pct(Math.max(0, 100 - d.percent))) : noShare(a)
    case 'window':
      return d ? clean(d.label) : ''
    case 'countdown':
      return countdown(d?.resetsAt ?? null, ctx.nowMs) ?? ''
    case 'reset':
      return d?.resetsAt ? clockTime(d.resetsAt, ctx.nowMs) : ''
    case 'spend':
      return moneyText(a) ?? ''
    case 'status':
      return a.status === 'ok' ? '' : a.status
    case 'pace': {
      // Ahead (+) or behind (−) an even pace through the driving window.
      const delta = a.windows.find((w) => w.id === d?.id)?.paceDelta ?? null
      return delta === null ? '' : `${delta >= 0 ? '+' : '−'}${pct(Math.abs(delta))}`
    }
    case 'eta':
      return d?.exhaustsAt ? `≈${countdown(d.exhaustsAt, ctx.nowMs)}` : ''
    default:
      return p satisfies never
  }
}

/** `~42%` when the number is old (stale, cooldown), `42%!` when the login expired. */
function marked(a: AccountView, share: string): string {
  const old = a.status === 'stale' || a.status === 'cooldown' ? '~' : ''
  return `${old}${share}${a.status === 'expired' ? '!' : ''}`
}

/** No share to show: money-only accounts show their money, the others why there is no number. */
function noShare(a: AccountView): string {
  const money = moneyText(a)
  if (money) return marked(a, money)
  if (a.status === 'expired') return 'login'
  if (a.status === 'error' || a.status === 'cooldown') return 'err'
  return '--'
}

/** This month's spend (else the first meter), or the first balance with "left". */
export function moneyText(a: AccountView): string | null {
  const s = a.spend.find((x) => x.period === 'month') ?? a.spend[0]
  if (s) return formatQuantity(s.used, s.currency)
  const b = a.balances[0]
  return b ? `${formatAmount(b)} left` : null
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** Local wall-clock time: `15:40` within a day, `Tue 08:00` further out. */
export function clockTime(iso: string, nowMs: number): string {
  const at = new Date(iso)
  const hm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`
  return at.getTime() - nowMs < 86_400_000 ? hm : `${WEEKDAYS[at.getDay()]} ${hm}`
}
