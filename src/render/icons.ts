import type { ProviderDescriptor } from '../providers/types.js'
import type { AccountView } from '../view.js'

/**
 * Config `icons` / `--icons`: `none` (default: text only, any font), `nerd` (Nerd Font glyphs,
 * https://www.nerdfonts.com/cheat-sheet) or `emoji`. Providers bring their own glyphs (their
 * descriptor's `icons`); the states that colour cannot say (old data, a cooldown, an expired
 * login, an error) get one here.
 */
export const ICON_STYLES = ['none', 'nerd', 'emoji'] as const

export type IconStyle = (typeof ICON_STYLES)[number]

export const isIconStyle = (v: string): v is IconStyle => (ICON_STYLES as readonly string[]).includes(v)

export type ProviderIcons = NonNullable<ProviderDescriptor['icons']>

type StateIcon = 'warning' | 'critical' | 'stale' | 'cooldown' | 'expired' | 'error' | 'pending'

// Font Awesome 4 code points, which every Nerd Font carries unchanged (nf-fa-*).
const STATE: Record<Exclude<IconStyle, 'none'>, Record<StateIcon, string>> = {
  nerd: {
    warning: '\uf071', // nf-fa-warning
    critical: '\uf06d', // nf-fa-fire
    stale: '\uf017', // nf-fa-clock_o
    cooldown: '\uf252', // nf-fa-hourglass_half
    expired: '\uf084', // nf-fa-key
    error: '\uf057', // nf-fa-times_circle
    pending: '\uf110', // nf-fa-spinner
  },
  emoji: {
    warning: '⚠️',
    critical: '🔥',
    stale: '🕒',
    cooldown: '⏳',
    expired: '🔑',
    error: '❌',
    pending: '⏳',
  },
}

const FALLBACK: ProviderIcons = { nerd: '\uf0e7', emoji: '⚡' } // nf-fa-bolt

export function providerIcon(style: IconStyle, icons: ProviderIcons | undefined): string {
  return style === 'none' ? '' : (icons ?? FALLBACK)[style]
}

/** What colour alone cannot say: old data, a cooldown, an expired login, no data. */
function stateOf(a: AccountView): StateIcon | null {
  if (a.status === 'ok') return null
  if (a.status === 'stale' || a.status === 'cooldown' || a.status === 'expired' || a.status === 'pending')
    return a.status
  return 'error'
}

export function stateIcon(style: IconStyle, a: AccountView): string {
  const s = style === 'none' ? null : stateOf(a)
  return s && style !== 'none' ? STATE[style][s] : ''
}

/** The level's glyph, for tooltip headers (warning and critical only: ok needs none). */
export function levelIcon(style: IconStyle, a: AccountView): string {
  if (style === 'none' || (a.level !== 'warning' && a.level !== 'critical')) return ''
  return STATE[style][a.level]
}

/** `{icon}`: the provider's glyph, then the state's when colour cannot say it. */
export function accountIcon(style: IconStyle, a: AccountView, icons: ProviderIcons | undefined): string {
  return `${providerIcon(style, icons)}${stateIcon(style, a)}`
}
