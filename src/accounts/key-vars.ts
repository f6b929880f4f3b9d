import { createHash } from 'node:crypto'
import type { Env } from '../config/paths.js'

/**
 * Well-known API-key variables and the provider each belongs to. `NAME_SUFFIX` is another account
 * of the same provider (`OPENROUTER_API_KEY_WORK` → `openrouter/work`). Only providers registered
 * when discovery runs are used; the others are reported as skipped.
 */
export const KEY_VARIABLES: { name: string; provider: string; id: string }[] = [
  { name: 'OPENAI_ADMIN_KEY', provider: 'openai', id: 'default' },
  { name: 'ANTHROPIC_ADMIN_KEY', provider: 'anthropic', id: 'default' },
  { name: 'OPENROUTER_API_KEY', provider: 'openrouter', id: 'default' },
  { name: 'DEEPSEEK_API_KEY', provider: 'deepseek', id: 'default' },
  { name: 'MOONSHOT_API_KEY', provider: 'moonshot', id: 'default' },
  { name: 'KIMI_API_KEY', provider: 'kimi', id: 'default' },
  { name: 'MINIMAX_API_KEY', provider: 'minimax', id: 'default' },
  { name: 'ZAI_API_KEY', provider: 'zai', id: 'default' },
  { name: 'FACTORY_API_KEY', provider: 'factory', id: 'default' },
  // Copilot CLI's documented order. "token", not "default": gh's own login is usually copilot/default.
  { name: 'COPILOT_GITHUB_TOKEN', provider: 'copilot', id: 'token' },
  { name: 'GH_TOKEN', provider: 'copilot', id: 'token' },
  { name: 'GITHUB_TOKEN', provider: 'copilot', id: 'token' },
]

export interface KeyVariable {
  variable: string
  provider: string
  id: string
  /** A hash of the value, to spot one key under two names; the value itself is not kept. */
  valueHash: string
}

const ID = /^[a-z0-9][a-z0-9._-]{0,39}$/

/** `WORK` → `work`, `MY_TEAM` → `my-team`; null when no valid id comes out. */
export function idFromSuffix(suffix: string): string | null {
  const id = suffix
    .toLowerCase()
    .replace(/_+/g, '-')
    .replace(/^-+|-+$/g, '')
  return ID.test(id) ? id : null
}

export const hashValue = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16)

/** Set, non-empty key variables in `env`, base names before their suffixed variants. */
export function findKeyVariables(env: Env): { found: KeyVariable[]; invalid: string[] } {
  const found: KeyVariable[] = []
  const invalid: string[] = []
  for (const known of KEY_VARIABLES) {
    const names = Object.keys(env)
      .filter((n) => n === known.name || n.startsWith(`${known.name}_`))
      .sort((a, b) => a.length - b.length || a.localeCompare(b))
    for (const variable of names) {
      const value = env[variable]?.trim()
      if (!value) continue
      const id = variable === known.name ? known.id : idFromSuffix(variable.slice(known.name.length + 1))
      if (id === null) invalid.push(variable)
      else found.push({ variable, provider: known.provider, id, valueHash: hashValue(value) })
    }
  }
  return { found, invalid }
}
