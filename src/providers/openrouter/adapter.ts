import { debug } from '../../debug.js'
import { getJson, HttpError, withOrigin } from '../../http.js'
import type { BalanceMeter } from '../../model.js'
import { type ApiKey, keyAdvising, keyFix, resolveKey } from '../balance.js'
import { settle, withNotes } from '../result.js'
import type { Account, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import { OPENROUTER_KEY_ENV } from './descriptor.js'
import { creditsSchema, isManagementKey, keySchema, mapCredits, mapKey } from './usage.js'

export const OPENROUTER_KEY_URL = 'https://openrouter.ai/api/v1/key'
export const OPENROUTER_CREDITS_URL = 'https://openrouter.ai/api/v1/credits'

function requestOptions(key: ApiKey, ctx: FetchContext) {
  return {
    // OpenRouter's optional app attribution header; it never carries anything about the user.
    headers: { authorization: `Bearer ${key.secret}`, accept: 'application/json', 'x-title': 'quotabar' },
    timeoutMs: ctx.timeoutMs,
    secrets: [key.secret],
  }
}

/**
 * `/credits` needs a management key (§4.2 rule 1): an inference key gets a 403 or a meaningless
 * 0/0, so it is asked only when `/key` says the key is one. Its failure never hides the `/key`
 * numbers (rule 3): any error just leaves the balance out.
 */
async function readCredits(account: Account, key: ApiKey, ctx: FetchContext): Promise<BalanceMeter | null> {
  try {
    const url = withOrigin(OPENROUTER_CREDITS_URL, account.baseUrl)
    const { data } = await getJson(url, creditsSchema, requestOptions(key, ctx))
    return mapCredits(data.data)
  } catch (err) {
    if (!(err instanceof HttpError)) throw err
    debug(`${account.key}: credits left out (${err.kind}: ${err.message})`)
    return null
  }
}

export const openrouterAdapter = {
  id: 'openrouter',
  async fetchUsage(account: Account, ctx: FetchContext): Promise<FetchResult> {
    const now = ctx.now()
    const resolved = await resolveKey(account, ctx, OPENROUTER_KEY_ENV)
    if (!resolved.ok) return { ok: false, error: resolved.error, fingerprint: null }
    const { key } = resolved
    return settle(
      key.fingerprint,
      async () => {
        const url = withOrigin(OPENROUTER_KEY_URL, account.baseUrl)
        const { data, notes } = await getJson(url, keySchema, requestOptions(key, ctx))
        const reading = mapKey(data.data, now)
        const credits = isManagementKey(data.data) ? await readCredits(account, key, ctx) : null
        const snapshot = {
          fetchedAt: now.toISOString(),
          plan: reading.plan,
          email: null,
          windows: reading.windows,
          spend: reading.spend,
          balances: credits ? [credits] : [],
        }
        return withNotes(snapshot, notes)
      },
      keyAdvising('OpenRouter', OPENROUTER_KEY_URL, account, ctx, key),
    )
  },
  fix: (err, login) => keyFix(err, 'OpenRouter', login),
} satisfies ProviderAdapter
