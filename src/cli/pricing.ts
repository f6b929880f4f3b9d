import { readFileSync, rmSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Argv } from 'yargs'
import { writeFileAtomic } from '../cache/store.js'
import { loadPricing, overridePath, parsePriceTable } from '../logs/pricing.js'
import { type CommandContext, loadContext } from '../context.js'
import { CommandError, UsageError } from '../model.js'
import { writeFd } from './write-fd.js'
import type { Command } from './registry.js'
import { optionalString } from './options.js'

/** `quotabar pricing`: the price table behind local cost estimates, and replacing it offline. */

const perMillion = (usdPerToken: number) => {
  const v = usdPerToken * 1e6
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)))
}

export function showPricing(ctx: CommandContext, json: boolean): string {
  const p = loadPricing(ctx.paths.stateDir)
  const rows = p.names.flatMap((name) => {
    const price = p.find(name)
    return price ? [{ name, price }] : []
  })
  if (json) {
    const models = Object.fromEntries(
      rows.map(({ name, price }) => [
        name,
        {
          input: price.input * 1e6,
          output: price.output * 1e6,
          cacheWrite: price.cacheWrite * 1e6,
          cacheRead: price.cacheRead * 1e6,
          fast: price.fast,
        },
      ]),
    )
    return `${JSON.stringify({ date: p.date, bundledDate: p.bundledDate, override: p.override, unit: 'USD per 1M tokens', models }, null, 2)}\n`
  }
  const head = ['MODEL', 'INPUT', 'OUTPUT', 'CACHE WRITE', 'CACHE READ', '>200K IN/OUT', 'FAST']
  const body = rows.map(({ name, price }) => [
    name,
    perMillion(price.input),
    perMillion(price.output),
    perMillion(price.cacheWrite),
    perMillion(price.cacheRead),
    price.inputAbove === null
      ? ''
      : `${perMillion(price.inputAbove)}/${perMillion(price.outputAbove ?? price.output)}`,
    price.fast === 1 ? '' : `×${price.fast}`,
  ])
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  const source = p.override
    ? `override ${p.override} dated ${p.date}, over the bundled table dated ${p.bundledDate}`
    : `bundled table dated ${p.date} (no override)`
  return `Prices: ${source}. USD per 1M tokens; 1-hour cache writes cost 2× input.\n\n${[head, ...body].map(line).join('\n')}\n`
}

export function importPricing(ctx: CommandContext, file: string, now: Date): string {
  const path = resolve(file)
  let json: unknown
  let mtime: Date
  try {
    mtime = statSync(path).mtime
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    const why =
      err instanceof SyntaxError
        ? `not valid JSON (${err.message})`
        : err instanceof Error
          ? err.message
          : String(err)
    throw new CommandError(`cannot read ${path}: ${why}`)
  }
  const parsed = parsePriceTable(json)
  if ('error' in parsed) throw new CommandError(`${path}: ${parsed.error}; nothing was changed`)
  // LiteLLM's file has no date of its own: the file's modification day is when it was taken.
  const date = parsed.date ?? (Number.isNaN(mtime.getTime()) ? now : mtime).toISOString().slice(0, 10)
  const target = overridePath(ctx.paths.stateDir)
  writeFileAtomic(target, `${JSON.stringify({ _date: date, _source: path, ...parsed.entries }, null, 1)}\n`)
  const ignored = parsed.ignored ? ` (${parsed.ignored} entries without per-token prices ignored)` : ''
  return `Saved ${Object.keys(parsed.entries).length} model prices dated ${date} to ${target}${ignored}.\nLocal costs are recomputed at the next refresh; the bundled table still covers models missing from it.\n`
}

export const pricingCommand: Command = (y: Argv, done) =>
  y.command(
    'pricing',
    'show the prices behind local cost estimates, or load a LiteLLM price file (offline)',
    (c) =>
      c
        .option('from', {
          type: 'string',
          describe: 'LiteLLM-format JSON file (model_prices_and_context_window.json)',
        })
        .option('reset', {
          type: 'boolean',
          default: false,
          describe: 'drop a loaded table: back to the bundled prices',
        })
        .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' })
        .example('quotabar pricing', 'the table in use, its date and models')
        .example(
          'quotabar pricing --from prices.json',
          "newer prices (LiteLLM's model_prices_and_context_window.json)",
        )
        .example('quotabar pricing --reset', 'back to the bundled table'),
    async (args) => {
      const from = optionalString(args.from)
      if (from !== undefined && args.reset) throw new UsageError('use --from or --reset, not both')
      if (from === '') throw new UsageError('--from needs a file')
      const ctx = await loadContext(process.env, optionalString(args.config))
      if (args.reset) {
        const target = overridePath(ctx.paths.stateDir)
        rmSync(target, { force: true })
        writeFd(1, `Removed ${target}: local costs use the bundled prices from the next refresh on.\n`)
      } else
        writeFd(1, from !== undefined ? importPricing(ctx, from, ctx.now()) : showPricing(ctx, args.json))
      done(0)
    },
  )
