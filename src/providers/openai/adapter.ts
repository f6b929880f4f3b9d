import type { HttpError } from '../../http.js'
import { adminSpendAdapter } from '../admin-spend.js'
import type { Advice, ServiceWords } from '../result.js'
import type { FailedLogin, ProviderAdapter } from '../types.js'
import type { OpenAiAccount } from './fields.js'
import { fetchOpenAiSpend } from './api.js'

export const OPENAI_KEY_ENV = 'OPENAI_ADMIN_KEY'
const ADMIN_KEYS_PAGE = 'platform.openai.com/settings/organization/admin-keys'
const OPENAI: ServiceWords = { name: 'OpenAI', api: 'the usage API', host: 'api.openai.com' }

/** API spend from one admin key, optionally narrowed to a project and/or an API key. */
export const openaiAdapter = adminSpendAdapter({
  id: 'openai',
  keyEnv: OPENAI_KEY_ENV,
  filters: ['projectId', 'apiKeyId'],
  fetch: fetchOpenAiSpend,
  words: OPENAI,
  fix: openaiFix,
}) satisfies ProviderAdapter<OpenAiAccount>

/** Which key was refused, and what to use instead. */
function openaiFix(err: HttpError, c: FailedLogin): Advice | undefined {
  switch (err.kind) {
    case 'auth':
      return {
        fix: `check the key in ${c.source}; create an admin key at ${ADMIN_KEYS_PAGE} if it was revoked`,
        message: `the admin key was rejected (${err.message})`,
      }
    case 'forbidden':
      // Project keys (sk-proj-…) get 403 "Missing scopes: api.usage.read" (§3.3).
      return c.secret?.startsWith('sk-admin-')
        ? `this admin key may not read usage (it needs api.usage.read); create a new one at ${ADMIN_KEYS_PAGE}`
        : {
            fix: `use an admin key (sk-admin-…), not a project or user key: create one at ${ADMIN_KEYS_PAGE} (organisation owners only)`,
            message: `this is not an admin key (sk-admin-…): ${err.message}`,
          }
    default:
      return undefined
  }
}
