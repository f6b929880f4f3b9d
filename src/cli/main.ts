import { join } from 'node:path'
import yargs, { type Argv } from 'yargs'
import { z } from 'zod'
import { loadConfigFile } from '../config/load.js'
import { clockFrom, resolvePaths } from '../config/paths.js'
import { configSchema } from '../config/schema.js'
import { BAR_FORMATS, type Format, formats, isFormat } from '../render/index.js'
import { runStatus, type ValidateConfig } from '../status.js'
import { runBackgroundRefresh } from './background.js'
import { CommandError, loadContext, UsageError } from './context.js'
import { renderProblem, spawnRefresh, writeFd } from './io.js'
import { runRefresh } from './refresh.js'

/**
 * The full command line. The bin (fast.ts) handles plain status calls itself and loads this for
 * everything else. The only place that decides exit codes: 0 ok, 1 failure, 2 usage error.
 */

/** The bin sits next to this bundle; the detached refresh runs through it. */
const binPath = () => join(__dirname, 'quotabar.cjs')

const optionalString = (v: unknown) => (typeof v === 'string' ? v : undefined)

export const validateConfig: ValidateConfig = (file, cacheDir) => loadConfigFile(file, cacheDir)

const EXAMPLES = `Examples:
  quotabar --demo -f waybar           sample accounts, no files or network
  quotabar -f tmux                    every account, tmux colours
  quotabar -f i3blocks -a work        one account (provider/id, id or provider)
  quotabar --window weekly            let the weekly window drive the short text
  quotabar refresh                    fetch now and report per account
  quotabar config schema              JSON Schema of the config file

Config: $QUOTABAR_CONFIG or $XDG_CONFIG_HOME/quotabar/config.json (~/.config/quotabar/config.json).
Without a config file quotabar shows the Claude login in ~/.claude (and $CLAUDE_CONFIG_DIR).
Bar formats (waybar, i3blocks, tmux, polybar) always exit 0 with one valid line; problems show
as class "error" with the reason and the fix in the tooltip.`

function statusOptions(y: Argv) {
  return y
    .option('format', { alias: 'f', choices: formats, default: 'plain' as Format, describe: 'output format' })
    .option('account', {
      alias: 'a',
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'provider/id, id or provider; repeatable',
    })
    .option('window', {
      type: 'string',
      default: 'auto',
      describe:
        'window that drives the short text: auto (most constrained), session, weekly, weekly:<model>, ...',
    })
    .option('demo', {
      type: 'boolean',
      default: false,
      describe: 'render built-in sample accounts; no files, no network',
    })
    .option('refresh', {
      type: 'boolean',
      default: true,
      describe: 'refresh stale accounts in the background (--no-refresh: print the cache only)',
    })
}

/** Whatever the parse outcome, bars must get a line in their format: look for -f early. */
function requestedFormat(argv: string[]): Format | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    const v =
      a === '-f' || a === '--format' ? argv[i + 1] : a.startsWith('--format=') ? a.slice(9) : undefined
    if (v && isFormat(v)) return v
  }
  return null
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0
  const verbose = argv.includes('--verbose') || Boolean(process.env.DEBUG?.includes('quotabar'))
  const parser = yargs(argv)
    .scriptName('quotabar')
    .usage(
      'quotabar [status] [options]\n\nAI usage limits for your status bar: every provider, every account.',
    )
    .option('config', { type: 'string', describe: 'config file (env QUOTABAR_CONFIG)' })
    .option('verbose', { type: 'boolean', default: false, describe: 'print stack traces for failures' })
    .command(
      ['status', '$0'],
      'render accounts once (default command)',
      (y) => statusOptions(y),
      (args) => {
        const out = runStatus(
          {
            format: args.format,
            selectors: args.account,
            window: args.window,
            demo: args.demo,
            config: optionalString(args.config),
            refresh: args.refresh,
          },
          {
            env: process.env,
            now: clockFrom(process.env),
            validateConfig: () => validateConfig,
            startRefresh: (keys, token, configFile) => spawnRefresh(binPath(), keys, token, configFile),
          },
        )
        writeFd(1, `${out.text}\n`)
        exitCode = out.exitCode
      },
    )
    .command(
      'refresh [accounts..]',
      'fetch now (a provider cooldown still applies unless --force) and report per account',
      (y) =>
        y
          .positional('accounts', {
            type: 'string',
            array: true,
            default: [] as string[],
            describe: 'provider/id, id or provider',
          })
          .option('force', { type: 'boolean', default: false, describe: 'ignore cooldowns and intervals' }),
      async (args) => {
        const ctx = loadContext(process.env, args.config)
        const out = await runRefresh(ctx, args.accounts, args.force)
        writeFd(1, `${out.lines.join('\n')}\n`)
        exitCode = out.exitCode
      },
    )
    .command(
      'config <action>',
      'config file helpers: path | check | schema',
      (y) => y.positional('action', { choices: ['path', 'check', 'schema'] as const, demandOption: true }),
      (args) => {
        const paths = resolvePaths(process.env, args.config)
        if (args.action === 'path') writeFd(1, `${paths.configFile}\n`)
        else if (args.action === 'schema')
          writeFd(1, `${JSON.stringify(z.toJSONSchema(configSchema, { io: 'input' }), null, 2)}\n`)
        else {
          const ctx = loadContext(process.env, args.config)
          writeFd(
            1,
            `${ctx.configFile ? `${ctx.configFile}: valid` : 'no config file: using the default logins'}, ${ctx.settings.accounts.length} account(s)\n`,
          )
        }
      },
    )
    .command({
      command: '__refresh [keys..]',
      describe: false,
      builder: (y) =>
        y
          .option('token', { type: 'string', demandOption: true })
          .positional('keys', { type: 'string', array: true, default: [] as string[] }),
      handler: (args) => runBackgroundRefresh(args.keys, args.token, args.config),
    })
    .epilogue(EXAMPLES)
    .strict()
    .demandCommand(0)
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .alias('V', 'version')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg)
    })
  try {
    await parser.parseAsync()
    return exitCode
  } catch (err) {
    return reportFailure(err, argv, verbose)
  }
}

function reportFailure(err: unknown, argv: string[], verbose: boolean): number {
  const message = err instanceof Error ? err.message : String(err)
  const usage = err instanceof UsageError || (err instanceof Error && err.name === 'YError')
  const format = requestedFormat(argv)
  if (format && BAR_FORMATS.has(format)) {
    const fix = usage
      ? 'check the command in your bar config (quotabar --help)'
      : 'run `quotabar refresh` in a terminal for details'
    writeFd(
      1,
      `${renderProblem(format, { kind: 'config', message, fix, httpStatus: null }, new Date()).text}\n`,
    )
    return 0
  }
  if (verbose && err instanceof Error && !(err instanceof CommandError) && !usage)
    writeFd(2, `${err.stack}\n`)
  writeFd(2, `quotabar: ${message}${usage ? '\n(run quotabar --help for usage)' : ''}\n`)
  return usage ? 2 : 1
}
