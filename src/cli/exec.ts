import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import { accountHeadroom, pickBest } from '../accounts/headroom.js'
import { loginPlace } from '../accounts/login-env.js'
import { loadViews, refreshNow } from '../accounts/views.js'
import { type CommandContext, loadContext, pickAccounts } from '../context.js'
import { type Account, CommandError, UsageError } from '../model.js'
import { getDescriptor } from '../providers/descriptors.js'
import { writeFd } from './write-fd.js'
import type { Command } from './registry.js'
import { optionalString } from './options.js'

/**
 * `quotabar exec claude -- claude --resume`: the provider's own CLI on the login of the account
 * with the most headroom at the current pace (the same choice as `quotabar best`), pointed there
 * by its environment variable only (CLAUDE_CONFIG_DIR, CODEX_HOME, GEMINI_CLI_HOME). No token is
 * read, copied or swapped, so nothing is logged out; the exit code is the command's.
 */

export interface ExecPlan {
  account: Account
  envVar: string
  envValue: string
}

export async function planExec(
  ctx: CommandContext,
  provider: string,
  selectors: string[],
): Promise<ExecPlan> {
  if (!getDescriptor(provider)) throw new UsageError(`unknown provider "${provider}"`)
  const accounts = pickAccounts(ctx, selectors.length ? selectors : [provider]).filter(
    (a) => a.provider === provider,
  )
  if (accounts.length === 0) throw new UsageError(`no ${provider} account among ${selectors.join(', ')}`)
  await refreshNow(ctx, accounts, 'auto')
  const views = loadViews(ctx, accounts)
  const nowMs = ctx.now().getTime()
  const best = pickBest(views, nowMs)
  if (!best) {
    const why = views.map((v) => `${v.key}: ${accountHeadroom(v, nowMs).reason ?? 'no headroom'}`)
    throw new CommandError(`no usable ${provider} account\n  ${why.join('\n  ')}`)
  }
  const account = accounts.find((a) => a.key === best.account.key) as Account
  const place = loginPlace(account, ctx.env, ctx.paths.home)
  if (!place.ok) throw new CommandError(`best is ${account.key}, but ${place.why}`)
  if (place.envVar === null) throw new CommandError(`best is ${account.key}; ${place.why}`)
  return { account, envVar: place.envVar, envValue: place.envValue }
}

/** Runs argv with the one variable set; resolves with its exit code (128 + n for a signal, as shells do). */
export function runWith(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [cmd, ...args] = argv
  if (!cmd) return Promise.resolve(2)
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: 'inherit' })
    // Ctrl-C reaches the child from the terminal; quotabar waits for it rather than dying first.
    const forward = (sig: NodeJS.Signals) => () => child.kill(sig)
    const handlers: [NodeJS.Signals, () => void][] = [
      ['SIGINT', () => {}],
      ['SIGTERM', forward('SIGTERM')],
      ['SIGHUP', forward('SIGHUP')],
    ]
    for (const [sig, h] of handlers) process.on(sig, h)
    const done = (code: number) => {
      for (const [sig, h] of handlers) process.off(sig, h)
      resolve(code)
    }
    child.on('error', (err) => {
      writeFd(2, `quotabar: cannot run ${cmd}: ${err.message}\n`)
      done(127)
    })
    child.on('exit', (code, signal) => done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)))
  })
}

export const execCommand: Command = (y, done) =>
  y.command(
    'exec <provider> [command..]',
    "run the provider's CLI on the login with the most headroom (env var only, never a token)",
    (c) =>
      c
        .positional('provider', { type: 'string', demandOption: true, describe: 'claude, codex or gemini' })
        .positional('command', {
          type: 'string',
          array: true,
          default: [] as string[],
          describe: 'the command after `--` (default: the provider id, e.g. `claude`)',
        })
        .option('account', {
          alias: 'a',
          type: 'string',
          array: true,
          default: [] as string[],
          describe: 'choose only among these accounts (provider/id or id)',
        })
        .example('quotabar exec claude -- claude --resume', '')
        .example('quotabar exec codex -a work -a personal -- codex', '')
        .epilogue(
          'The account is the one `quotabar best PROVIDER` picks (headroom at the current pace); its login directory is handed over in CLAUDE_CONFIG_DIR, CODEX_HOME or GEMINI_CLI_HOME. Which one is said on stderr. The exit code is the command’s.',
        ),
    async (args) => {
      const ctx = await loadContext(process.env, optionalString(args.config))
      const provider = String(args.provider)
      const plan = await planExec(ctx, provider, args.account)
      // Words after `--` land in yargs' `_` (after `exec`), so the command's own flags stay its own.
      const words = [...args.command, ...args._.slice(1)].map(String)
      const argv = words.length ? words : [provider]
      const label = plan.account.label === plan.account.id ? '' : ` (${plan.account.label})`
      writeFd(2, `quotabar: ${plan.account.key}${label}: ${plan.envVar}=${plan.envValue}\n`)
      done(await runWith(argv, { ...process.env, [plan.envVar]: plan.envValue }))
    },
  )
