import { z } from 'zod'
import type { HttpError } from '../../http.js'
import type { ErrorInfo } from '../../model.js'
import { resolveApiKey } from '../../secrets.js'
import { fingerprintOf } from '../openai/spend.js'
import { readAccountFields, settle } from '../result.js'
import type { Account, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import { fetchAnthropicSpend } from './api.js'

export const ANTHROPIC_KEY_ENV = 'ANTHROPIC_ADMIN_KEY'
const ADMIN_KEYS_PAGE = 'console.anthropic.com/settings/admin-keys'

// Ids go into a query string: one word, nothing that could smuggle another parameter.
const scopeSchema = z.object({
  workspaceId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'an Anthropic workspace id such as "wrkspc_01Jw…"')
    .nullish(),
  apiKeyId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'an Anthropic API key id such as "apikey_01Rj…"')
    .nullish(),
})

/** API spend from one Anthropic admin key, optionally narrowed to a workspace and/or an API key. */
export const anthropicAdapter = {
  id: 'anthropic',
  async fetchUsage(account: Account, ctx: FetchContext): Promise<FetchResult> {
    const read = readAccountFields(account, scopeSchema, {
      workspaceId: account.workspaceId,
      apiKeyId: account.apiKeyId,
    })
    if (!read.ok) return { ok: false, error: read.error, fingerprint: null }
    const scope = { workspaceId: read.data.workspaceId ?? null, apiKeyId: read.data.apiKeyId ?? null }
    const key = await resolveApiKey(account, ctx.env, ANTHROPIC_KEY_ENV)
    if (!key.ok) return { ok: false, error: key.error, fingerprint: null }
    const fingerprint = fingerprintOf(key.secret, scope.workspaceId, scope.apiKeyId)
    return settle(
      fingerprint,
      () =>
        fetchAnthropicSpend(scope, {
          baseUrl: account.baseUrl,
          secret: key.secret,
          timeoutMs: ctx.timeoutMs,
          now: ctx.now(),
        }),
      (err) => describeError(err, key.secret, key.source),
    )
  },
} satisfies ProviderAdapter

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
