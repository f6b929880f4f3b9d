import type { HttpError } from '../../http.js'
import type { ErrorInfo } from '../../model.js'
import { adminSpendAdapter } from '../admin-spend.js'
import { commonFix, type ServiceWords } from '../result.js'
import type { ProviderAdapter } from '../types.js'
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
    default:
      return info(commonFix(err, ANTHROPIC))
  }
}
