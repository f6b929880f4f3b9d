import type { HttpError } from '../http.js'
import type { UsageSnapshot } from '../model.js'
import { resolveApiKey } from '../secrets.js'
import { fallbackKeyEnv } from './env-keys.js'
import { fingerprintOf } from './fingerprint.js'
import { type Advice, type ServiceWords, settle, failedLogin } from './result.js'
import type { Account, FailedLogin, FetchContext, FetchResult, ProviderAdapter } from './types.js'

/**
 * An organisation admin API (OpenAI, Anthropic): one admin key, optionally narrowed by two id
 * filters, fetched into spend meters. The providers differ only in their filters, key variable,
 * endpoints and error wording.
 */

export interface SpendFetchOptions {
  baseUrl: string | undefined
  secret: string
  timeoutMs: number
  now: Date
}

export function adminSpendAdapter<F extends string>(spec: {
  id: string
  keyEnv: string
  /** The filters among its account fields (fields.ts, typed on the account), in fingerprint order. */
  filters: readonly F[]
  fetch: (scope: Record<F, string | null>, o: SpendFetchOptions) => Promise<UsageSnapshot>
  words: ServiceWords
  /** Its own advice (which key kind was refused); the rest is the shared wording. */
  fix: (err: HttpError, login: FailedLogin) => Advice | undefined
}): ProviderAdapter<Account & Partial<Record<F, string>>> {
  return {
    id: spec.id,
    async fetchUsage(account, ctx: FetchContext): Promise<FetchResult> {
      // An absent filter is no filter: the whole organisation.
      const scope = Object.fromEntries(spec.filters.map((n) => [n, account[n] ?? null])) as Record<
        F,
        string | null
      >
      const key = await resolveApiKey(account, ctx.env, fallbackKeyEnv(account, spec.keyEnv, ctx.env))
      if (!key.ok) return { ok: false, error: key.error, fingerprint: null }
      const fingerprint = fingerprintOf(key.secret, ...spec.filters.map((n) => scope[n]))
      const options = {
        baseUrl: account.baseUrl,
        secret: key.secret,
        timeoutMs: ctx.timeoutMs,
        now: ctx.now(),
      }
      const failed = failedLogin(account, ctx, { source: key.source, secret: key.secret })
      return settle(fingerprint, () => spec.fetch(scope, options), {
        words: spec.words,
        fix: (err) => spec.fix(err, failed),
      })
    },
    fix: spec.fix,
  }
}
