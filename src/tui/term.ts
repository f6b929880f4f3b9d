import type { Env } from '../config/paths.js'

/**
 * How human output may look. Colour only on a terminal, never with NO_COLOR (no-color.org: any
 * non-empty value) or TERM=dumb; FORCE_COLOR=1 turns it on anyway (pagers, tests). Symbols and
 * bars are Unicode unless the locale is explicitly set to something that is not UTF-8 (LANG=C):
 * whether stdout is a terminal says nothing about what the reader's font can show. Commands
 * write Unicode and pass their output through `finish`.
 */
export interface Style {
  color: boolean
  unicode: boolean
}

export function styleFor(env: Env, isTTY: boolean): Style {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== ''
  const color = forced || (isTTY && !env.NO_COLOR && env.TERM !== 'dumb')
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG
  return { color, unicode: !locale || /utf-?8/i.test(locale) }
}

export type Tone = 'ok' | 'warning' | 'critical' | 'unknown' | 'stale' | 'error' | 'dim' | 'bold' | 'accent'

// 16-colour codes, so the user's terminal theme decides the actual colours.
const SGR: Record<Tone, string> = {
  ok: '32',
  warning: '33',
  critical: '31',
  unknown: '2',
  stale: '34',
  error: '31',
  dim: '2',
  bold: '1',
  accent: '36',
}

export function paint(style: Style, tone: Tone | null, text: string): string {
  return style.color && tone && text ? `\x1b[${SGR[tone]}m${text}\x1b[0m` : text
}

export const GLYPHS = {
  ok: '✓',
  fail: '✗',
  warn: '!',
  info: '·',
  full: '█',
  empty: '░',
  dash: '—',
  ellipsis: '…',
}

// One column each, so a table keeps its alignment after the swap.
const ASCII: Record<string, string> = { '✓': '+', '✗': 'x', '·': '-', '█': '#', '░': '.', '—': '-', '…': '.' }

/** The finished text for the reader: Unicode as written, or its one-column ASCII stand-ins. */
export function finish(style: Style, text: string): string {
  return style.unicode
    ? text
    : text.replace(/[\u2713\u2717\u00b7\u2588\u2591\u2014\u2026]/g, (ch) => ASCII[ch] ?? ch)
}

export function meter(percent: number, width: number): string {
  const filled = Math.round((Math.min(Math.max(percent, 0), 100) / 100) * width)
  return GLYPHS.full.repeat(filled) + GLYPHS.empty.repeat(width - filled)
}

/** Terminal columns a string takes, ignoring colour codes (wide East Asian characters count 2). */
export function visibleWidth(text: string): number {
  let w = 0
  for (const ch of text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')) {
    const c = ch.codePointAt(0) ?? 0
    if (c < 0x20 || (c >= 0x300 && c < 0x370) || c === 0x200b) continue
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1faff) ||
      (c >= 0x20000 && c <= 0x3fffd)
        ? 2
        : 1
  }
  return w
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)))
}

export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - visibleWidth(text))) + text
}

/** Cuts plain text to `width` columns with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text
  let out = ''
  for (const ch of text) {
    if (visibleWidth(out + ch) > width - 1) break
    out += ch
  }
  return `${out}…`
}

/** `2026-11-22 10:05` in the local time zone (TZ), for "until" times a person reads. */
export function localTime(iso: string): string {
  const d = new Date(iso)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}
