import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../../cache/store.js'
import { type Env, resolvePaths } from '../../config/paths.js'
import { fingerprintOf } from '../fingerprint.js'

/**
 * claude.ai may answer with `Set-Cookie: sessionKey=…`: the session key rotated, and the old one
 * may stop working. The new key is kept in quotabar's own 0600 file (never in the user's
 * variable, command or config), tied to the key it replaced: when the user configures another
 * key, the stored one no longer applies.
 */
const storeFile = (env: Env) => join(resolvePaths(env).stateDir, 'claude-web-sessions.json')

type Store = Record<string, { from: string; key: string }>

function readStore(env: Env): Store {
  try {
    const data: unknown = JSON.parse(readFileSync(storeFile(env), 'utf8'))
    if (typeof data !== 'object' || data === null) return {}
    const out: Store = {}
    for (const [k, v] of Object.entries(data)) {
      const e = v as Partial<Store[string]>
      if (typeof e?.from === 'string' && typeof e.key === 'string') out[k] = { from: e.from, key: e.key }
    }
    return out
  } catch {
    return {}
  }
}

/** The rotated key for this account, if it replaced the key configured now. */
export function rotatedKey(env: Env, account: string, configured: string): string | null {
  const e = readStore(env)[account]
  return e && e.from === fingerprintOf(configured) ? e.key : null
}

export function keepRotatedKey(env: Env, account: string, configured: string, key: string): void {
  const store = readStore(env)
  store[account] = { from: fingerprintOf(configured), key }
  writeFileAtomic(storeFile(env), `${JSON.stringify(store, null, 2)}\n`)
}

/** `sessionKey=<value>` from a response's Set-Cookie header(s), or null. */
export function sessionKeyFrom(setCookie: string | string[] | undefined): string | null {
  for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
    const m = /(?:^|;\s*)sessionKey=([^;\s]+)/.exec(c)
    if (m?.[1]?.startsWith('sk-ant-')) return m[1]
  }
  return null
}
