import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Env } from '../config/paths.js'
import { ghConfigDir } from '../providers/copilot/descriptor.js'
import { getDescriptor } from '../providers/descriptors.js'
import { samePath } from '../providers/same-path.js'
import type { AccountConfig } from '../model.js'
import { parseGhHosts } from './hosts-yml.js'

/**
 * Which login a new session of the provider's own CLI would use. The descriptors answer with
 * path arithmetic (render path); gh's active user for a host needs its hosts.yml, read here for
 * `show`, `doctor` and `accounts list` only.
 */

const HOSTS_MAX_BYTES = 256 * 1024

/** gh's active login for `host` in hosts.yml (the `user:` key; src/accounts/hosts-yml.ts reads it). */
export function activeGhUser(hostsYml: string, host: string): string | null {
  const h = parseGhHosts(hostsYml).find((x) => x.host.toLowerCase() === host.toLowerCase())
  return h?.active ?? null
}

function readHosts(file: string): string | null {
  try {
    const text = readFileSync(file, 'utf8')
    return text.length > HOSTS_MAX_BYTES ? null : text
  } catch {
    return null
  }
}

export function isAccountActive(account: AccountConfig, env: Env, home: string): boolean {
  const d = getDescriptor(account.provider)
  if (d?.isActive?.(account, env, home)) return true
  if (account.provider !== 'copilot' || typeof account.githubUser !== 'string') return false
  if (account.apiKeyEnv || account.apiKeyCommand) return false
  const dir = ghConfigDir(account, env, home)
  if (!samePath(dir, ghConfigDir({}, env, home))) return false
  const text = readHosts(join(dir, 'hosts.yml'))
  const host = typeof account.hostname === 'string' ? account.hostname : 'github.com'
  const user = text === null ? null : activeGhUser(text, host)
  return user !== null && user.toLowerCase() === account.githubUser.toLowerCase()
}
