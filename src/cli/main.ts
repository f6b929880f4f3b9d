import yargs, { type Argv } from 'yargs'
import { BAR_FORMATS, type Format, isFormat } from '../render/index.js'
import { CommandError, UsageError } from '../model.js'
import { renderProblem } from './io.js'
import { writeFd } from './write-fd.js'
import { commandsFor } from './registry.js'
import { splitShortValues } from './args.js'
import { REDACT_DESCRIPTION } from './options.js'
import { VERSION } from '../version.js'

import type { ValidateConfig } from '../status.js'

/**
 * What the bin calls (synchronously, from a cached render) for a config file it has not seen.
 * `require`, so the bundle evaluates zod and the config schema only then, not for every command
 * (esbuild turns it into a lazily run module; main.ts is the bundle's entry, never a test's import).
 */
export const validateConfig: ValidateConfig = (file, cacheDir) =>
  (require('../context-load.js') as typeof import('../context-load.js')).validateConfig(file, cacheDir)

/**
 * The full command line. The bin (fast.ts) handles plain status calls itself and loads this for
 * everything else. The only place that decides exit codes: 0 ok, 1 failure, 2 usage error.
 */

const EXAMPLES = `Examples:
  quotabar --demo -f waybar                sample accounts, no files or network
  quotabar -f tmux                         every account, tmux colours
  quotabar -f i3blocks -a work             one account (provider/id, id or provider)
  quotabar --window weekly                 let the weekly window drive the short text
  quotabar refresh                         fetch now and report per account
  quotabar watch -f waybar                 one line per change, for bars that keep a process
  quotabar show --watch                    a live table in the terminal
  quotabar accounts discover --write       find the logins on this machine and add them
  quotabar best claude --print config-dir  the Claude login with the most headroom
  quotabar report --days 7                 tokens and cost from local logs
  quotabar config schema                   JSON Schema of the config file

Config: $QUOTABAR_CONFIG or $XDG_CONFIG_HOME/quotabar/config.json (~/.config/quotabar/config.json).
Without a config file quotabar shows the logins it finds: ~/.claude (and $CLAUDE_CONFIG_DIR),
~/.codex (and $CODEX_HOME), ~/.gemini, gh's hosts.yml, Cursor's state.vscdb.
Bar formats (waybar, i3blocks, tmux, polybar) always exit 0 with one valid line; problems show
as class "error" with the reason and the fix in the tooltip.`

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

export async function main(rawArgv: string[]): Promise<number> {
  const argv = splitShortValues(rawArgv)
  // --color / --no-color reach every command (and what it runs) the way NO_COLOR / FORCE_COLOR do.
  if (argv.includes('--no-color')) {
    process.env.NO_COLOR = '1'
    delete process.env.FORCE_COLOR
  } else if (argv.includes('--color')) {
    process.env.FORCE_COLOR = '1'
    delete process.env.NO_COLOR
  }
  let exitCode = 0
  // --verbose is DEBUG=quotabar: stack traces for failures, and each request's method, URL, status and time.
  if (argv.includes('--verbose'))
    process.env.DEBUG = [process.env.DEBUG, 'quotabar'].filter(Boolean).join(',')
  const verbose = Boolean(process.env.DEBUG?.includes('quotabar'))
  let parser: Argv = yargs(argv)
    .scriptName('quotabar')
    .usage(
      'quotabar [status] [options]\n\nAI usage limits for your status bar: every provider, every account.',
    )
    .option('config', { type: 'string', requiresArg: true, describe: 'config file (env QUOTABAR_CONFIG)' })
    .option('verbose', {
      type: 'boolean',
      default: false,
      describe:
        "each request's method, URL, status and time, and stack traces for failures, on stderr (the same as DEBUG=quotabar)",
    })
    .option('redact', { type: 'boolean', describe: REDACT_DESCRIPTION })
    .option('color', {
      type: 'boolean',
      describe: 'colour in terminal output; --no-color for none (default: on a terminal, unless NO_COLOR)',
    })
  for (const add of await commandsFor(argv)) {
    parser = add(parser, (code) => {
      exitCode = code
    })
  }
  parser = parser
    .epilogue(EXAMPLES)
    .strict()
    .demandCommand(0)
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(VERSION)
    // `quotabar completion SHELL` prints the scripts; they call back with --get-yargs-completions.
    .completion('__completion', false)
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

/** yargs' wording for a missing value or argument, said the way the rest of quotabar speaks. */
function plainUsage(message: string, argv: string[]): string {
  const m = /^Not enough arguments following: (\S+)$/.exec(message)
  if (m) {
    const name = m[1] as string
    return `${name.length === 1 ? '-' : '--'}${name} needs a value`
  }
  const missing = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(message)
  if (!missing) return message
  // The command words as typed (`click`, `accounts rm`: only accounts has subcommands), and where its usage is.
  const [cmd, sub] = argv.filter((a) => !a.startsWith('-'))
  const words = ['quotabar', cmd, cmd === 'accounts' ? sub : undefined].filter(Boolean).join(' ')
  const more = Number(missing[2]) - Number(missing[1])
  return `\`${words}\` needs ${more === 1 ? 'an argument' : `${more} more arguments`}; \`${words} --help\` shows which`
}

function reportFailure(err: unknown, argv: string[], verbose: boolean): number {
  const message = plainUsage(err instanceof Error ? err.message : String(err), argv)
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
