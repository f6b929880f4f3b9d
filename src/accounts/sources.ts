import { realpathSync } from 'node:fs'
import type { Env } from '../config/paths.js'
import type { AccountConfig } from '../model.js'
import { descriptorList, getDescriptor } from '../providers/descriptors.js'
import { fallbackKeyEnv } from '../providers/env-keys.js'
import { machineFs } from '../providers/machine-fs.js'
import { identities } from '../providers/identities.js'
import type { LoginDirs, LoginIdentity } from '../providers/types.js'

/**
 * Logins that live in a provider's own config dir (ProviderDescriptor.loginDirs): where to look
 * on this machine, which dir an account uses, and who is logged in there (the adapter's
 * `identity`, through providers/identities.ts). Stat and read only.
 */

export interface DirKind {
  provider: string
  dirs: LoginDirs
  identity(dir: string, home: string): LoginIdentity | null
}

/** Every registered provider whose logins are dirs, in registry order. */
export function loginDirKinds(): DirKind[] {
  return descriptorList.flatMap((d) => {
    const dirs = d.loginDirs
    if (!dirs) return []
    const identity = (dir: string, home: string) => identities[d.id]?.(dir, home) ?? null
    return [{ provider: d.id, dirs, identity }]
  })
}

export const dirKindOf = (provider: string) => loginDirKinds().find((k) => k.provider === provider)

/**
 * The login dir of an account, when it reads one: a provider with both keys and a CLI login
 * (keyFallback and loginDirs) reads a found key first unless configDir names the login
 * (src/providers/balance.ts keyFor), and such an account is its key, not the default login dir.
 */
export function loginDirOf(a: AccountConfig, env: Env, home: string): { kind: DirKind; dir: string } | null {
  const kind = dirKindOf(a.provider)
  if (!kind || a.apiKeyEnv || a.apiKeyCommand) return null
  const fallback = getDescriptor(a.provider)?.keyFallback
  if (fallback && !a.configDir && env[fallbackKeyEnv(a, fallback, env)]?.trim()) return null
  return { kind, dir: kind.dirs.dirOf(a, env, home, machineFs) }
}

/** `~/.claude-work` instead of `/home/me/.claude-work`: shorter, and portable in a dotfiles repo. */
export function tildify(path: string, home: string): string {
  return home && home !== '/' && (path === home || path.startsWith(`${home}/`))
    ? `~${path.slice(home.length)}`
    : path
}

/** The same dir reached through a symlink or a trailing slash is one location. */
export function realDir(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path.replace(/(.)\/+$/, '$1')
  }
}
