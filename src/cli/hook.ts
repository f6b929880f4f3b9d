import { credentialStamp } from '../cache/stamp.js'
import { readEntry, writeEntry } from '../cache/store.js'
import { DEFAULT_THRESHOLDS, resolveAccounts } from '../config/accounts.js'
import { clockFrom, type Env } from '../config/paths.js'
import { debug } from '../debug.js'
import {
  accountsForDir,
  applyHookWindows,
  type HookLogin,
  hookConfigDir,
  newsFor,
} from '../hook/claude-cache.js'
import { recordHistory } from '../history/record.js'
import { parseStatuslineInput } from '../hook/claude-input.js'
import { formatStatusline, wantsColor } from '../hook/claude-line.js'
import { afterRefresh } from '../live/new-data.js'
import { readClaudeLogin } from '../providers/claude/credentials.js'
import type { Account } from '../model.js'
import type { RefreshReport } from '../refresh.js'
import { buildAccountView, rollWindow, type WindowView } from '../view.js'
import { type CommandContext, loadContext } from '../context.js'
import { writeFd } from './write-fd.js'
import { readStdin } from './stdin.js'
import type { Command } from './registry.js'
import { optionalString } from './options.js'

/**
 * `quotabar hook claude-statusline`: Claude Code's status-line command (docs/claude-code-hook.md).
 * It stores the rate limits Claude Code pipes in as a fresh snapshot (zero requests of our own)
 * and prints one short line. It must never break Claude Code: whatever happens, one line, exit 0.
 */

/** Claude Code writes the JSON and closes stdin; a terminal (or a stuck pipe) must not hang us. */
const STDIN_LIMIT = 1 << 20

/** The login as the bar sees it (read-only, no network): its fingerprint ties the numbers to it. */
function loginOf(account: Account, env: Env, home: string, nowMs: number): HookLogin {
  const read = readClaudeLogin(account, env, home, nowMs)
  return read.ok
    ? { fingerprint: read.login.fingerprint, plan: read.login.plan, email: read.login.email }
    : { fingerprint: read.fingerprint, plan: null, email: null }
}

async function tryContext(env: Env, config: string | undefined): Promise<CommandContext | null> {
  try {
    return await loadContext(env, config)
  } catch (err) {
    debug(`hook: no config: ${err instanceof Error ? err.message : String(err)}`)
    return null
  }
}

/** Burn rates from the hook at most once a minute; the bar's own refresh recomputes them too. */
const HOOK_BURN_EVERY_MS = 60_000

export async function runClaudeStatusline(
  input: string,
  env: Env,
  config: string | undefined,
  color: boolean,
): Promise<string> {
  const parsed = parseStatuslineInput(input)
  const ctx = await tryContext(env, config)
  const now = (ctx?.now ?? clockFrom(env))()
  const thresholds = ctx?.settings.thresholds ?? DEFAULT_THRESHOLDS
  let windows: WindowView[] = parsed.windows.map((w) => rollWindow(w, now.getTime()))
  if (ctx) {
    const home = ctx.paths.home
    // The bar's view of the world: CLAUDE_CONFIG_DIR belongs to this Claude Code session only.
    const barEnv = { ...env, CLAUDE_CONFIG_DIR: undefined }
    const matches = accountsForDir(resolveAccounts(ctx.settings), hookConfigDir(env, home), env, home)
    debug(
      `hook: ${parsed.windows.length} window(s) for ${matches.map((a) => a.key).join(', ') || 'no account'}`,
    )
    const written: RefreshReport[] = []
    matches.forEach((account, i) => {
      let entry = readEntry(ctx.paths.cacheDir, account.key)
      if (parsed.windows.length > 0) {
        const login = loginOf(account, barEnv, home, now.getTime())
        const news = newsFor(entry, parsed.windows, login)
        if (news.length > 0) {
          const stamp = credentialStamp(account, barEnv, home)
          const before = entry
          entry = recordHistory(
            ctx.paths.stateDir,
            before,
            applyHookWindows(before, account, news, login, now, stamp),
            now,
            HOOK_BURN_EVERY_MS,
          )
          try {
            writeEntry(ctx.paths.cacheDir, entry)
            written.push({ account, outcome: 'fetched', entry })
          } catch (err) {
            debug(`hook: cannot write the cache: ${err instanceof Error ? err.message : String(err)}`)
          }
        }
      }
      // The cache knows best: newer numbers than stdin's, or any at all without rate limits on stdin.
      if (i === 0 && entry?.snapshot) windows = buildAccountView(account, entry, now, thresholds).windows
    })
    // New numbers the bars will not fetch themselves: threshold notifications come from here.
    // No bar nudge: that would cost Claude Code's status line a process spawn per redraw.
    await afterRefresh(written, ctx, { nudge: false })
  }
  return formatStatusline(parsed.model, windows, now.getTime(), thresholds, color)
}

/** Reads stdin, stores, prints one line. Never throws: Claude Code shows whatever we print. */
export async function runHook(options: { color: boolean; config: string | undefined }): Promise<void> {
  let line = 'quotabar'
  try {
    const input = await readStdin(2000, STDIN_LIMIT)
    const color = options.color && wantsColor(process.env)
    line = await runClaudeStatusline(input, process.env, options.config, color)
  } catch (err) {
    // A short word beats a stack trace or an empty status line.
    debug(`hook failed: ${err instanceof Error ? err.stack : String(err)}`)
  }
  writeFd(1, `${line}\n`)
}

export const hookCommand: Command = (y, done) =>
  y.command(
    'hook <kind>',
    'integrations run by other tools: claude-statusline (Claude Code status line; see docs/claude-code-hook.md)',
    (c) =>
      c
        .positional('kind', { choices: ['claude-statusline'] as const, demandOption: true })
        .option('color', {
          type: 'boolean',
          default: true,
          describe: 'colour the percentages (--no-color, or env NO_COLOR, turns it off)',
        })
        // No description column: yargs would wrap the line, and it is meant to be pasted whole.
        .example('"statusLine": {"type": "command", "command": "quotabar hook claude-statusline"}', '')
        .epilogue(
          'That line goes in ~/.claude/settings.json. ' +
            'claude-statusline reads the JSON Claude Code pipes to its status-line command, stores its rate ' +
            'limits as fresh data for the account whose configDir is $CLAUDE_CONFIG_DIR (default ~/.claude), ' +
            'without a request of its own, and prints one line: model, 5h and 7d use, time to reset. ' +
            'It always exits 0.',
        ),
    async (args) => {
      await runHook({ color: args.color, config: optionalString(args.config) })
      done(0)
    },
  )
