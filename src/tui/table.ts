import type { Thresholds } from '../model.js'
import { clean, countdown, formatAmount, formatDuration, formatMoney, pct } from '../render/format.js'
import { type AccountView, levelOf, type WindowView } from '../view.js'
import { GLYPHS, meter, padEnd, paint, type Style, type Tone, truncate, visibleWidth } from './term.js'

/**
 * `quotabar show`: a table per account (pure: views in, lines out). The 5-hour and weekly
 * windows get a column each (percent, bar, countdown), everything else a compact `Other` cell.
 * A table too wide for the terminal first moves `Other` to a line of its own under each account
 * (wrapped, never cut), then narrows bars and names and drops the descriptive columns (plan,
 * provider, age): no window, spend or balance is ever left out.
 */

export interface TableOptions {
  nowMs: number
  style: Style
  thresholds: Thresholds
  providerNames: Record<string, string>
  /** Terminal columns; null = no limit (not a terminal). */
  width: number | null
  title: { left: string; right: string }
}

type Part = { text: string; tone: Tone | null }
type Cell = Part[]
interface Column {
  id: string
  header: string
  cells: Cell[]
}

const MAIN = [
  { id: 'session', header: '5h' },
  { id: 'weekly', header: '7d' },
]
const STATUS_TONE: Record<AccountView['status'], Tone> = {
  ok: 'ok',
  stale: 'stale',
  cooldown: 'warning',
  expired: 'error',
  error: 'error',
  pending: 'dim',
}

const plain = (text: string, tone: Tone | null = null): Cell => [{ text, tone }]
const cellWidth = (c: Cell) => c.reduce((w, p) => w + visibleWidth(p.text), 0)

function windowColumn(views: AccountView[], id: string, header: string, o: TableOptions, barWidth: number) {
  const g = GLYPHS
  const found = views.map((v) => v.windows.find((w) => w.id === id))
  const reset = (w: WindowView) =>
    w.rolledOver && !w.resetsAt ? 'reset' : (countdown(w.resetsAt, o.nowMs) ?? g.dash)
  const resetWidth = Math.max(0, ...found.map((w) => (w ? visibleWidth(reset(w)) : 0)))
  const cells = found.map((w): Cell => {
    if (!w) return plain(g.dash.padStart(4), 'dim')
    const tone = levelOf(w.usedPercent, o.thresholds)
    return [
      { text: pct(w.usedPercent).padStart(4), tone },
      { text: ' ', tone: null },
      { text: meter(w.usedPercent, barWidth), tone },
      { text: ' ', tone: null },
      { text: padEnd(reset(w), resetWidth), tone: 'dim' },
    ]
  })
  return { id, header, cells }
}

function otherText(v: AccountView, nowMs: number): string {
  const parts = v.windows
    .filter((w) => !MAIN.some((m) => m.id === w.id))
    .map((w) => {
      const left = w.rolledOver ? null : countdown(w.resetsAt, nowMs)
      return `${clean(w.label)} ${pct(w.usedPercent)}${left ? ` ${left}` : ''}`
    })
  for (const s of v.spend) {
    const limit = s.limit === null ? '' : `/${formatMoney(s.limit, s.currency)}`
    parts.push(`${clean(s.label)} ${s.estimated ? '~' : ''}${formatMoney(s.used, s.currency)}${limit}`)
  }
  for (const b of v.balances) parts.push(`${clean(b.label)} ${formatAmount(b)}`)
  return parts.join(' · ')
}

function statusText(v: AccountView, nowMs: number): string {
  return v.status === 'cooldown' && v.retryAt ? `cooldown ${countdown(v.retryAt, nowMs)}` : v.status
}

function buildColumns(
  views: AccountView[],
  o: TableOptions,
  drop: Set<string>,
  barWidth: number,
  nameMax: number,
) {
  const g = GLYPHS
  const dash = (s: string | null) => (s ? clean(s) : g.dash)
  const all: Column[] = [
    {
      id: '#',
      header: '#',
      cells: views.map((v, i) => plain(`${v.best ? '>' : ' '}${i + 1}`, v.best ? 'accent' : null)),
    },
    {
      id: 'account',
      header: 'Account',
      cells: views.map((v) => [
        { text: truncate(clean(v.label), nameMax), tone: 'bold' },
        { text: v.active ? ' *' : '', tone: 'accent' },
      ]),
    },
    {
      id: 'provider',
      header: 'Provider',
      cells: views.map((v) => plain(o.providerNames[v.provider] ?? v.provider)),
    },
    { id: 'plan', header: 'Plan', cells: views.map((v) => plain(dash(v.plan))) },
    ...MAIN.map((m) => windowColumn(views, m.id, m.header, o, barWidth)),
    { id: 'other', header: 'Other', cells: views.map((v) => plain(otherText(v, o.nowMs))) },
    {
      id: 'status',
      header: 'Status',
      cells: views.map((v) => plain(statusText(v, o.nowMs), STATUS_TONE[v.status])),
    },
    {
      id: 'age',
      header: 'Age',
      cells: views.map((v) => plain(v.ageSeconds === null ? g.dash : formatDuration(v.ageSeconds), 'dim')),
    },
  ]
  // A column nobody has anything in (Other for plain Claude accounts) is noise.
  return all.filter((c) => !drop.has(c.id) && (c.id !== 'other' || c.cells.some((x) => cellWidth(x) > 0)))
}

function renderRows(columns: Column[], o: TableOptions, below: string[][] | null): string[] {
  const widths = columns.map((c) => Math.max(visibleWidth(c.header), ...c.cells.map(cellWidth)))
  const line = (cells: Cell[]) =>
    cells
      .map((cell, i) => {
        const text = cell.map((p) => paint(o.style, p.tone, p.text)).join('')
        return i === cells.length - 1 ? text : text + ' '.repeat((widths[i] ?? 0) - cellWidth(cell))
      })
      .join('  ')
      .trimEnd()
  const header = paint(o.style, 'bold', line(columns.map((c) => plain(c.header))))
  // Continuation lines start under the Account column.
  const indent = ' '.repeat((widths[0] ?? 0) + 2)
  const rows = (columns[0]?.cells ?? []).flatMap((_, r) => [
    line(columns.map((c) => c.cells[r] ?? [])),
    ...(below?.[r] ?? []).map((l) => indent + l),
  ])
  return [header, ...rows]
}

/** `Opus 12% 4d 22h · Extra €7.63/€40.00` wrapped at its separators to `width` columns. */
function wrapParts(text: string, width: number): string[] {
  if (!text) return []
  const lines: string[] = []
  let line = ''
  for (const part of text.split(' · ')) {
    const next = line ? `${line} · ${part}` : part
    if (line && visibleWidth(next) > width) {
      lines.push(line)
      line = part
    } else line = next
  }
  return [...lines, line]
}

const tableWidth = (lines: string[]) => Math.max(0, ...lines.map(visibleWidth))

// Tried in order until the table fits: each step gives up something less useful than the last.
// `inline: false` moves Other under each account's row; nothing that is data is ever dropped.
const FITS: { drop: string[]; inline: boolean; bar: number; name: number }[] = [
  { drop: [], inline: true, bar: 10, name: 40 },
  { drop: [], inline: false, bar: 10, name: 24 },
  { drop: ['plan'], inline: false, bar: 10, name: 16 },
  { drop: ['plan'], inline: false, bar: 5, name: 12 },
  { drop: ['plan', 'provider', 'age'], inline: false, bar: 5, name: 10 },
]

export function renderTable(views: AccountView[], o: TableOptions): string[] {
  let rows: string[] = []
  for (const fit of FITS) {
    const drop = new Set(fit.inline ? fit.drop : [...fit.drop, 'other'])
    const columns = buildColumns(views, o, drop, fit.bar, fit.name)
    const room = Math.max(20, (o.width ?? Number.POSITIVE_INFINITY) - 4)
    const below = fit.inline ? null : views.map((v) => wrapParts(otherText(v, o.nowMs), room))
    rows = renderRows(columns, o, below)
    if (o.width === null || tableWidth(rows) <= o.width) break
  }
  const target = Math.min(tableWidth(rows), o.width ?? Number.POSITIVE_INFINITY)
  const { left, right } = o.title
  const gap = Math.max(2, target - visibleWidth(left) - visibleWidth(right))
  // A terminal too narrow for both halves keeps the left one.
  const title =
    o.width !== null && visibleWidth(left) + gap + visibleWidth(right) > o.width
      ? paint(o.style, 'bold', truncate(left, o.width))
      : `${paint(o.style, 'bold', left)}${' '.repeat(gap)}${paint(o.style, 'dim', right)}`
  return [title, ...rows, ...footer(views, o)]
}

function wrapWords(text: string, width: number | null): string[] {
  if (width === null || visibleWidth(text) <= width) return [text]
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word
    if (line && visibleWidth(next) > width) {
      lines.push(line)
      line = word
    } else line = next
  }
  return [...lines, line].map((l) => truncate(l, width))
}

function footer(views: AccountView[], o: TableOptions): string[] {
  const clip = (text: string) => (o.width ? truncate(text, o.width) : text)
  const legend = [
    views.some((v) => v.active) ? '* active login (a new session of its CLI uses it)' : '',
    views.some((v) => v.best) ? '> most headroom now (quotabar best)' : '',
  ].filter(Boolean)
  const problems = views.flatMap((v, i) => {
    const e = v.error
    if (!e) return []
    const text = `${i + 1} ${clean(v.label)}: ${clean(e.message)}${e.fix ? ` ${GLYPHS.dash} ${clean(e.fix)}` : ''}`
    // Wrapped, not cut: the reason is the part that says what to do.
    return wrapWords(text, o.width).map((l) => paint(o.style, STATUS_TONE[v.status], l))
  })
  const out = problems.length || legend.length ? ['', ...problems] : []
  if (legend.length) out.push(paint(o.style, 'dim', clip(legend.join('   '))))
  return out
}
