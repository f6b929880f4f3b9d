import { accountHeadroom, type Headroom, pickBest } from '../accounts/headroom.js'
import { loginPlace, shellWord } from '../accounts/login-env.js'
import { loadViews, refreshNow } from '../accounts/views.js'
import type { Account } from '../model.js'
import { clean, countdown, pct } from '../render/format.js'
import { padEnd } from '../tui/term.js'
import type { AccountView } from '../view.js'
import { type CommandContext, pickAccounts } from '../context.js'
import { CommandError, UsageError } from '../model.js'
import { writeFd } from './write-fd.js'
import type { Command } from './registry.js'
import { contextFrom, selectorsOf, withJson, withSelection } from './options.js'

/**
 * `quotabar best [SEL..]`: the account with the most headroom now (src/accounts/headroom.ts has
 * the formula). Due accounts are refreshed first, as a bar would (intervals and cooldowns hold).
 */

export const PRINTS = ['key', 'id', 'config-dir', 'env'] as const
export type Print = (typeof PRINTS)[number]

function limitingText(h: Headroom, nowMs: number): string {
  if (h.reason) return h.reason
  const l = h.limiting
  if (!l) return ''
  const left = l.resetsAt ? countdown(l.resetsAt, nowMs) : null
  return `${clean(l.label)} ${pct(l.usedPercent)} used${left ? `, resets in ${left}` : ''}`
}

export async function runBest(
  ctx: CommandContext,
  selectors: string[],
  print: Print | 'json' | undefined,
  refresh: boolean,
): Promise<string> {
  const accounts = pickAccounts(ctx, selectors)
  if (refresh) await refreshNow(ctx, accounts, 'auto')
  const views = loadViews(ctx, accounts)
  const nowMs = ctx.now().getTime()
  const best = pickBest(views, nowMs)
  if (!best) {
    const why = views.map((v) => `${v.key}: ${limitingText(accountHeadroom(v, nowMs), nowMs)}`)
    const which = selectors.length ? ` among ${selectors.join(', ')}` : ''
    throw new CommandError(`no usable account${which}\n  ${why.join('\n  ')}`)
  }
  const account = accounts.find((a) => a.key === best.account.key) as Account
  if (print === 'json') return JSON.stringify(bestDocument(views, best.account, nowMs), null, 2)
  if (print) return printValue(ctx, account, print)
  return ranking(views, best.account, nowMs).join('\n')
}

function printValue(ctx: CommandContext, account: Account, print: Print): string {
  if (print === 'key') return account.key
  if (print === 'id') return account.id
  const place = loginPlace(account, ctx.env, ctx.paths.home)
  if (!place.ok) throw new CommandError(`best is ${account.key}, but ${place.why}`)
  if (print === 'config-dir') return place.dir
  if (place.envVar === null) throw new CommandError(`best is ${account.key}; ${place.why}`)
  return `${place.envVar}=${shellWord(place.envValue)}`
}

/** `best --json`: the winner's key and every candidate's headroom (score 0–100, null: not eligible). */
function bestDocument(views: AccountView[], winner: AccountView, nowMs: number) {
  return {
    best: winner.key,
    accounts: views.map((v) => {
      const h = accountHeadroom(v, nowMs)
      return {
        key: v.key,
        best: v === winner,
        active: v.active,
        eligible: h.eligible,
        score: h.score === null ? null : Math.round(h.score * 10) / 10,
        limiting: h.limiting,
        reason: h.reason ?? null,
      }
    }),
  }
}

/** Every candidate with its headroom, the winner first and marked. */
function ranking(views: AccountView[], winner: AccountView, nowMs: number): string[] {
  const rows = views
    .map((v) => ({ v, h: accountHeadroom(v, nowMs) }))
    .sort((a, b) => Number(b.v === winner) - Number(a.v === winner) || (b.h.score ?? -1) - (a.h.score ?? -1))
  const width = Math.max(...rows.map((r) => r.v.key.length + (r.v.active ? 2 : 0)))
  return rows.map(({ v, h }) => {
    const name = padEnd(`${v.key}${v.active ? ' *' : ''}`, width)
    const score = h.eligible && h.score !== null ? `${Math.round(h.score)}`.padStart(3) : '  -'
    return `${v === winner ? '>' : ' '} ${name}  ${score}  ${limitingText(h, nowMs)}`.trimEnd()
  })
}

export const bestCommand: Command = (y, done) =>
  y.command(
    'best [accounts..]',
    'the account with the most headroom at the current pace (e.g. `quotabar best claude --print config-dir`)',
    (c) =>
      withJson(
        withSelection(c, 'provider, provider/id or id to choose among (default: every account)'),
        'print the winner and every candidate with its headroom as JSON',
      )
        .option('print', {
          choices: PRINTS,
          describe: 'print only this about the winner: key, id, config-dir or env (VAR=dir)',
        })
        .option('refresh', {
          type: 'boolean',
          default: true,
          describe: 'refresh due accounts first (--no-refresh: decide from the cache)',
        })
        .example('CLAUDE_CONFIG_DIR=$(quotabar best claude --print config-dir) claude', '')
        .example('env $(quotabar best codex --print env) codex', '')
        .epilogue(
          'Headroom: each window counts what is left after the coming hour at its recent burn rate (the forecast), plus a fresh window for the part of the coming hour after its reset (90 % used, resetting in 5 min, is nearly free); an account scores its tightest window. Accounts in error, expired, in a provider cooldown or at a limit are skipped; exit 1 when none is left. `>` marks the winner, `*` the login a new session of the provider CLI would use.',
        ),
    async (args) => {
      if (args.json && args.print) throw new UsageError('--json and --print: choose one')
      const ctx = await contextFrom(args)
      const out = await runBest(
        ctx,
        selectorsOf(args),
        args.json ? 'json' : (args.print as Print | undefined),
        args.refresh,
      )
      writeFd(1, `${out}\n`)
      done(0)
    },
  )
