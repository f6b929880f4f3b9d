import type { Argv } from 'yargs'
import { commandIndex, commandWord } from './args.js'
import { type AccountRow, listAccounts } from '../accounts/list.js'
import { formatDuration } from '../render/format.js'
import { describeSource, formatTable, tildify } from './accounts-format.js'
import { loadContext } from '../context.js'
import { writeFd } from './write-fd.js'
import type { Command } from './registry.js'
import { optionalString, REDACT_DESCRIPTION } from './options.js'

/**
 * `quotabar accounts list|add|remove|rename|discover|verify`. Each subcommand has the shape of a
 * top-level Command and, like the top-level commands (registry.ts), is loaded only when argv names
 * it: `accounts list` never builds the zod schemas behind `add`'s flags.
 */
export type AccountsSubcommand = Command

const EXAMPLES = `Examples:
  quotabar accounts list
  quotabar accounts discover            # logins on this machine that the config lacks
  quotabar accounts discover --write    # ... and add them
  quotabar accounts add claude --id work --config-dir ~/.claude-work
  quotabar accounts add copilot --github-user alice
  pass show openrouter | quotabar accounts add openrouter --id me --api-key-stdin
  quotabar accounts rename claude/default personal
  quotabar accounts remove openrouter/me

Config files are changed only when valid (an invalid one is left as it is), under a lock, keeping
your other settings; files without "version" or with legacy keys are migrated on the next change.`

function listTable(rows: AccountRow[], home: string): string {
  const withEmail = rows.some((r) => r.email)
  const head = ['KEY', 'LABEL', 'STATUS', 'AGE', ...(withEmail ? ['EMAIL'] : []), 'LOGIN']
  const body = rows.map((r) => [
    r.key,
    r.label,
    r.status,
    r.ageSeconds === null ? '-' : formatDuration(r.ageSeconds),
    ...(withEmail ? [r.email ?? '-'] : []),
    describeSource(r.credential, home),
  ])
  return formatTable([head, ...body])
}

const listSubcommand: AccountsSubcommand = (y, done) =>
  y.command(
    ['list', 'ls'],
    'every account (config file or the logins found), its login, status and data age',
    (c) =>
      c
        .option('json', { type: 'boolean', default: false, describe: 'print JSON' })
        .option('redact', { type: 'boolean', default: false, describe: REDACT_DESCRIPTION }),
    async (args) => {
      const ctx = await loadContext(process.env, optionalString(args.config))
      const redact = args.redact || ctx.settings.redact
      const now = ctx.now()
      const rows = listAccounts(ctx.settings, { ...ctx.paths, env: ctx.env, now, redact })
      if (args.json) {
        const doc = { configFile: ctx.configFile, generatedAt: now.toISOString(), accounts: rows }
        writeFd(1, `${JSON.stringify(doc, null, 2)}\n`)
      } else {
        const where = ctx.configFile
          ? `${rows.length} account(s) in ${tildify(ctx.configFile, ctx.paths.home)}`
          : `no config file: ${rows.length} login(s) found on this machine (\`quotabar accounts discover --write\` saves them)`
        writeFd(1, `${rows.length ? `${listTable(rows, ctx.paths.home)}\n` : ''}${where}\n`)
      }
      done(0)
    },
  )

/** The subcommands, in --help order: the words that name each and how to load it. */
const subcommands: [names: string[], load: () => Promise<AccountsSubcommand>][] = [
  [['list', 'ls'], async () => listSubcommand],
  [['add'], async () => (await import('./accounts-add.js')).addSubcommand],
  [['remove', 'rm'], async () => (await import('./accounts-edit.js')).removeSubcommand],
  [['rename'], async () => (await import('./accounts-edit.js')).renameSubcommand],
  [['discover'], async () => (await import('./accounts-discover.js')).discoverSubcommand],
  // `accounts verify KEY` is the same command as `quotabar verify KEY`.
  [['verify'], async () => (await import('./verify.js')).verifyCommand],
]

/**
 * One `accounts` Command per selection of subcommands, so the same argv registers the same function
 * (registry.ts's other entries are module exports, and --help's list compares equal to itself).
 */
const built = new Map<(typeof subcommands)[number] | 'all', Promise<Command>>()

/** The `accounts` command with the subcommand argv names after it, or all of them (help, typos). */
export function accountsCommand(argv: string[]): Promise<Command> {
  const word = commandWord(argv.slice(commandIndex(argv) + 1))
  const named = subcommands.find(([names]) => word !== undefined && names.includes(word))
  const key = named ?? 'all'
  let command = built.get(key)
  if (!command) {
    command = withSubcommands(named ? [named] : subcommands)
    built.set(key, command)
  }
  return command
}

async function withSubcommands(chosen: typeof subcommands): Promise<Command> {
  const loaded = await Promise.all(chosen.map(([, load]) => load()))
  return (y, done) =>
    y.command('accounts', 'list, add, remove, rename and discover accounts', (c: Argv) => {
      let parser = c
      for (const add of loaded) parser = add(parser, done)
      return parser
        .demandCommand(1, 'name an accounts subcommand (see quotabar accounts --help)')
        .epilogue(EXAMPLES)
    })
}
