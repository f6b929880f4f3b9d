import type { HttpError } from '../../http.js'
import { adminSpendAdapter } from '../admin-spend.js'
import type { Advice, ServiceWords } from '../result.js'
import type { FailedLogin, ProviderAdapter } from '../types.js'
import type { AnthropicAccount } from './fields.js'
import { fetchAnthropicSpend } from './api.js'

export const ANTHROPIC_KEY_ENV = 'ANTHROPIC_ADMIN_KEY'
const ADMIN_KEYS_PAGE = 'console.anthropic.com/settings/admin-keys'
const ANTHROPIC: ServiceWords = {
  name: 'Anthropic',
  api: 'the usage and cost API',
  host: 'api.anthropic.com',
  trouble: ' (529 means overloaded)',
}

/** API spend from one Anthropic admin key, optionally narrowed to a workspace and/or an API key. */
export const anthropicAdapter = adminSpendAdapter({
  id: 'anthropic',
  keyEnv: ANTHROPIC_KEY_ENV,
  filters: ['workspaceId', 'apiKeyId'],
  fetch: fetchAnthropicSpend,
  words: ANTHROPIC,
  fix: anthropicFix,
}) satisfies ProviderAdapter<AnthropicAccount>

const NOT_ADMIN_FIX = `use an Admin API key (sk-ant-admin…), not a regular API key: an organisation admin creates one at ${ADMIN_KEYS_PAGE} (individual accounts have no Admin API)`

/** Which key was refused: a regular key may get 401 "invalid x-api-key" here too (§4.2). */
function anthropicFix(err: HttpError, c: FailedLogin): Advice | undefined {
  if (err.kind !== 'auth' && err.kind !== 'forbidden') return undefined
  if (!c.secret?.startsWith('sk-ant-admin'))
    return { fix: NOT_ADMIN_FIX, message: `this is not an Admin API key (sk-ant-admin…): ${err.message}` }
  return err.kind === 'auth'
    ? {
        fix: `check the key in ${c.source}; create an admin key at ${ADMIN_KEYS_PAGE} if it was revoked`,
        message: `the admin key was rejected (${err.message})`,
      }
    : `this admin key may not read usage and cost reports; check it at ${ADMIN_KEYS_PAGE}`
}
