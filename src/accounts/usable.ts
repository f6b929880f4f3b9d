import { existsSync } from 'node:fs'
import { type Env, expandPath } from '../config/paths.js'
import type { AccountConfig } from '../model.js'
import { getDescriptor } from '../providers/descriptors.js'

/**
 * What makes an account unable to work, from its fields and files alone (no network): shared by
 * `accounts add` (which refuses it unless --force) and `config check` (so "valid" means usable).
 */
export function accountProblems(account: AccountConfig, env: Env, home: string): string[] {
  const d = getDescriptor(account.provider)
  if (!d) return []
  const problems = d.problems?.(account, env) ?? []
  if (typeof account.configDir === 'string') {
    const dir = expandPath(account.configDir, env)
    const files = d.credentialFiles(account, env, home)
    if (!existsSync(dir)) problems.push(`${account.configDir} does not exist`)
    else if (files.length > 0 && !files.some((f) => existsSync(f)))
      problems.push(`no ${d.name} login in ${account.configDir}: looked for ${files.join(', ')}`)
  }
  return problems
}
