import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Env } from './config/paths.js'
import type { ErrorInfo } from './model.js'
import type { Account } from './providers/types.js'

/**
 * API keys for providers that use one: `apiKeyEnv` (a variable's name), `apiKeyCommand` (run
 * with a timeout, trimmed stdout is the key), or the 0600 credentials file that
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

export function runSecretCommand(command: string, env: Env): Promise<SecretResult> {
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', command],
      { env, timeout: COMMAND_TIMEOUT_MS, maxBuffer: COMMAND_MAX_BYTES, encoding: 'utf8' },
      (err, stdout) => {
        // The command's stderr and stdout are never echoed: either may hold the secret.
        if (err) {
          const why = err.killed ? 'timed out' : `failed (exit ${err.code ?? '?'})`
          resolve(missing(`apiKeyCommand ${why}`, 'run the command in a terminal to check it'))
          return
        }
        const secret = stdout.trim()
        resolve(
          secret
            ? { ok: true, secret, source: 'apiKeyCommand' }
            : missing('apiKeyCommand printed nothing', 'check the command'),
        )
      },
    )
  })
}

function readStored(env: Env, key: string): string | null {
  try {
    const data: unknown = JSON.parse(readFileSync(credentialsFilePath(env), 'utf8'))
    const entry =
      typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined
    return typeof entry === 'string' && entry ? entry : null
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
