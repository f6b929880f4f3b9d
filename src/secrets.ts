import { unlinkSync } from 'node:fs'
import { readLoginFile } from './providers/login-files.js'
import { join } from 'node:path'
import { runBounded } from './child.js'
import { isRec, nonEmpty, str } from './hand-check.js'
import { writeFileAtomic } from './cache/store.js'
import type { Env } from './config/paths.js'
import type { ErrorInfo } from './model.js'
import type { Account } from './model.js'

/**
 * API keys for providers that use one: `apiKeyEnv` (a variable's name), `apiKeyCommand` (run
 * with a timeout, the first non-empty line of stdout, trimmed, is the key), or the 0600 credentials file that
 * `quotabar accounts add --api-key-stdin` writes. Keys never go into config.json.
 */

export type SecretResult = { ok: true; secret: string; source: string } | { ok: false; error: ErrorInfo }

const COMMAND_TIMEOUT_MS = 10_000
const COMMAND_MAX_BYTES = 64 * 1024

export function credentialsFilePath(env: Env): string {
  const home = env.HOME || '/'
  const base = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config')
  return join(base, 'quotabar', 'credentials.json')
}

function missing(message: string, fix: string): SecretResult {
  return { ok: false, error: { kind: 'credentials', message, fix, httpStatus: null } }
}

export async function runSecretCommand(command: string, env: Env): Promise<SecretResult> {
  const r = await runBounded('/bin/sh', ['-c', command], {
    env,
    timeoutMs: COMMAND_TIMEOUT_MS,
    maxBytes: COMMAND_MAX_BYTES,
    killLeftovers: true,
  })
  // The command's stderr and stdout are never echoed: either may hold the secret.
  if (r.failure || r.code !== 0) {
    const why =
      r.failure === 'timeout'
        ? 'timed out'
        : r.failure === 'too-large'
          ? 'printed too much'
          : `failed (exit ${r.code ?? r.signal ?? r.spawnError?.code ?? '?'})`
    return missing(`apiKeyCommand ${why}`, 'run the command in a terminal to check it')
  }
  // The first line is the key, as `pass show` users expect (it prints the password, then
  // `login: ...` and other fields); a newline must never reach a header.
  const secret = (r.stdout.split(/\r?\n/).find((l) => l.trim()) ?? '').trim()
  return secret
    ? { ok: true, secret, source: 'apiKeyCommand' }
    : missing('apiKeyCommand printed nothing', 'check the command')
}

/** The key stored for an account (`provider/id`), or null. */
export function readStored(env: Env, key: string): string | null {
  try {
    const data: unknown = JSON.parse(readLoginFile(credentialsFilePath(env)))
    const entry = isRec(data) ? data[key] : undefined
    return nonEmpty(entry) ? entry : null
  } catch {
    return null
  }
}

/** Resolves an account's API key; `defaultEnv` names the variable used when the account names none. */
export async function resolveApiKey(account: Account, env: Env, defaultEnv?: string): Promise<SecretResult> {
  if (account.apiKeyEnv) {
    const v = env[account.apiKeyEnv]
    return v
      ? { ok: true, secret: v, source: `$${account.apiKeyEnv}` }
      : missing(
          `$${account.apiKeyEnv} is not set`,
          `export ${account.apiKeyEnv} in the environment your bar runs in`,
        )
  }
  if (account.apiKeyCommand) return runSecretCommand(account.apiKeyCommand, env)
  const stored = readStored(env, account.key)
  if (stored) return { ok: true, secret: stored, source: 'credentials file' }
  if (defaultEnv && env[defaultEnv])
    return { ok: true, secret: env[defaultEnv] as string, source: `$${defaultEnv}` }
  return missing(
    `no API key for ${account.key}`,
    `set apiKeyEnv or apiKeyCommand for it in config.json${defaultEnv ? `, or export ${defaultEnv}` : ''}`,
  )
}

/** `{"provider/id": "key"}`: an object of strings (checked by hand: `accounts list` reads it, zod-free). */
const isStored = (v: unknown): v is Record<string, string> => isRec(v) && Object.values(v).every(str)

/** Every stored key by account; a missing file is empty, a damaged one is an error (never overwritten). */
function readStoredFile(file: string): Record<string, string> {
  let text: string
  try {
    text = readLoginFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw new Error(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let data: unknown = null
  try {
    data = JSON.parse(text)
  } catch {}
  if (!isStored(data)) {
    throw new Error(`${file} is not a quotabar credentials file ({"provider/id": "key"}); fix or remove it`)
  }
  return data
}

/**
 * Stores an account's key in the credentials file (0600, directory 0700, replaced atomically).
 * Read-modify-write: callers hold the config lock (src/accounts/write.ts), as `accounts add` does.
 */
export function storeSecret(env: Env, key: string, secret: string): void {
  const file = credentialsFilePath(env)
  const stored = readStoredFile(file)
  stored[key] = secret
  writeFileAtomic(file, `${JSON.stringify(stored, null, 2)}\n`)
}

/** Removes an account's stored key; true when there was one. An emptied file is deleted. */
export function removeSecret(env: Env, key: string): boolean {
  const file = credentialsFilePath(env)
  const stored = readStoredFile(file)
  if (!Object.hasOwn(stored, key)) return false
  delete stored[key]
  if (Object.keys(stored).length > 0) writeFileAtomic(file, `${JSON.stringify(stored, null, 2)}\n`)
  else unlinkSync(file)
  return true
}

/** Which accounts have a stored key (for `accounts list`); never the keys themselves. */
export function storedSecretKeys(env: Env): Set<string> {
  try {
    return new Set(Object.keys(readStoredFile(credentialsFilePath(env))))
  } catch {
    return new Set()
  }
}
