import type { HttpError } from '../../http.js'
import type { ErrorInfo } from '../../model.js'
import { adminSpendAdapter } from '../admin-spend.js'
import type { ProviderAdapter } from '../types.js'
import { fetchAnthropicSpend } from './api.js'

export const ANTHROPIC_KEY_ENV = 'ANTHROPIC_ADMIN_KEY'
const ADMIN_KEYS_PAGE = 'console.anthropic.com/settings/admin-keys'

/** API spend from one Anthropic admin key, optionally narrowed to a workspace and/or an API key. */
export const anthropicAdapter = adminSpendAdapter({
  id: 'anthropic',
  keyEnv: ANTHROPIC_KEY_ENV,
  filters: { workspaceId: 'wrkspc_01Jw…', apiKeyId: 'apikey_01Rj…' },
  fetch: fetchAnthropicSpend,
  describe: describeError,
}) satisfies ProviderAdapter

const NOT_ADMIN_FIX = `use an Admin API key (sk-ant-admin…), not a regular API key: an organisation admin creates one at ${ADMIN_KEYS_PAGE} (individual accounts have no Admin API)`

function describeError(err: HttpError, secret: string, source: string): ErrorInfo {
  const info = (fix: string | null, message = err.message): ErrorInfo => ({ ...err.toInfo(fix), message })
  const isAdminKey = secret.startsWith('sk-ant-admin')
  switch (err.kind) {
    case 'auth':
      // A regular key may get 401 "invalid x-api-key" here too (§4.2): say which it is.
      return isAdminKey
        ? info(
            `check the key in ${source}; create an admin key at ${ADMIN_KEYS_PAGE} if it was revoked`,
            `the admin key was rejected (${err.message})`,
          )
        : info(NOT_ADMIN_FIX, `this is not an Admin API key (sk-ant-admin…): ${err.message}`)
    case 'forbidden':
      return isAdminKey
        ? info(`this admin key may not read usage and cost reports; check it at ${ADMIN_KEYS_PAGE}`)
        : info(NOT_ADMIN_FIX, `this is not an Admin API key (sk-ant-admin…): ${err.message}`)
    case 'rate-limited':
      return info(
        'Anthropic rate limit: quotabar waits before asking again; a longer refreshSeconds avoids this',
      )
    case 'network':
    case 'timeout':
      return info('check the network connection; the last numbers stay visible')
    case 'schema':
      return info(
        /HTML/.test(err.message)
          ? 'a proxy or captive portal answered instead of Anthropic; check the network or baseUrl'
          : 'Anthropic changed the usage and cost API; a quotabar update may be needed',
      )
    case 'config':
      return info('use an https baseUrl (plain http only reaches a loopback address)')
    default:
      if (err.status === 404) return info('check baseUrl: it replaces only the origin of api.anthropic.com')
      return info(
        err.status !== null && err.status >= 500
          ? 'Anthropic is having trouble (529 means overloaded); quotabar retries later and keeps the last numbers'
          : null,
      )
  }
}
