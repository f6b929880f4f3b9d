import { deriveStatus } from '../cache/freshness.js'
import { clean, countdown, formatBalance, formatSpend, pct } from '../render/format.js'
import { afterRefresh } from '../live/new-data.js'
import { forcedText, holdText, refreshAccounts, type RefreshReport } from '../refresh.js'
import type { CommandContext } from '../context.js'
import { busyWaitMs, pickAccounts, refreshDeps } from '../context.js'
import { writeFd } from './write-fd.js'
import type { Command } from './registry.js'
import { contextFrom, selectorsOf, withJson, withSelection } from './options.js'

/** `quotabar refresh [SEL..]`: fetch now and say, per account, what happened. */
export async function runRefresh(
  ctx: CommandContext,
  selectors: string[],
  force: boolean,
): Promise<{ lines: string[]; reports: ReturnType<typeof reportDocument>[]; exitCode: number }> {
  const accounts = pickAccounts(ctx, selectors)
  const reports = await refreshAccounts(accounts, refreshDeps(ctx), {
    mode: force ? 'force' : 'manual',
    waitForBusyMs: busyWaitMs(ctx),
  })
  // New data: notifications, and a nudge so the bars show it now.
  await afterRefresh(reports, ctx, { nudge: true })
  const width = Math.max(...accounts.map((a) => a.key.length))
  const lines = reports.map((r) => `${r.account.key.padEnd(width)}  ${describe(r, ctx.now(), force)}`)
  const failed = reports.some((r) => r.entry?.error && r.outcome !== 'not-due')
  return { lines, reports: reports.map((r) => reportDocument(r, ctx.now())), exitCode: failed ? 1 : 0 }
}

/** One account in `refresh --json`: what the refresh did and what the cache now holds (never a secret). */
function reportDocument(r: RefreshReport, now: Date) {
  const e = r.entry
  const snap = e?.snapshot ?? null
  return {
    key: r.account.key,
    outcome: r.outcome,
    status: deriveStatus(e, r.account, now),
    fetchedAt: snap?.fetchedAt ?? null,
    windows: snap?.windows ?? [],
    spend: snap?.spend ?? [],
    balances: snap?.balances ?? [],
    error: e?.error ?? null,
    retryAt: e?.retryAt ?? null,
    cooldown: e?.cooldown ?? false,
    // Not asked: why (`cooldown`, `floor`, `backoff`) and from when the next fetch is allowed.
    heldBy: r.hold?.why ?? null,
    nextFetchAt: r.hold?.until ?? null,
    forced: r.forced ?? false,
  }
}

function describe(r: RefreshReport, now: Date, force: boolean): string {
  const e = r.entry
  const status = deriveStatus(e, r.account, now)
  if (r.outcome === 'not-due' && r.hold?.why === 'cooldown') {
    const why = force ? '--force does not override a 429 cooldown' : 'even --force waits for it'
    return `cooldown  ${holdText(r.hold, r.account, now)} (${why})`
  }
  if (e?.error) {
    const retry = r.hold
      ? `; ${holdText(r.hold, r.account, now)}`
      : e.retryAt
        ? `; next try in ${countdown(e.retryAt, now.getTime())}`
        : ''
    return `${status.padEnd(8)}  ${clean(e.error.message)}${e.error.fix ? ` — ${clean(e.error.fix)}` : ''}${retry}`
  }
  const snap = e?.snapshot
  const parts = [
    ...(snap?.windows ?? []).map((w) => `${clean(w.label)} ${pct(w.usedPercent)}`),
    ...(snap?.spend ?? []).map((s) => `${clean(s.label)} ${formatSpend(s)}`),
    ...(snap?.balances ?? []).map((b) => `${clean(b.label)} ${formatBalance(b, now.getTime())}`),
  ]
  const windows = parts.join(' · ') || 'no limits reported'
  const note = noteOf(r, now)
  return `${'ok'.padEnd(8)}  ${windows}${note ? ` (${note})` : ''}`
}

/** Where the numbers came from when this process did not simply fetch them. */
function noteOf(r: RefreshReport, now: Date): string | null {
  if (r.outcome === 'busy') return 'fetched by another quotabar process'
  if (r.outcome === 'locked')
    return 'from the cache: another quotabar process holds the lock and fetched nothing yet'
  if (r.hold) return `from the cache; ${holdText(r.hold, r.account, now)}`
  return r.forced ? forcedText(r.account) : null
}

export const refreshCommand: Command = (y, done) =>
  y.command(
    'refresh [accounts..]',
    "fetch now (never below the provider's minimum interval unless --force, never in a 429 cooldown) and report per account",
    (c) =>
      withJson(withSelection(c), 'print what happened per account as JSON').option('force', {
        type: 'boolean',
        default: false,
        describe: "ask even inside the provider's minimum interval (never inside a 429 cooldown)",
      }),
    async (args) => {
      const ctx = await contextFrom(args)
      const out = await runRefresh(ctx, selectorsOf(args), args.force)
      const text = args.json ? JSON.stringify({ accounts: out.reports }, null, 2) : out.lines.join('\n')
      writeFd(1, `${text}\n`)
      done(out.exitCode)
    },
  )
