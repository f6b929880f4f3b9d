import type { Server } from 'node:http'
import { readEntry } from '../cache/store.js'
import { fileStamp } from '../config/checked.js'
import { clockFrom, type Env } from '../config/paths.js'
import { demoView } from '../demo.js'
import { afterRefresh } from '../live/new-data.js'
import { keptReads } from '../live/reads.js'
import type { Thresholds } from '../model.js'
import type { Format } from '../render/index.js'
import { healthOf } from '../serve/health.js'
import { createQuotabarServer, isLoopbackHost } from '../serve/http-server.js'
import { type Plan, startScheduler } from '../serve/scheduler.js'
import type { RefreshReport } from '../refresh.js'
import { runStatus } from '../status.js'
import { buildAccountView } from '../view.js'
import { type CommandContext, loadContext, pickAccounts, refreshDeps } from '../context.js'
import { loadContextSync, validateConfig } from '../context-load.js'
import { CommandError, UsageError } from '../model.js'
import { writeFd } from './write-fd.js'
import { accountOption, optionalString } from './options.js'
import type { Command } from './registry.js'

/** `quotabar serve`: /metrics, /health and /v1/snapshots over HTTP, refreshing in the background. */

export interface ServeOptions {
  host: string
  /** Names besides the bound address a request may address (Host header): DNS-rebinding guard. */
  allowHosts: string[]
  port: number
  selectors: string[]
  demo: boolean
  config?: string
}

const TICK_MS = 5000

/**
 * How often the scheduler looks for due accounts: 5 s, or `QUOTABAR_SERVE_TICK_MS` (50–5000) so
 * tests need not wait for real ticks. A tick only asks accounts that are due, so a faster one
 * never asks a provider sooner than its interval allows.
 */
function tickMs(env: Env): number {
  const n = Number(env.QUOTABAR_SERVE_TICK_MS)
  return Number.isInteger(n) && n >= 50 && n <= TICK_MS ? n : TICK_MS
}
const log = (line: string) => writeFd(2, `quotabar serve: ${line}\n`)

type ServePlan = Plan & { thresholds: Thresholds }

/** The accounts to refresh, re-read when the config file changes (a broken edit keeps the last good). */
function planner(env: Env, opts: ServeOptions, first: CommandContext): () => ServePlan {
  let ctx = first
  let accounts = pickAccounts(first, opts.selectors)
  let stamp = first.configFile ? fileStamp(first.configFile) : null
  let lastProblem = ''
  return () => {
    const seen = first.configFile ? fileStamp(first.configFile) : null
    // Without a config file the discovered logins are re-checked every tick (stat calls only).
    if (seen === null || seen !== stamp) {
      try {
        ctx = loadContextSync(env, opts.config)
        accounts = pickAccounts(ctx, opts.selectors)
        stamp = seen
        lastProblem = ''
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        if (message !== lastProblem) log(`config not reloaded, keeping the last good one: ${message}`)
        lastProblem = message
      }
    }
    const deps = refreshDeps({ ...ctx, env })
    const settled = ctx
    const after = (reports: RefreshReport[]) => afterRefresh(reports, settled, { nudge: true })
    return { accounts, deps, thresholds: ctx.settings.thresholds, after }
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? 'the port is in use (another quotabar serve?); pick another with --port'
          : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND'
            ? 'no such address on this machine; check --host'
            : err.code === 'EACCES'
              ? 'permission denied (ports below 1024 need privileges)'
              : err.message
      reject(new CommandError(`cannot listen on ${host}:${port}: ${why}`))
    })
    server.listen(port, host, () => {
      const addr = server.address()
      resolve(typeof addr === 'object' && addr ? addr.port : port)
    })
  })
}

export async function runServe(opts: ServeOptions, env: Env): Promise<void> {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535, not ${opts.port}`)
  const now = clockFrom(env)
  // Fails early (exit 1 / 2) on a broken config or an unknown --account, before binding the port.
  const plan = opts.demo ? null : planner(env, opts, await loadContext(env, opts.config))
  const current = plan?.()
  // Scraped again and again: files are read again only when they changed (live/reads.ts).
  const reads = keptReads()
  const render = (format: Format) =>
    runStatus(
      {
        format,
        selectors: opts.selectors,
        window: 'auto',
        demo: opts.demo,
        config: opts.config,
        refresh: false,
      },
      { env, now, validateConfig: () => validateConfig, startRefresh: () => null, reads },
    ).text
  const server = createQuotabarServer(
    {
      metrics: () => render('prometheus'),
      snapshots: () => render('json'),
      health: () => {
        const at = now()
        if (!plan) return healthOf(demoView(at).accounts, at.toISOString())
        const p = plan()
        const views = p.accounts.map((a) =>
          buildAccountView(a, readEntry(p.deps.cacheDir, a.key), at, p.thresholds),
        )
        return healthOf(views, at.toISOString())
      },
    },
    { bound: opts.host, allow: opts.allowHosts },
    log,
  )
  const port = await listen(server, opts.host, opts.port)
  const shown = opts.host.includes(':') ? `[${opts.host}]` : opts.host
  if (!isLoopbackHost(opts.host)) {
    log(
      `warning: ${opts.host} is not a loopback address: anyone who can reach this port reads your account labels, plans and emails (/v1/snapshots); firewall it or put it behind a proxy with authentication`,
    )
  }
  log(`listening on http://${shown}:${port}/metrics (also /health, /v1/snapshots)`)
  const scheduler = plan ? startScheduler(plan, tickMs(env), log) : null
  const grace = (current?.deps.timeoutMs ?? 15_000) + 1000
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGTERM', onTerm)
      process.off('SIGINT', onInt)
      log(`${signal}: shutting down`)
      server.close()
      server.closeAllConnections()
      ;(scheduler?.stop(grace) ?? Promise.resolve()).then(resolve, resolve)
    }
    const onTerm = () => stop('SIGTERM')
    const onInt = () => stop('SIGINT')
    process.on('SIGTERM', onTerm)
    process.on('SIGINT', onInt)
  })
}

export const serveCommand: Command = (y, done) =>
  y.command(
    'serve',
    'serve /metrics (OpenMetrics), /health and /v1/snapshots over HTTP, refreshing in the background',
    (c) =>
      c
        .option('host', {
          type: 'string',
          default: '127.0.0.1',
          describe: 'address to bind; anything but loopback exposes account details to the network',
        })
        .option('allow-host', {
          type: 'string',
          array: true,
          default: [] as string[],
          describe:
            'a name scrapers use to reach this server (Host header), besides loopback names and the bound address; repeatable',
        })
        .option('port', { type: 'number', default: 9477, describe: 'TCP port (0: any free port)' })
        .option(
          'account',
          accountOption('provider/id, id or provider; repeatable; default: every enabled account'),
        )
        .option('demo', { type: 'boolean', default: false, describe: 'serve the built-in sample accounts' })
        .example('quotabar serve', 'http://127.0.0.1:9477/metrics for a Prometheus scrape job')
        .example('quotabar serve --demo --port 0', 'try it with sample data on a free port')
        .epilogue(
          'Refreshes each account on its own interval with the same cache, locks and cooldowns as the bars, ' +
            'and re-reads the config file when it changes. Stops cleanly on SIGTERM / SIGINT. Metric names: docs/prometheus.md.',
        ),
    async (args) => {
      await runServe(
        {
          host: args.host,
          allowHosts: args['allow-host'],
          port: args.port,
          selectors: args.account,
          demo: args.demo,
          config: optionalString(args.config),
        },
        process.env,
      )
      done(0)
    },
  )
