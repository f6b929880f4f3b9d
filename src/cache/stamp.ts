import type { Env } from '../config/paths.js'
import { fileStamp } from '../config/checked.js'
import { getDescriptor } from '../providers/descriptors.js'
import type { Account } from '../model.js'

/** A cheap identity of an account's login files (stat only): it changes when the user logs in again. */
export function credentialStamp(account: Account, env: Env, home: string): string {
  const files = getDescriptor(account.provider)?.credentialFiles(account, env, home) ?? []
  return files.map((f) => fileStamp(f) ?? '-').join('|')
}
