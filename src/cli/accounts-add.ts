import { basename } from 'node:path'
import type { Argv, Options } from 'yargs'
import { z } from 'zod'
import { accountProblems } from '../accounts/usable.js'
import { editConfig, type RawAccount, rawKey } from '../accounts/write.js'
import { expandPath } from '../config/paths.js'
import { providerIds } from '../providers/descriptors.js'
import { type ProviderField, providerFields } from '../providers/fields.js'
import { credentialsFilePath, removeSecret, storeSecret } from '../secrets.js'
import { FIELDS, report, seed, type Target, target, validateAccount } from './accounts-edit.js'
import { tildify } from './accounts-format.js'
import { CommandError } from '../model.js'
import { writeFd } from './write-fd.js'
import type { Command } from './registry.js'
import { optionalString } from './options.js'
import { readSecretFromStdin } from './stdin-secret.js'

/** `accounts add`: validated with the config schema before the lock is even taken. */

const sameDir = (t: Target, a: RawAccount, b: RawAccount) =>
  a.provider === b.provider &&
  typeof a.configDir === 'string' &&
  typeof b.configDir === 'string' &&
  expandPath(a.configDir, t.env) === expandPath(b.configDir, t.env)

/** A seeded login the new account names (same dir, or the same key given with --id) gives way to it. */
function dropSeeded(
  t: Target,
  accounts: RawAccount[],
  seeded: string[],
  account: RawAccount,
  byKey: boolean,
): string[] {
  const key = rawKey(account)
  for (let i = accounts.length - 1; i >= 0; i--) {
    const a = accounts[i] as RawAccount
    if (seeded.includes(rawKey(a)) && ((byKey && rawKey(a) === key) || sameDir(t, a, account)))
      accounts.splice(i, 1)
  }
  return seeded.filter((k) => accounts.some((a) => rawKey(a) === k))
}

/** Without --id: from the config dir's name, the GitHub login, or the variable's suffix. */
function suggestId(provider: string, account: RawAccount): string {
  const from = (s: string) =>
    s
      .toLowerCase()
      .replace(/^\.+/, '')
      .replace(new RegExp(`^${provider}[-_.]?`), '')
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 40)
  let id = ''
  if (typeof account.configDir === 'string') id = from(basename(account.configDir.replace(/\/+$/, '')))
  else if (typeof account.githubUser === 'string') id = from(account.githubUser)
  else if (typeof account.apiKeyEnv === 'string')
    id = from(/_KEY_(.+)$|_TOKEN_(.+)$/.exec(account.apiKeyEnv)?.slice(1).find(Boolean) ?? '')
  return id || 'default'
}

const ADD_EXAMPLES = `Examples:
  quotabar accounts add claude --id work --config-dir ~/.claude-work
  quotabar accounts add codex --config-dir ~/.codex-team       # id "team", from the dir name
  quotabar accounts add copilot --github-user alice            # id "alice"
  quotabar accounts add openai --id org --api-key-env OPENAI_ADMIN_KEY
  pass show openrouter | quotabar accounts add openrouter --id me --api-key-stdin

Without a config file, the new one starts with the logins quotabar already shows, so none disappears.`

export const addSubcommand: Command = (y, done) =>
  y.command(
    'add <provider>',
    'add an account (validated before anything is written; an API key goes to the 0600 credentials file)',
    (c: Argv) => {
      let p = c
        .positional('provider', { type: 'string', choices: providerIds, demandOption: true })
        .option('id', {
          type: 'string',
          describe: 'account id, unique per provider (default: from the login)',
        })
      p = p
        .option('label', { type: 'string', describe: 'name shown in the bar' })
        .option('config-dir', {
          type: 'string',
          describe: "the provider tool's config dir holding this login (~/.claude-work)",
        })
        .option('api-key-env', { type: 'string', describe: 'environment variable holding the API key' })
        .option('api-key-command', { type: 'string', describe: 'command printing the API key (pass show x)' })
      for (const [flag, field] of FIELDS) {
        const f = providerFields().find((x) => x.name === field)
        if (f) p = p.option(flag, providerFlag(f))
      }
      return p
        .option('base-url', {
          type: 'string',
          describe: 'origin replacing the provider default (proxies, tests)',
        })
        .option('refresh-seconds', { type: 'number', describe: 'refresh interval for this account' })
        .option('api-key-stdin', {
          type: 'boolean',
          describe: 'read the API key from stdin and store it in the 0600 credentials file',
        })
        .option('force', {
          type: 'boolean',
          default: false,
          describe: 'add it even though it cannot work yet (no login in --config-dir, ...)',
        })
        .conflicts('api-key-stdin', ['api-key-env', 'api-key-command'])
        .conflicts('api-key-env', 'api-key-command')
        .epilogue(ADD_EXAMPLES)
    },
    async (args) => {
      const t = target(optionalString(args.config))
      const provider = String(args.provider)
      const account: RawAccount = { provider, id: args.id ?? '' }
      for (const [flag, field] of FIELDS) if (args[flag] !== undefined) account[field] = args[flag]
      const explicitId = args.id !== undefined
      if (!explicitId) account.id = suggestId(provider, account)
      validateAccount(account)
      const problems = accountProblems({ ...account, provider, id: String(account.id) }, t.env, t.home)
      // Read before taking the lock: a person typing must not hold up other writers.
      const secret = args.apiKeyStdin ? await readSecretFromStdin(`${provider}/${account.id}`) : null
      let seeded: string[] = []
      const out = await editConfig(t, (accounts, info) => {
        seeded = seed(t, accounts, info.exists)
        if (seeded.length) seeded = dropSeeded(t, accounts, seeded, account, explicitId)
        if (!explicitId) {
          const base = String(account.id)
          for (let n = 2; accounts.some((a) => rawKey(a) === rawKey(account)); n++)
            account.id = `${base}-${n}`
        }
        const key = rawKey(account)
        const clash = accounts.find((a) => rawKey(a) === key)
        if (clash) {
          const label = typeof clash.label === 'string' ? ` ("${clash.label}")` : ''
          throw new CommandError(
            `account ${key}${label} already exists; choose another --id, or run \`quotabar accounts remove ${key}\` first`,
          )
        }
        const same = accounts.find((a) => sameDir(t, a, account))
        if (same)
          throw new CommandError(`${rawKey(same)} already uses ${account.configDir}: one dir is one login`)
        if (problems.length > 0 && !args.force) {
          throw new CommandError(
            `${key} would not work: ${problems.join('; ')}\n  fix: log in first (or set what is missing), or add --force to add it anyway`,
          )
        }
        accounts.push(account)
        return {
          result: key,
          before: secret ? () => storeSecret(t.env, key, secret) : undefined,
          undo: secret ? () => removeSecret(t.env, key) : undefined,
        }
      })
      const lines = [`added ${out.result} to ${tildify(t.configFile, t.home)}`]
      if (secret)
        lines.push(
          `its key is in ${tildify(credentialsFilePath(t.env), t.home)} (mode 0600), not in the config file`,
        )
      report(t, out, seeded, lines)
      for (const p of problems) writeFd(2, `warning: ${p} (added anyway: --force)\n`)
      warnAbout(t, account)
      done(0)
    },
  )

/** A provider field as a flag: its type and choices from the schema, its help from `.describe()`. */
function providerFlag(f: ProviderField): Options {
  const inner = f.schema instanceof z.ZodOptional ? f.schema.unwrap() : f.schema
  const describe = `${f.providers.join(' / ')}: ${z.globalRegistry.get(inner)?.description ?? f.name}`
  if (inner instanceof z.ZodNumber) return { type: 'number', describe }
  if (inner instanceof z.ZodBoolean) return { type: 'boolean', describe }
  if (inner instanceof z.ZodEnum) return { type: 'string', describe, choices: inner.options }
  return { type: 'string', describe }
}

/** Things that will not work yet, said now rather than as an error in the bar later. */
function warnAbout(t: Target, a: RawAccount): void {
  if (typeof a.apiKeyEnv === 'string' && !t.env[a.apiKeyEnv])
    writeFd(2, `note: $${a.apiKeyEnv} is not set here; export it in the environment your bar runs in\n`)
}
