import type { Env } from '../config/paths.js'
import type { Account } from '../model.js'
import { getDescriptor } from '../providers/descriptors.js'
import { machineFs } from '../providers/machine-fs.js'
import type { LoginPlace } from '../providers/types.js'

export type { LoginPlace }

/**
 * Where an account's login lives and the variable that points the provider's own CLI at it
 * (ProviderDescriptor.loginPlace), for `CLAUDE_CONFIG_DIR=$(quotabar best claude --print config-dir) claude`.
 */
export function loginPlace(account: Account, env: Env, home: string): LoginPlace {
  return (
    getDescriptor(account.provider)?.loginPlace?.(account, env, home, machineFs) ?? {
      ok: false,
      why: `${account.key} has no login directory (its provider uses an API key or a command)`,
    }
  )
}

/** Bare when the shell would read it back unchanged, else single-quoted. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
}
