import type { Env } from '../config/paths.js'
import type { AccountConfig } from '../model.js'
import { getDescriptor } from '../providers/descriptors.js'
import { machineFs } from '../providers/machine-fs.js'

/**
 * Which login a new session of the provider's own CLI would use, for `show`, `doctor` and
 * `accounts list`: the descriptor's check with the machine's files at hand (gh's active user
 * needs its hosts.yml), which the render path does not read.
 */
export function isAccountActive(account: AccountConfig, env: Env, home: string): boolean {
  return getDescriptor(account.provider)?.isActive?.(account, env, home, machineFs) ?? false
}
