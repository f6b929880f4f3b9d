import { type Env, expandPath } from '../config/paths.js'
import type { AccountConfig } from '../model.js'
import { getDescriptor } from '../providers/descriptors.js'
import { fallbackKeyEnv } from '../providers/env-keys.js'
import { machineFs } from '../providers/machine-fs.js'
import { hashValue } from './key-vars.js'
import { loginDirOf, realDir } from './sources.js'

/**
 * The match keys of an account: `where:` keys name the place (dir, variable, a place its
 * descriptor names, such as a gh user), `who:` keys the login (its account id, or the key's
 * hash). Equal keys mean the same account.
 */
export function keysOf(a: AccountConfig, env: Env, home: string): string[] {
  const keys: string[] = []
  const login = loginDirOf(a, env, home)
  if (login) {
    keys.push(`where:${a.provider}:${realDir(login.dir)}`)
    const who = login.kind.identity(login.dir, home)
    if (who) keys.push(`who:${a.provider}:${who.key}`)
  } else if (a.configDir) keys.push(`where:${a.provider}:${realDir(expandPath(a.configDir, env))}`)
  const d = getDescriptor(a.provider)
  // The variable it reads: its own, else the one its id picks (the same rule as its fetch).
  const variable =
    a.apiKeyEnv ?? (d?.keyFallback && !a.apiKeyCommand ? fallbackKeyEnv(a, d.keyFallback, env) : undefined)
  const value = variable ? env[variable]?.trim() : undefined
  if (a.apiKeyEnv || value) keys.push(`where:${a.provider}:$${variable}`)
  if (value) keys.push(`who:${a.provider}:${hashValue(value)}`)
  for (const place of d?.placesOf?.(a, env, home, machineFs) ?? []) keys.push(`where:${a.provider}:${place}`)
  return keys
}
