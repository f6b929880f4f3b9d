import { loadViews, refreshNow } from '../accounts/views.js'
import { descriptors } from '../providers/descriptors.js'
import type { Account } from '../model.js'
import { formatDuration } from '../render/format.js'
import { renderTable } from '../tui/table.js'
import { finish, type Style, styleFor } from '../tui/term.js'
import { runWatch } from '../tui/watch.js'
import type { AccountView } from '../view.js'
import { type CommandContext, pickAccounts } from '../context.js'
import { validateConfig } from '../context-load.js'
import { UsageError } from '../model.js'
import { writeFd } from './write-fd.js'
import { runStatus } from '../status.js'
import type { Command } from './registry.js'
import { contextFrom, selectorsOf, withJson, withSelection } from './options.js'

/** `quotabar show [--watch]`: every account as a table in the terminal. */

const providerNames = Object.fromEntries(Object.values(descriptors).map((d) => [d.id, d.name]))

function lastRefresh(views: AccountView[]): string {
  const ages = views.map((v) => v.ageSeconds).filter((a): a is number => a !== null)
  if (ages.length === 0) return 'never refreshed'
  const age = Math.min(...ages)
  return age < 60 ? 'last refresh just now' : `last refresh ${formatDuration(age)} ago`
}

export function showLines(
  ctx: CommandContext,
  accounts: Account[],
  style: Style,
  width: number | null,
  hint = '',
): string[] {
  const views = loadViews(ctx, accounts)
  const n = views.length
  const lines = renderTable(views, {
    nowMs: ctx.now().getTime(),
    style,
    thresholds: ctx.settings.thresholds,
    providerNames,
    width,
    title: { left: ` quotabar · ${n} account${n === 1 ? '' : 's'}`, right: `${lastRefresh(views)}${hint}` },
  })
  return lines.map((l) => finish(style, l))
}

/** `show --json`: after the refresh show would make, the document `quotabar -f json` prints. */
async function printDocument(
  ctx: CommandContext,
  accounts: Account[],
  selectors: string[],
  refresh: boolean,
): Promise<number> {
  if (refresh) await refreshNow(ctx, accounts, 'auto')
  const req = { format: 'json' as const, selectors, window: 'auto', demo: false, refresh: false }
  const out = runStatus(
    { ...req, config: ctx.configFile ?? undefined, redact: ctx.settings.redact },
    { env: ctx.env, now: ctx.now, validateConfig: () => validateConfig, startRefresh: () => null },
  )
  writeFd(1, `${out.text}\n`)
  return out.exitCode
}

export const showCommand: Command = (y, done) =>
  y.command(
    'show [accounts..]',
    'every account as a table in the terminal (--watch: live, r refreshes, q quits)',
    (c) =>
      withJson(withSelection(c), 'print the json document (the same as `quotabar -f json`)')
        .option('watch', {
          alias: 'w',
          type: 'boolean',
          default: false,
          describe: 'redraw every second; refresh on schedule; keys: r refresh now, q quit',
        })
        .option('refresh', {
          type: 'boolean',
          default: true,
          describe: 'fetch due accounts first, as a bar would (--no-refresh: the cache only)',
        })
        .example('quotabar show', 'every account, refreshed where due')
        .example('quotabar show -w claude', 'the Claude accounts, live')
        .epilogue(
          '`>` marks the account with the most headroom per provider (quotabar best), `*` the login a new session of its CLI would use. Colour on a terminal unless NO_COLOR is set.',
        ),
    async (args) => {
      const ctx = await contextFrom(args)
      const accounts = pickAccounts(ctx, selectorsOf(args))
      if (args.json) {
        if (args.watch) throw new UsageError('show --json prints once: leave out --watch')
        done(await printDocument(ctx, accounts, selectorsOf(args), args.refresh))
        return
      }
      const tty = Boolean(process.stdout.isTTY)
      const style = styleFor(ctx.env, tty)
      if (args.watch) {
        if (!tty) throw new UsageError('show --watch needs a terminal (for a bar, use `quotabar -f FORMAT`)')
        const screen = {
          frame: (s: { refreshing: boolean; columns: number }) =>
            showLines(
              ctx,
              accounts,
              style,
              s.columns,
              s.refreshing ? ' · refreshing…' : ' · r refresh · q quit',
            ),
        }
        done(await runWatch(ctx, accounts, screen, { stdin: process.stdin, stdout: process.stdout }))
        return
      }
      if (args.refresh) await refreshNow(ctx, accounts, 'auto')
      const lines = showLines(ctx, accounts, style, tty ? process.stdout.columns || null : null)
      writeFd(1, `${lines.join('\n')}\n`)
      done(0)
    },
  )
