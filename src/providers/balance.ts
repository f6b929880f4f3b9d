import type { z } from 'zod'
import { numeric } from './schema-parts.js'
import { getJson, type HttpError, withOrigin } from '../http.js'
import type { BalanceMeter, ErrorInfo, SpendMeter, UsageSnapshot, UsageWindow } from '../model.js'
import { resolveApiKey } from '../secrets.js'
import { fallbackKeyEnv } from './env-keys.js'
import { fingerprintOf } from './fingerprint.js'
import { type Advice, type Advising, settle, WAIT_FIX, withNotes, failedLogin } from './result.js'
import type { Account, FailedLogin, FetchContext, ProviderAdapter } from './types.js'

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

/**
 * The key providers' own wording for each failure of a key-authenticated endpoint (it predates
 * the shared one, and users know it); only network failures read the shared way.
 */
export function keyFix(err: HttpError, provider: string, c: FailedLogin): Advice | undefined {
  switch (err.kind) {
    case 'auth':
      return c.relogin ?? `${provider} refused the API key from ${c.source}: check it is current and complete`
    case 'forbidden':
      return `this ${provider} key may not read its usage; use a key with that permission`
    case 'rate-limited':
      return WAIT_FIX
    case 'network':
    case 'timeout':
      return undefined
    case 'config':
      return 'use an https baseUrl (plain http only to a loopback proxy)'
    case 'schema':
      return /HTML|not JSON/.test(err.message)
        ? `a proxy or login page answered instead of ${provider}; check the network and baseUrl`
        : `${provider} changed its response format; check for a quotabar update`
    case 'http':
      return err.status === 404
        ? `${provider} has no such endpoint here; check the account's baseUrl or update quotabar`
        : (err.status ?? 0) >= 500
          ? `${provider} had a problem; quotabar tries again later`
          : null
    default:
      return null
  }
}

/** How a key provider's failure is advised: its own wording, for the key as it came. */
export function keyAdvising(
  provider: string,
  url: string,
  account: Account,
  ctx: FetchContext,
  key: ApiKey,
): Advising {
  const failed = failedLogin(account, ctx, { source: key.source, relogin: key.fix ?? null })
  const words = { name: provider, api: 'its usage API', host: new URL(url).host }
  return { words, fix: (err) => keyFix(err, provider, failed) }
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

export interface KeySpec<S extends z.ZodType, A extends Account = Account> {
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
  /** The account's own fields (typed, AccountWith) → its request. */
  request?(account: A): KeyRequest
  read(data: z.output<S>, account: A, now: Date): KeyReading | { error: ErrorInfo }
  /** Who is logged in to one of its CLI's login dirs (ProviderAdapter.identity). */
  identity?: ProviderAdapter['identity']
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
export function keyAdapter<S extends z.ZodType, A extends Account = Account>(
  spec: KeySpec<S, A>,
): ProviderAdapter<A> {
  return {
    id: spec.id,
    ...(spec.identity ? { identity: spec.identity } : {}),
    async fetchUsage(account, ctx) {
      const now = ctx.now()
      const req = spec.request ? spec.request(account) : { url: spec.url }
      const resolved = await keyFor(spec, account, ctx)
      if (!resolved.ok) return { ok: false, error: resolved.error, fingerprint: null }
      const { key } = resolved
      return settle(
        key.fingerprint,
        async () => {
          const { data, notes } = await getJson(withOrigin(req.url, account.baseUrl), spec.schema, {
            headers: { authorization: `Bearer ${key.secret}`, accept: 'application/json', ...req.headers },
            timeoutMs: ctx.timeoutMs,
            secrets: [key.secret],
          })
          const reading = spec.read(data, account, now)
          if ('error' in reading) return reading
          const snapshot: UsageSnapshot = {
            fetchedAt: now.toISOString(),
            plan: reading.plan,
            email: null,
            windows: reading.windows ?? [],
            spend: reading.spend ?? [],
            balances: reading.balances ?? [],
          }
          return withNotes(snapshot, notes)
        },
        keyAdvising(spec.name, spec.url, account, ctx, key),
      )
    },
    fix: (err, login) => keyFix(err, spec.name, login),
  }
}

export const prepaidAdapter = keyAdapter
