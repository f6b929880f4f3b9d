import { readEntry } from '../cache/store.js'
import { type AccountUsage, logKindOf, scanAccount } from '../logs/local.js'
import { localZoneName } from '../logs/local-zone.js'
import { type Calendar, calendarFor, TimeZoneError } from '../logs/periods.js'
import { loadPricing, type PricingTable } from '../logs/pricing.js'
import { type ApiSpend, buildReport, type ReportBy } from '../logs/report.js'
import { renderReport } from '../logs/report-text.js'
import { type CommandContext, loadContext, pickAccounts } from '../context.js'
import { CommandError, UsageError } from '../model.js'
import { writeFd } from './write-fd.js'
import { pricingCommand } from './pricing.js'
import type { Command } from './registry.js'
import { optionalString } from './options.js'

/** `quotabar report`: tokens, requests and cost per account, model or day from the local logs. */

export interface ReportOptions {
  selectors: string[]
  days: number
  by: ReportBy
  json: boolean
  verbose: boolean
}

const DAY_MS = 86_400_000

export function calendarOf(ctx: CommandContext): Calendar {
  try {
    return calendarFor(ctx.settings.logs?.timezone, () => localZoneName(ctx.paths.cacheDir, ctx.env))
  } catch (err) {
    if (err instanceof TimeZoneError) throw new CommandError(err.message)
    throw err
  }
}

export const pricingLabel = (p: PricingTable) =>
  p.override
    ? `prices dated ${p.date} (${p.override}, over the bundled table of ${p.bundledDate})`
    : `the bundled prices dated ${p.date}`

export async function runReport(ctx: CommandContext, o: ReportOptions): Promise<string> {
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 3660)
    throw new UsageError(`--days must be a whole number of days from 1 to 3660, not ${o.days}`)
  const accounts = pickAccounts(ctx, o.selectors)
  const cal = calendarOf(ctx)
  const now = ctx.now()
  const pricing = loadPricing(ctx.paths.stateDir)
  const enabled = ctx.settings.logs?.enabled !== false
  // Files last written a day before the period cannot hold entries inside it.
  const since = cal.addDays(cal.startOfDay(now.getTime()), -(o.days - 1)) - DAY_MS
  const usages: AccountUsage[] = []
  const api: ApiSpend[] = []
  const empty: string[] = []
  for (const a of accounts) {
    if (logKindOf(a.provider)) {
      if (!enabled) continue
      const deps = { env: ctx.env, home: ctx.paths.home, cacheDir: ctx.paths.cacheDir, now, pricing }
      const u = await scanAccount(a, deps, since)
      if (u) usages.push(u)
      else empty.push(a.key)
      continue
    }
    const spend = readEntry(ctx.paths.cacheDir, a.key)?.snapshot?.spend ?? []
    if (spend.length > 0) api.push({ key: a.key, spend })
    else empty.push(a.key)
  }
  const report = buildReport(usages, api, { by: o.by, days: o.days, now: now.getTime(), cal })
  if (o.json) {
    const scan = Object.fromEntries(usages.map((u) => [u.key, u.stats]))
    const extra = {
      pricing: { date: pricing.date, bundledDate: pricing.bundledDate, override: pricing.override },
      logsEnabled: enabled,
      noData: empty,
      scan,
    }
    return `${JSON.stringify({ ...report, ...extra }, null, 2)}\n`
  }
  let text = renderReport(report, { verbose: o.verbose, pricing: pricingLabel(pricing) })
  if (!enabled)
    text += 'Local logs are off (config logs.enabled: false): only provider-reported spend is shown.\n'
  if (empty.length > 0) text += `No local logs or cached spend: ${empty.join(', ')}\n`
  return text
}

const BY = ['account', 'model', 'day'] as const

export const reportCommand: Command = (y, done) =>
  y.command(
    'report [accounts..]',
    'tokens, requests and cost from the local logs (Claude Code, Codex, OpenCode) per account, model or day',
    (c) =>
      c
        .positional('accounts', {
          type: 'string',
          array: true,
          default: [] as string[],
          describe: 'provider/id, id or provider (default: every account)',
        })
        .option('days', { type: 'number', default: 7, describe: 'the last N local days, today included' })
        .option('by', {
          choices: BY,
          default: 'account' as ReportBy,
          describe: 'one row per account, model or day',
        })
        .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' })
        .example('quotabar report', 'the last 7 days per account')
        .example('quotabar report --days 1 --by model', 'today per model')
        .example('quotabar report claude --by day --verbose', 'Claude per day, and why lines were skipped')
        .epilogue(
          'Costs marked ~ are API-equivalent estimates priced from token counts (see `quotabar pricing`);\n' +
            'API accounts (OpenAI, Anthropic admin keys) show the spend cached by their last refresh.\n' +
            'Only changed bytes of the logs are read; the first run reads the whole period.',
        ),
    async (args) => {
      const ctx = await loadContext(process.env, optionalString(args.config))
      const text = await runReport(ctx, {
        selectors: args.accounts,
        days: args.days,
        by: args.by,
        json: args.json,
        verbose: Boolean(args.verbose) || Boolean(process.env.DEBUG?.includes('quotabar')),
      })
      writeFd(1, text)
      done(0)
    },
  )

/** Both commands of the local-logs feature, registered together. */
export const usageCommands: Command = (y, done) => pricingCommand(reportCommand(y, done), done)
