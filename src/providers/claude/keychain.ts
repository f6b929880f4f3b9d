import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../../cache/store.js'
import { type Env, resolvePaths } from '../../config/paths.js'
import { sha256Hex } from '../sha256.js'

/**
 * Claude Code on macOS keeps its login in the Keychain, not in `.credentials.json`: generic
 * password, service `Claude Code-credentials`, or `Claude Code-credentials-<first 8 hex of
 * sha256(NFC(configDir))>` for a `CLAUDE_CONFIG_DIR` login (falling back to the plain name).
 *
 * Read-only and opt-in (`"keychain": true` on a claude account): only `security
 * find-generic-password -s <service> -w` is ever run, never an add-/delete- verb. macOS may ask
 * the user to allow it; a refusal (or no answer, or no GUI to ask on) is remembered in quotabar's
 * state dir for HOLD_MS so the bar never prompts in a loop.
 */
export const KEYCHAIN_SERVICE = 'Claude Code-credentials'
const TIMEOUT_MS = 20_000
const HOLD_MS = 24 * 3600 * 1000
/** `security`'s exit status for "item not found" (errSecItemNotFound). */
const NOT_FOUND = 44

export function keychainServices(configDir: string, isDefault: boolean): string[] {
  if (isDefault) return [KEYCHAIN_SERVICE]
  const suffix = sha256Hex(configDir.normalize('NFC')).slice(0, 8)
  return [`${KEYCHAIN_SERVICE}-${suffix}`, KEYCHAIN_SERVICE]
}

export type KeychainRead =
  | { found: true; text: string; service: string }
  | { found: false; refused: null }
  | { found: false; refused: { message: string; fix: string } }

const holdFile = (env: Env) => join(resolvePaths(env).stateDir, 'keychain-refused.json')

function readHolds(env: Env): Record<string, string> {
  try {
    const data: unknown = JSON.parse(readFileSync(holdFile(env), 'utf8'))
    if (typeof data !== 'object' || data === null) return {}
    return Object.fromEntries(
      Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'),
    )
  } catch {
    return {}
  }
}

function hold(env: Env, service: string, until: Date): void {
  try {
    writeFileAtomic(
      holdFile(env),
      `${JSON.stringify({ ...readHolds(env), [service]: until.toISOString() })}\n`,
    )
  } catch {}
}

/** The first service that has an item; a refused read stops the search (and is held). */
export function readKeychain(services: string[], env: Env, nowMs: number): KeychainRead {
  const holds = readHolds(env)
  for (const service of services) {
    const until = holds[service]
    if (until && Date.parse(until) > nowMs) return { found: false, refused: refusal(service, until, env) }
    // Fetched here (an account with `keychain: true` only): loading node:child_process costs ~2 ms.
    const r = process
      .getBuiltinModule('node:child_process')
      .spawnSync('security', ['find-generic-password', '-s', service, '-w'], {
        env,
        encoding: 'utf8',
        timeout: TIMEOUT_MS,
        maxBuffer: 256 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
      })
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT')
      return { found: false, refused: null }
    if (r.status === 0 && r.stdout.trim()) return { found: true, text: r.stdout.trim(), service }
    if (r.status === NOT_FOUND) continue
    // Denied, timed out (nobody answered the prompt) or not allowed to ask: hold, do not re-ask.
    const next = new Date(nowMs + HOLD_MS).toISOString()
    hold(env, service, new Date(next))
    return { found: false, refused: refusal(service, next, env) }
  }
  return { found: false, refused: null }
}

function refusal(service: string, until: string, env: Env) {
  return {
    message: `the macOS Keychain did not give quotabar "${service}" (refused or unanswered)`,
    fix: `allow it for \`security\` in Keychain Access; quotabar asks again after ${until} (delete ${holdFile(env)} to ask now)`,
  }
}
