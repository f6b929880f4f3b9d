import type { Env } from '../config/paths.js'
import { configSchema } from '../config/schema.js'
import type { AccountConfig } from '../model.js'
import { type Discovery, discoverWith } from './discover-core.js'

export type { Discovery, Finding } from './discover-core.js'

/** Every login on this machine against the configured accounts (discover-core.ts), checked by the schema. */
export function discoverAccounts(existing: AccountConfig[], env: Env, home: string): Discovery {
  return discoverWith(existing, env, home, schemaProblem)
}

/** A new account the config schema would refuse, said as `accounts discover` lists it. */
export function schemaProblem(account: AccountConfig): string | null {
  const valid = configSchema.safeParse({ accounts: [account] })
  return valid.success ? null : `not a valid account (${valid.error.issues[0]?.message})`
}
