import type { HttpError } from '../../http.js'
import type { ErrorInfo } from '../../model.js'
import { adminSpendAdapter } from '../admin-spend.js'
import type { ProviderAdapter } from '../types.js'
import { fetchOpenAiSpend } from './api.js'

export const OPENAI_KEY_ENV = 'OPENAI_ADMIN_KEY'
const ADMIN_KEYS_PAGE = 'platform.openai.com/settings/organization/admin-keys'

/** API spend from one admin key, optionally narrowed to a project and/or an API key. */
export const openaiAdapter = adminSpendAdapter({
  id: 'openai',
  keyEnv: OPENAI_KEY_ENV,
  filters: { projectId: 'proj_abc123', apiKeyId: 'key_abc123' },
  fetch: fetchOpenAiSpend,
  describe: describeError,
}) satisfies ProviderAdapter

function describeError(err: HttpError, secret: string, source: string): ErrorInfo {
  const info = (fix: string | null, message = err.message): ErrorInfo => ({ ...err.toInfo(fix), message })
  const isAdminKey = secret.startsWith('sk-admin-')
  switch (err.kind) {
    case 'auth':
      return info(
        `check the key in ${source}; create an admin key at ${ADMIN_KEYS_PAGE} if it was revoked`,
        `the admin key was rejected (${err.message})`,
      )
    case 'forbidden':
      // Project keys (sk-proj-…) get 403 "Missing scopes: api.usage.read" (§3.3).
      return isAdminKey
        ? info(
            `this admin key may not read usage (it needs api.usage.read); create a new one at ${ADMIN_KEYS_PAGE}`,
          )
        : info(
            `use an admin key (sk-admin-…), not a project or user key: create one at ${ADMIN_KEYS_PAGE} (organisation owners only)`,
            `this is not an admin key (sk-admin-…): ${err.message}`,
          )
    case 'rate-limited':
      return info(
        'OpenAI rate limit: quotabar waits before asking again; a longer refreshSeconds avoids this',
      )
    case 'network':
    case 'timeout':
      return info('check the network connection; the last numbers stay visible')
    case 'schema':
      return info(
        /HTML/.test(err.message)
          ? 'a proxy or captive portal answered instead of OpenAI; check the network or baseUrl'
          : 'OpenAI changed the usage API; a quotabar update may be needed',
      )
    case 'config':
      return info('use an https baseUrl (plain http only reaches a loopback address)')
    default:
      if (err.status === 404) return info('check baseUrl: it replaces only the origin of api.openai.com')
      return info(
        err.status !== null && err.status >= 500
          ? 'OpenAI is having trouble; quotabar retries later and keeps the last numbers'
          : null,
      )
  }
}
