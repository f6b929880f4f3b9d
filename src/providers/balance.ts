import type { z } from 'zod'
import { numeric } from './schema-parts.js'
import { getJson, HttpError, withOrigin } from '../http.js'
import type { BalanceMeter, ErrorInfo, SpendMeter, UsageSnapshot, UsageWindow } from '../model.js'
import { resolveApiKey } from '../secrets.js'
import { fallbackKeyEnv } from './env-keys.js'
import { fingerprintOf } from './fingerprint.js'
import { withNotes } from './result.js'
import type { Account, FetchContext, FetchResult, ProviderAdapter } from './types.js'

/**
 * Shared heavy half of the API-key providers (OpenRouter, DeepSeek, Moonshot): the key, its
 * fingerprint, error fixes that name where the key came from, and a factory for adapters whose
 * whole answer is a prepaid balance.
 */

export interface ApiKey {
  secret: string
  /** `$OPENROUTER_API_KEY_WORK`, `apiKeyCommand` or `credentials file`: named in fixes. */
  source: string
  fingerprint: string
  /** What to do when the provider refuses it (a CLI login: "run `kimi` to log in again"). */
  fix?: string
}

export type KeyResult = { ok: true; key: ApiKey } | { ok: false; error: ErrorInfo }

export async function resolveKey(account: Account, ctx: FetchContext, baseEnv: string): Promise<KeyResult> {
  const r = await resolveApiKey(account, ctx.env, fallbackKeyEnv(account, baseEnv, ctx.env))
  if (!r.ok) return r
  return { ok: true, key: { secret: r.secret, source: r.source, fingerprint: fingerprintOf(r.secret) } }
}

/** Money as a number or a numeric string (DeepSeek sends `"50.00"`). */
export const money = numeric

/** What to tell the user for each failure of a key-authenticated endpoint. */
export function keyErrorInfo(err: HttpError, provider: string, key: ApiKey): ErrorInfo {
  switch (err.kind) {
    case 'auth':
      return err.toInfo(
        key.fix ?? `${provider} refused the API key from ${key.source}: check it is current and complete`,
      )
    case 'forbidden':
      return err.toInfo(`this ${provider} key may not read its usage; use a key with that permission`)
    case 'rate-limited':
      return err.toInfo('quotabar waits before asking again; polling less often avoids this')
    case 'network':
    case 'timeout':
      return err.toInfo('check the network connection; the last numbers stay visible')
    case 'config':
      return err.toInfo('use an https baseUrl (plain http only to a loopback proxy)')
    case 'schema':
      return err.toInfo(
        /HTML|not JSON/.test(err.message)
          ? `a proxy or login page answered instead of ${provider}; check the network and baseUrl`
          : `${provider} changed its response format; check for a quotabar update`,
      )
    case 'http':
      return err.toInfo(
        err.status === 404
          ? `${provider} has no such endpoint here; check the account's baseUrl or update quotabar`
          : (err.status ?? 0) >= 500
            ? `${provider} had a problem; quotabar tries again later`
            : null,
      )
    default:
      return err.toInfo(null)
  }
}

export function failed(err: unknown, provider: string, key: ApiKey): FetchResult {
  if (!(err instanceof HttpError)) throw err
  return {
    ok: false,
    error: keyErrorInfo(err, provider, key),
    fingerprint: key.fingerprint,
    retryAfterSeconds: err.retryAfterSeconds,
  }
}

export interface BalanceReading {
  plan: string | null
  balances: BalanceMeter[]
}

/** What one answer of a key-authenticated endpoint says: windows, spend and balances, any of them. */
export interface KeyReading {
  plan: string | null
  windows?: UsageWindow[]
  spend?: SpendMeter[]
  balances?: BalanceMeter[]
}

/** Where one account's request goes: its URL (region, plan, query) and extra headers (team ids). */
export interface KeyRequest {
  url: string
  headers?: Record<string, string>
}

export interface KeySpec<S extends z.ZodType> {
  id: string
  name: string
  /** The documented endpoint; `request` may pick another one per account, `baseUrl` its origin. */
  url: string
  keyEnv: string
  schema: S
  /**
   * The token a provider's own CLI keeps (read-only), for an account with a `configDir`, or one
   * whose config names no key source when no key is found; null: no such login either.
   */
  login?(account: Account, ctx: FetchContext): KeyResult | null
  /** The account's own fields → its request; a bad field is the account's config error. */
  request?(account: Account): KeyRequest | { error: ErrorInfo }
  read(data: z.output<S>, account: Account, now: Date): KeyReading | { error: ErrorInfo }
}

/** `PrepaidSpec` names the balance-only use of `keyAdapter` (DeepSeek, Moonshot). */
export type PrepaidSpec<S extends z.ZodType> = KeySpec<S>

async function keyFor<S extends z.ZodType>(
  spec: KeySpec<S>,
  account: Account,
  ctx: FetchContext,
): Promise<KeyResult> {
  if (spec.login && account.configDir) return spec.login(account, ctx) ?? noLogin(account)
  const r = await resolveKey(account, ctx, spec.keyEnv)
  if (r.ok || !spec.login || account.apiKeyEnv || account.apiKeyCommand) return r
  return spec.login(account, ctx) ?? r
}

const noLogin = (account: Account): KeyResult => ({
  ok: false,
  error: {
    kind: 'credentials',
    message: `no login found in ${account.configDir}`,
    fix: "log in with the provider's CLI, or check configDir",
    httpStatus: null,
  },
})

/**
 * An adapter for `GET <endpoint>` with a Bearer key whose one answer is the whole snapshot:
 * prepaid balances (DeepSeek, Moonshot) or plan quotas (z.ai, Kimi, MiniMax, Factory).
 */
export function keyAdapter<S extends z.ZodType>(spec: KeySpec<S>): ProviderAdapter {
  return {
    id: spec.id,
    async fetchUsage(account, ctx) {
      const now = ctx.now()
      const req = spec.request ? spec.request(account) : { url: spec.url }
      if ('error' in req) return { ok: false, error: req.error, fingerprint: null }
      const resolved = await keyFor(spec, account, ctx)
      if (!resolved.ok) return { ok: false, error: resolved.error, fingerprint: null }
      const { key } = resolved
      try {
        const { data, notes } = await getJson(withOrigin(req.url, account.baseUrl), spec.schema, {
          headers: { authorization: `Bearer ${key.secret}`, accept: 'application/json', ...req.headers },
          timeoutMs: ctx.timeoutMs,
          secrets: [key.secret],
        })
        const reading = spec.read(data, account, now)
        if ('error' in reading) return { ok: false, error: reading.error, fingerprint: key.fingerprint }
        const snapshot: UsageSnapshot = withNotes(
          {
            fetchedAt: now.toISOString(),
            plan: reading.plan,
            email: null,
            windows: reading.windows ?? [],
            spend: reading.spend ?? [],
            balances: reading.balances ?? [],
          },
          notes,
        )
        return { ok: true, snapshot, fingerprint: key.fingerprint }
      } catch (err) {
        return failed(err, spec.name, key)
      }
    },
  }
}

export const prepaidAdapter = keyAdapter
