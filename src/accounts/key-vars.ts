import type { Env } from '../config/paths.js'
import { descriptorList } from '../providers/descriptors.js'
import { keyAccounts } from '../providers/env-keys.js'
import { fingerprintOf } from '../providers/fingerprint.js'

/**
 * Every provider's key variables (ProviderDescriptor.keyVariables), read with the one id rule of
 * src/providers/env-keys.ts, so discovery and the bar without a config file agree on each id.
 */
export const KEY_VARIABLES: { name: string; provider: string; id: string }[] = descriptorList.flatMap((d) =>
  (d.keyVariables ?? []).map((v) => ({ name: v.name, provider: d.id, id: v.id ?? 'default' })),
)

export interface KeyVariable {
  variable: string
  provider: string
  id: string
  /** A hash of the value, to spot one key under two names; the value itself is not kept. */
  valueHash: string
}

export const hashValue = (value: string) => fingerprintOf(value)

/** Set, non-empty key variables in `env`, plain names before their suffixed variants. */
export function findKeyVariables(env: Env): { found: KeyVariable[]; invalid: string[] } {
  const found: KeyVariable[] = []
  const invalid: string[] = []
  for (const known of KEY_VARIABLES) {
    const r = keyAccounts(known, env)
    invalid.push(...r.invalid)
    for (const { variable, id } of r.found) {
      found.push({
        variable,
        provider: known.provider,
        id,
        valueHash: hashValue(env[variable]?.trim() ?? ''),
      })
    }
  }
  return { found, invalid }
}
