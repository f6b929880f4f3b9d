import { unlinkSync } from 'node:fs'
import type { Argv } from 'yargs'
import { type EditOutcome, editConfig, type RawAccount, rawKey } from '../accounts/write.js'
import { lockPath } from '../cache/lock.js'
import { entryPath, readEntry, writeEntry } from '../cache/store.js'
import { defaultSettings } from '../config/accounts.js'
import { type Env, resolvePaths } from '../config/paths.js'
import { configSchema } from '../config/schema.js'
import { providerFields } from '../providers/fields.js'
import { readStored, removeSecret, storeSecret } from '../secrets.js'
import { tildify } from './accounts-format.js'
import { CommandError, UsageError } from '../model.js'
import { writeFd } from './write-fd.js'
import type { Command } from './registry.js'
import { optionalString } from './options.js'

/** `accounts remove | rename` and what every change shares: all of them go through editConfig (lock, validate, conf). */

export interface Target {
  env: Env
  configFile: string
  cacheDir: string
  home: string
  /** With no config file yet, the default path starts from the logins found, so none disappears. */
  seedDefaults: boolean
}

export function target(config: string | undefined): Target {
  const env = process.env
  const paths = resolvePaths(env, config)
  return { env, ...paths, seedDefaults: !config && !env.QUOTABAR_CONFIG }
}

/** Seeds a new default config with the logins the bar showed without one; returns their keys. */
export function seed(t: Target, accounts: RawAccount[], exists: boolean): string[] {
  if (exists || !t.seedDefaults) return []
  const found = defaultSettings(t.env, t.home).accounts
  accounts.push(
    ...found.map((a) => (a.configDir ? { ...a, configDir: tildify(a.configDir, t.home) } : { ...a })),
  )
  return found.map((a) => `${a.provider}/${a.id}`)
}

export function report(t: Target, out: EditOutcome<unknown>, seeded: string[], lines: string[]): void {
  const notes = [...lines]
  if (out.created) {
    notes.push(
      seeded.length
        ? `created ${tildify(t.configFile, t.home)} with the logins found on this machine: ${seeded.join(', ')}`
        : `created ${tildify(t.configFile, t.home)}`,
    )
  }
  if (out.migrated.length) notes.push(`migrated the file to version 1: ${out.migrated.join('; ')}`)
  writeFd(1, `${notes.join('\n')}\n`)
}

/** `provider/id`, or an id only one account has. */
export function findIndex(accounts: RawAccount[], selector: string): number {
  const exact = accounts.findIndex((a) => rawKey(a) === selector)
  if (exact >= 0) return exact
  const byId = accounts.flatMap((a, i) => (a.id === selector ? [i] : []))
  if (byId.length === 1) return byId[0] as number
  const keys = accounts.map(rawKey)
  if (byId.length > 1) {
    throw new UsageError(
      `"${selector}" is the id of ${byId.length} accounts (${byId.map((i) => keys[i]).join(', ')}); name one as provider/id`,
    )
  }
  throw new UsageError(`no account ${selector}${keys.length ? `; the accounts are ${keys.join(', ')}` : ''}`)
}

export function removeCacheFiles(t: Target, key: string): void {
  for (const file of [entryPath(t.cacheDir, key), lockPath(t.cacheDir, key)]) {
    try {
      unlinkSync(file)
    } catch {}
  }
}

const kebab = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

/**
 * Flags in the order they are written to the account, after provider and id: the common fields,
 * then every provider's own (src/providers/fields.ts), so each can be set from the command line.
 */
export const FIELDS: readonly (readonly [flag: string, field: string])[] = [
  ['label', 'label'],
  ['config-dir', 'configDir'],
  ['api-key-env', 'apiKeyEnv'],
  ['api-key-command', 'apiKeyCommand'],
  ...providerFields().map((f) => [kebab(f.name), f.name] as const),
  ['base-url', 'baseUrl'],
  ['refresh-seconds', 'refreshSeconds'],
]

const flagOf = (field: PropertyKey) => {
  const hit = FIELDS.find(([, f]) => f === field)
  return hit ? `--${hit[0]}` : field === 'id' ? '--id' : String(field)
}

/** The same schema as the config file, so a bad flag is refused before anything is written. */
export function validateAccount(account: RawAccount): void {
  const parsed = configSchema.safeParse({ accounts: [account] })
  if (parsed.success) return
  const problems = parsed.error.issues.map((i) => `${flagOf(i.path[2] ?? '')}: ${i.message}`)
  throw new UsageError([...new Set(problems)].join('; '))
}

export const removeSubcommand: Command = (y, done) =>
  y.command(
    ['remove <account>', 'rm <account>'],
    'remove an account, its stored key and its cached data (the login itself is untouched)',
    (c: Argv) =>
      c.positional('account', { type: 'string', demandOption: true, describe: 'provider/id or a unique id' }),
    async (args) => {
      const t = target(optionalString(args.config))
      let seeded: string[] = []
      const out = await editConfig(t, (accounts, info) => {
        seeded = seed(t, accounts, info.exists)
        const [gone] = accounts.splice(findIndex(accounts, String(args.account)), 1)
        const key = rawKey(gone as RawAccount)
        return {
          result: key,
          after: () => {
            removeSecret(t.env, key)
            removeCacheFiles(t, key)
          },
        }
      })
      report(t, out, seeded, [`removed ${out.result} from ${tildify(t.configFile, t.home)}`])
      done(0)
    },
  )

export const renameSubcommand: Command = (y, done) =>
  y.command(
    'rename <account> <new-id>',
    'give an account a new id (its stored key and cached data follow)',
    (c: Argv) =>
      c
        .positional('account', { type: 'string', demandOption: true, describe: 'provider/id or a unique id' })
        .positional('new-id', { type: 'string', demandOption: true }),
    async (args) => {
      const t = target(optionalString(args.config))
      const newId = String(args.newId)
      let seeded: string[] = []
      const out = await editConfig(t, (accounts, info) => {
        seeded = seed(t, accounts, info.exists)
        const account = accounts[findIndex(accounts, String(args.account))] as RawAccount
        const from = rawKey(account)
        const to = `${String(account.provider)}/${newId}`
        validateAccount({ provider: account.provider, id: newId })
        if (from === to) throw new UsageError(`${from} already has the id ${newId}`)
        if (accounts.some((a) => rawKey(a) === to)) throw new CommandError(`account ${to} already exists`)
        account.id = newId // in place: the key order of the entry stays
        const secret = readStored(t.env, from)
        return {
          result: { from, to },
          before: secret ? () => storeSecret(t.env, to, secret) : undefined,
          undo: secret ? () => removeSecret(t.env, to) : undefined,
          after: () => {
            if (secret) removeSecret(t.env, from)
            const entry = readEntry(t.cacheDir, from)
            if (entry) writeEntry(t.cacheDir, { ...entry, key: to })
            removeCacheFiles(t, from)
          },
        }
      })
      report(t, out, seeded, [`renamed ${out.result.from} to ${out.result.to}`])
      done(0)
    },
  )
