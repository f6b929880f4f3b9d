import { type CommandContext, loadContext, pickAccounts } from '../context.js'
import { historyCharts, historyJson, historyLines, loadHistory, parseSince } from '../history/report.js'
import { UsageError } from '../model.js'
import { writeFd } from './write-fd.js'
import type { Command } from './registry.js'
import { optionalString } from './options.js'

/** `quotabar history [SEL..] [--window ID] [--since 7d] [--json]`: what each refresh recorded. */

export interface HistoryOptions {
  selectors: string[]
  window: string | null
  since: string
  json: boolean
  chart: boolean
  columns: number
}

export function runHistory(ctx: CommandContext, o: HistoryOptions): { out: string; notes: string[] } {
  const accounts = pickAccounts(ctx, o.selectors)
  const nowMs = ctx.now().getTime()
  const sinceMs = parseSince(o.since, nowMs)
  if (sinceMs === null) throw new UsageError(`--since "${o.since}": use 90m, 36h, 7d, 2w or a past date`)
  const data = loadHistory(ctx.paths.stateDir, ctx.paths.cacheDir, accounts, sinceMs, nowMs, o.window)
  const notes = data.flatMap((a) => a.notes)
  if (o.json) return { out: historyJson(data, sinceMs, nowMs), notes }
  const lines = o.chart ? historyCharts(data, accounts, sinceMs, nowMs, o.columns) : historyLines(data)
  return { out: lines.join('\n'), notes }
}

export const historyCommand: Command = (y, done) =>
  y.command(
    'history [accounts..]',
    'the usage each refresh recorded, per window: a chart in a terminal, lines in a pipe, or --json',
    (c) =>
      c
        .positional('accounts', {
          type: 'string',
          array: true,
          default: [] as string[],
          describe: 'provider, provider/id or id (default: every account)',
        })
        .option('window', { type: 'string', describe: 'only this window id (session, weekly, ...)' })
        .option('since', {
          type: 'string',
          default: '7d',
          describe: 'how far back: 90m, 36h, 7d, 2w or a date',
        })
        .option('json', { type: 'boolean', default: false, describe: 'the points, resets and gaps as JSON' })
        .option('chart', {
          type: 'boolean',
          describe: 'a braille chart per window (default: when stdout is a terminal)',
        })
        .epilogue(
          'History lives in $XDG_STATE_HOME/quotabar/history/: 90 days, every point of today, one per 5 minutes for finished days, hourly after 2 days. A gap (a failed refresh, a 429 cooldown, the machine asleep) stays a gap.',
        ),
    async (args) => {
      const ctx = await loadContext(process.env, optionalString(args.config))
      const { out, notes } = runHistory(ctx, {
        selectors: args.accounts,
        window: args.window ?? null,
        since: args.since,
        json: args.json,
        chart: args.chart ?? Boolean(process.stdout.isTTY),
        columns: process.stdout.columns || 80,
      })
      for (const n of notes) writeFd(2, `quotabar: history: ${n}\n`)
      if (out) writeFd(1, `${out}\n`)
      done(0)
    },
  )
