import type { Level } from '../model.js'
import type { AccountView } from '../view.js'

/**
 * One palette for every format (config `colors`): Waybar spans and tooltip bars, i3blocks and
 * i3bar `color`, polybar `%{F…}`, tmux chips. Defaults read on dark and on light backgrounds.
 */
export type Palette = Record<Level | 'stale' | 'error', string>

export const DEFAULT_COLORS: Palette = {
  ok: '#3a9d23',
  warning: '#e07000',
  critical: '#d00000',
  unknown: '#7a7a7a',
  stale: '#5a7bd8',
  error: '#c01c28',
}

export type PaletteOverrides = Partial<Palette>

export function paletteFrom(overrides: PaletteOverrides | null | undefined): Palette {
  return { ...DEFAULT_COLORS, ...(overrides ?? {}) }
}

/** An account's colour: its level; with nothing to show, grey while pending, else the error colour. */
export function segmentColor(a: AccountView, colors: Palette): string {
  if (a.level !== 'unknown') return colors[a.level]
  return a.status === 'pending' ? colors.unknown : colors.error
}

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/** Black or white, whichever contrasts more with `background` (text on a tmux chip). */
export function textOn(background: string): '#000000' | '#ffffff' {
  const l = luminance(background)
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000000' : '#ffffff'
}
