import { join } from 'node:path'
import type { KeyResult } from '../balance.js'
import { fingerprintOf } from '../fingerprint.js'
import { readLoginFile } from '../login-files.js'
import type { Account, FetchContext, LoginIdentity } from '../types.js'
import { factoryEnvFile } from './descriptor.js'

const KEY_LINE = /^\s*(?:export\s+)?FACTORY_API_KEY\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s#]*))/m

/** The key in a Droid `.env`, read-only; null when there is no such file or no key in it. */
function keyIn(file: string): string | null {
  let text: string
  try {
    text = readLoginFile(file)
  } catch {
    return null
  }
  const m = KEY_LINE.exec(text)
  return (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').trim() || null
}

/** The Droid CLI's `.env` of an account; null when there is no such file (or no key in it). */
export function readFactoryEnvFile(account: Account, ctx: FetchContext): KeyResult | null {
  const file = factoryEnvFile(account, ctx.env, ctx.home)
  const secret = keyIn(file)
  if (!secret) return null
  return { ok: true, key: { secret, source: file, fingerprint: fingerprintOf(secret) } }
}

/**
 * The file names no account, so the key's hash stands for it (as for a key variable): two homes
 * with one key, or a home and `$FACTORY_API_KEY` holding it, are one login.
 */
export function factoryIdentity(dir: string): LoginIdentity | null {
  const secret = keyIn(join(dir, '.env'))
  return secret ? { key: fingerprintOf(secret), email: null } : null
}
