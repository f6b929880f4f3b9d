import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Env, expandPath } from '../config/paths.js'
import { ghConfigDir } from '../providers/copilot/descriptor.js'
import type { AccountConfig } from '../model.js'
import { type GhHost, parseGhHosts } from './hosts-yml.js'
import { hashValue } from './key-vars.js'
import { DIR_KINDS, realDir } from './sources.js'

export const GITHUB = 'github.com'

export function readGhHosts(env: Env, home: string): GhHost[] {
  try {
    return parseGhHosts(readFileSync(join(ghConfigDir({}, env, home), 'hosts.yml'), 'utf8'))
  } catch {
    return []
  }
}

export const ghKey = (host: string, user: string) =>
  `where:copilot:${host.toLowerCase()}:${user.toLowerCase()}`

/**
 * The match keys of an account: `where:` keys name the place (dir, variable, gh user), `who:` keys
 * the login (its account id, or the key's hash). Equal keys mean the same account.
 */
export function keysOf(a: AccountConfig, env: Env, home: string, hosts: GhHost[]): string[] {
  const keys: string[] = []
  const kind = DIR_KINDS.find((k) => k.provider === a.provider)
  if (kind && !a.apiKeyEnv && !a.apiKeyCommand) {
    const dir = kind.dirOf(a, env, home)
    keys.push(`where:${a.provider}:${realDir(dir)}`)
    const who = kind.identity(dir, home)
    if (who) keys.push(`who:${a.provider}:${who.key}`)
  } else if (a.configDir) keys.push(`where:${a.provider}:${realDir(expandPath(a.configDir, env))}`)
  if (a.apiKeyEnv) {
    keys.push(`where:${a.provider}:$${a.apiKeyEnv}`)
    const value = env[a.apiKeyEnv]?.trim()
    if (value) keys.push(`who:${a.provider}:${hashValue(value)}`)
  }
  if (a.provider === 'copilot' && !a.apiKeyEnv && !a.apiKeyCommand) {
    const host = typeof a.hostname === 'string' ? a.hostname : GITHUB
    const user = typeof a.githubUser === 'string' ? a.githubUser : hosts.find((h) => h.host === host)?.active
    if (user) keys.push(ghKey(host, user))
  }
  return keys
}
