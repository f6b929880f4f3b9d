import type { SpendMeter } from '../model.js'
import { type AccountView, levelOf, type View, type WindowView, windowLevel } from '../view.js'
import {
  clean,
  countdown,
  escapePango,
  formatAge,
  formatAmount,
  formatBalance,
  formatDuration,
  formatQuantity,
  formatSpend,
  pct,
  spendParts,
} from './format.js'
import { accountIcon, levelIcon } from './icons.js'
import { segmentColor } from './palette.js'
import { clockTime } from './segment.js'
import type { RenderOptions } from './types.js'

/**
 * The Waybar tooltip: one grid for every account. Rows are monospace (`<tt>`), every label is
 * padded to the widest one in the whole tooltip, so all bars start in one column and the
 * percentages line up right-aligned; bars take their level's colour. Lines with nothing to say
 * (a zero meter) are left out; a problem gets one short line and its reason wrapped below it.
 * From COMPACT_AT accounts on, each account is one row and only those at warning or worse keep
 * their detail, so the tooltip still fits a screen.
 */

const BAR = 24
const LABEL_MAX = 32
const TEXT_LABEL_MAX = 16
const WRAP = 72
/**
 * GTK wraps a tooltip line past 70 columns (measured under Waybar 0.9.17 with its default font:
 * 70 fit, 71 wrapped), which tears a grid row in two; rows stay within 66, room for other fonts.
 */
export const LINE_MAX = 66
export const COMPACT_AT = 8

/** One grid row: label, optional coloured meter, right-aligned share, free detail text. */
interface Row {
  label: string
  bold?: boolean
  /** 0–100+ share for the meter, or null for a text-only row (money without a limit). */
  percent: number | null
  color: string
  detail: string
  /** Where an even pace would be (share of the window elapsed): a mark inside the bar. */
  pace?: number | null
  /** Drawn in the meter's place (a sparkline), no share column. */
  cells?: string
  /** Where `detail` may be broken when the row is too long (default: after ` · ` and `, `). */
  parts?: string[]
}

interface Block {
  header: string | null
  rows: Row[]
  notes: string[]
}

export function renderTooltip(view: View, o: RenderOptions): string {
  const nowMs = Date.parse(view.generatedAt)
  const compact = view.accounts.length >= COMPACT_AT
  const blocks = view.accounts.map((a) =>
    compact && a.level !== 'warning' && a.level !== 'critical'
      ? compactBlock(a, view, o, nowMs)
      : fullBlock(a, view, o, nowMs),
  )
  const width = labelWidth(blocks.flatMap((b) => b.rows))
  const out: string[] = []
  blocks.forEach((b, i) => {
    // Full blocks are separated by a blank line; compact rows stack.
    if (i > 0 && (b.header !== null || blocks[i - 1]?.header !== null)) out.push('')
    if (b.header !== null) out.push(b.header)
    for (const r of b.rows) for (const line of fitRow(r, width)) out.push(gridRow(line, width, o))
    out.push(...b.notes)
  })
  return out.join('\n')
}

/** A row drawing a meter or a sparkline; the others are words only. */
const hasMeter = (r: Row) => r.cells !== undefined || r.percent !== null

/**
 * The label column: as wide as the widest meter label (at most LABEL_MAX) and the text-only labels
 * up to TEXT_LABEL_MAX. A longer text-only label (`API-equivalent (1 unpriced)`) runs past the
 * column on its own row instead of pushing every bar in the tooltip right, off the line.
 */
function labelWidth(rows: Row[]): number {
  const lengths = rows
    .filter((r) => hasMeter(r) || r.label.length <= TEXT_LABEL_MAX)
    .map((r) => r.label.length)
  return Math.min(LABEL_MAX, Math.max(0, ...lengths))
}

function gridRow(r: Row, width: number, o: RenderOptions): string {
  const label = fitLabel(r.label, hasMeter(r) ? width : Math.max(width, LABEL_MAX))
  const name = r.bold ? `<b>${escapePango(label)}</b>` : escapePango(label)
  const meter =
    r.cells !== undefined
      ? `${r.cells}       `
      : r.percent === null
        ? ''
        : `${coloredBar(r.percent, r.color, o.colors.unknown, r.pace ?? null)} ${pct(r.percent).padStart(4)}  `
  return `<tt> ${name}${' '.repeat(Math.max(0, width - label.length))}  ${meter}${escapePango(r.detail)}</tt>`
}

/**
 * A row as long as GTK shows on one line: detail that would run past LINE_MAX goes on rows of its
 * own below, starting in the meter's column as `runs out` does, broken after a ` · ` or `, `
 * (words only where one part is longer than a whole line).
 */
function fitRow(r: Row, width: number): Row[] {
  const indent = 1 + width + 2
  const lead = hasMeter(r) ? indent + BAR + 7 : 1 + Math.max(width, Math.min(r.label.length, LABEL_MAX)) + 2
  if (lead + r.detail.length <= LINE_MAX) return [r]
  const [first = '', ...rest] = breakDetail(r.parts ?? partsOf(r.detail), LINE_MAX - lead, LINE_MAX - indent)
  return [
    { ...r, detail: first },
    ...rest.map((detail) => ({ label: '', percent: null, color: r.color, detail })),
  ]
}

const trimSep = (s: string) => s.replace(/ \u00b7 $/, '').trimEnd()
/** `text` cut after each ` · ` and `, `, the separators kept: the places a row may break. */
const partsOf = (text: string) => text.split(/(?<= \u00b7 |, )/)

/**
 * The parts of a detail text in lines of at most `first` columns, then `rest`: broken between
 * parts, and between words only where a part is longer than its line. The first line may be
 * empty (no room).
 */
export function breakDetail(parts: string[], first: number, rest: number): string[] {
  const lines: string[] = []
  let line = ''
  const fits = (s: string) => trimSep(s).length <= (lines.length === 0 ? first : rest)
  const newLine = (next: string) => {
    lines.push(trimSep(line))
    line = next
  }
  for (const piece of parts) {
    if (fits(line + piece)) line += piece
    else if (line !== '' && trimSep(piece).length <= rest) newLine(piece)
    else {
      if (line !== '') newLine('')
      for (const word of piece.split(/(?<= )/)) {
        if (fits(line + word)) line += word
        else if (line === '' && lines.length > 0)
          line = word // a word longer than a whole line
        else newLine(word)
      }
    }
  }
  lines.push(trimSep(line))
  return lines
}

/**
 * The used part in the level's colour, the rest a grey shaded track (reads on dark and light);
 * `│` in the text colour where an even pace would be, so ahead or behind shows at a glance.
 */
function coloredBar(percent: number, color: string, track: string, pace: number | null): string {
  const cells = (p: number) => Math.round((Math.min(Math.max(p, 0), 100) / 100) * BAR)
  const filled = cells(percent)
  const mark = pace === null ? -1 : Math.min(BAR - 1, cells(pace))
  const run = (from: number, to: number, glyph: string, fg: string) =>
    to > from ? `<span foreground="${fg}">${glyph.repeat(to - from)}</span>` : ''
  const draw = (from: number, to: number, glyph: string, fg: string) =>
    mark >= from && mark < to
      ? `${run(from, mark, glyph, fg)}│${run(mark + 1, to, glyph, fg)}`
      : run(from, to, glyph, fg)
  return draw(0, filled, '█', color) + draw(filled, BAR, '░', track)
}

const SPARK = '▁▂▃▄▅▆▇█'

/** The last day of the driving window, one cell per bucket (0–100 % high); a gap is `·`. */
function sparkCells(values: (number | null)[], color: string, track: string): string {
  return values
    .map((v) =>
      v === null
        ? `<span foreground="${track}">·</span>`
        : `<span foreground="${color}">${SPARK[Math.min(7, Math.max(0, Math.floor((v / 100) * 8)))]}</span>`,
    )
    .join('')
}

function fitLabel(label: string, width: number): string {
  return label.length <= width ? label : `${label.slice(0, Math.max(0, width - 1))}…`
}

function header(a: AccountView, o: RenderOptions, extra: string[]): string {
  const style = o.icons ?? 'none'
  const icon = accountIcon(style, a, o.providerIcons?.[a.provider])
  const name = `${icon ? `${icon} ` : ''}${clean(a.label)}`
  const who = [o.providerNames[a.provider] ?? a.provider, a.plan, a.email, ...extra]
    .filter((x): x is string => Boolean(x))
    .map(clean)
  const marks = [a.active ? 'active' : '', a.best ? 'best now' : ''].filter(Boolean).join(' · ')
  const level = levelIcon(style, a)
  return `<b>${escapePango(name)}</b>${level ? ` ${level}` : ''}  <small>${escapePango(who.join(' · '))}</small>${marks ? `  <i>${marks}</i>` : ''}`
}

function fullBlock(a: AccountView, view: View, o: RenderOptions, nowMs: number): Block {
  const fresh = a.status === 'ok'
  const rows: Row[] = []
  for (const w of a.windows) {
    const color = o.colors[windowLevel(w, view.thresholds)]
    rows.push({
      label: clean(w.label),
      percent: w.usedPercent,
      color,
      detail: [resetText(w, nowMs), w.exhaustsAt ? '' : atReset(w)].filter(Boolean).join(' · '),
      pace: w.rolledOver ? null : w.elapsedPercent,
    })
    if (w.exhaustsAt) rows.push({ label: '', percent: null, color, detail: runsOut(w, w.exhaustsAt, nowMs) })
  }
  for (const s of a.spend) if (!isEmptyMeter(s)) rows.push(spendRow(s, view, o))
  for (const b of a.balances)
    rows.push({ label: clean(b.label), percent: null, color: '', detail: formatBalance(b, nowMs) })
  const spark = a.spark && a.driver ? a.spark : null
  // A day with a couple of points is no trend yet: the sparkline waits for a few hours of history.
  if (spark && spark.filter((v) => v !== null).length >= 3)
    rows.push({
      label: '',
      percent: null,
      color: '',
      cells: sparkCells(spark.slice(-BAR), segmentColor(a, o.colors), o.colors.unknown),
      detail: `${clean(a.driver?.label ?? '')} · last ${spark.length}h`,
    })
  // What the provider's answer had that could not be read (a malformed window), said once each.
  const notes = a.notes.flatMap((n) => wrap(clean(n), WRAP).map((l) => `<small>${escapePango(l)}</small>`))
  if (!fresh) notes.push(...statusNotes(a, o, nowMs))
  if (rows.length === 0 && fresh) notes.push('<small>no limits reported</small>')
  return { header: header(a, o, fresh ? [formatAge(a.ageSeconds)] : []), rows, notes }
}

/** `≈65% at reset`, from the recent burn rate; nothing when the history is too thin. */
function atReset(w: WindowView): string {
  return w.projectedPercent === null || w.rolledOver ? '' : `≈${pct(w.projectedPercent)} at reset`
}

/** `runs out ≈15:40 (in 1h 12m), 2h before reset`. */
function runsOut(w: WindowView, at: string, nowMs: number): string {
  const early = w.resetsAt ? (Date.parse(w.resetsAt) - Date.parse(at)) / 1000 : null
  const before = early !== null && early >= 60 ? `, ${formatDuration(early)} before reset` : ''
  return `runs out ≈${clockTime(at, nowMs)} (in ${countdown(at, nowMs)})${before}`
}

/** A whole account in one row: its driving meter, then the rest in words. */
function compactBlock(a: AccountView, _view: View, o: RenderOptions, nowMs: number): Block {
  const d = a.driver
  const icon = accountIcon(o.icons ?? 'none', a, o.providerIcons?.[a.provider])
  const others = a.windows.filter((w) => w.id !== d?.id).map((w) => `${clean(w.label)} ${pct(w.usedPercent)}`)
  const left = d ? countdown(d.resetsAt, nowMs) : null
  const detail = [
    o.providerNames[a.provider] ?? a.provider,
    d ? `${clean(d.label)}${left ? ` resets in ${left}` : ''}` : '',
    ...others,
    a.status === 'ok' ? '' : a.status,
  ].filter(Boolean)
  const row: Row = {
    label: `${icon ? `${icon} ` : ''}${clean(a.label)}`,
    bold: true,
    percent: d ? d.percent : null,
    color: segmentColor(a, o.colors),
    detail: d ? detail.join(' · ') : [detail.join(' · '), noData(a)].filter(Boolean).join(' · '),
  }
  return { header: null, rows: [row], notes: [] }
}

function noData(a: AccountView): string {
  const s = a.spend.find((x) => x.period === 'month') ?? a.spend[0]
  if (s) return formatQuantity(s.used, s.currency)
  const b = a.balances[0]
  return b ? `${formatAmount(b)} left` : ''
}

function resetText(w: WindowView, nowMs: number): string {
  const left = countdown(w.resetsAt, nowMs)
  if (w.rolledOver) return left ? `reset, next in ${left}` : 'reset'
  return left ? `resets in ${left}` : 'not started'
}

/** Zero spend with no limit and no counts: a line that says nothing. */
function isEmptyMeter(s: SpendMeter): boolean {
  return s.used === 0 && s.limit === null && !s.tokens && !s.requests
}

function spendRow(s: SpendMeter, view: View, o: RenderOptions): Row {
  if (s.limit === null || s.limit <= 0)
    return { label: clean(s.label), percent: null, color: '', detail: formatSpend(s) }
  const percent = (s.used / s.limit) * 100
  const [amount, rest] = spendParts(s, false)
  return {
    label: clean(s.label),
    percent,
    color: o.colors[levelOf(percent, view.thresholds)],
    detail: `${amount} ${rest}`,
    // `€7.63 of €40.00` / `this month` when the row is too long, not `… this` / `month`.
    parts: [`${amount} `, ...partsOf(rest)],
  }
}

/** One short line (status, next try, age), then the reason and its fix wrapped on their own lines. */
function statusNotes(a: AccountView, o: RenderOptions, nowMs: number): string[] {
  const color = a.status === 'stale' || a.status === 'pending' ? o.colors.stale : o.colors.error
  const retry = a.retryAt ? `next try in ${countdown(a.retryAt, nowMs)}` : ''
  const short = [`<span foreground="${color}"><b>${a.status}</b></span>`, retry, formatAge(a.ageSeconds)]
    .filter(Boolean)
    .join(' · ')
  const lines = [`<small>${short}</small>`]
  const e = a.error
  if (e) {
    for (const l of wrap(clean(e.message), WRAP)) lines.push(`<small><i>${escapePango(l)}</i></small>`)
    if (e.fix) for (const l of wrap(clean(e.fix), WRAP)) lines.push(`<small>${escapePango(l)}</small>`)
  }
  return lines
}

/** Greedy word wrap; a word longer than the width (a URL) gets a line of its own. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ').filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}
