import { HttpError } from '../http.js'
import type { ErrorInfo, ErrorKind, UsageSnapshot } from '../model.js'
import type { Account, FailedLogin, FetchContext, FetchResult, ProviderAdapter } from './types.js'

/** What every adapter does around its fetch: typed account fields in, FetchResult out. */

/**
 * An account's fetch: one whose fields broke its provider's rule when it was read (parseAccount,
 * src/providers/fields.ts) gets that config error, as its adapter gave it before, with no request.
 */
export function fetchAccount(
  adapter: ProviderAdapter,
  account: Account,
  ctx: FetchContext,
): Promise<FetchResult> {
  if (account.invalid) return Promise.resolve({ ok: false, error: account.invalid, fingerprint: null })
  return adapter.fetchUsage(account, ctx)
}

/**
 * The parse's notes (src/kept.ts) on the snapshot; none leaves the snapshot as it was. When what
 * was left out was all there was (no window, spend or balance remains), the answer is a schema
 * error naming the field, as before: an empty "ok" would hide that nothing could be read.
 */
export function withNotes<T extends UsageSnapshot>(snapshot: T, notes: readonly string[]): T {
  if (notes.length === 0) return snapshot
  const empty = !snapshot.windows.length && !snapshot.spend.length && !snapshot.balances?.length
  if (empty) throw new HttpError('schema', `nothing readable in the answer: ${notes.join('; ')}`)
  return { ...snapshot, notes: [...(snapshot.notes ?? []), ...notes] }
}

/** A failure found in an answer that parsed (an error envelope, no project): the account's error. */
export interface Refused {
  error: ErrorInfo
}

/**
 * A provider's own reading of a failed request (its adapter's `fix` hook): the fix, or the fix with
 * the kind or message the error should carry instead (a 403 that is really an expired login).
 * `null` is "no advice"; `undefined` leaves the failure to the shared wording (`commonFix`).
 */
export type Advice = string | null | { fix: string | null; kind?: ErrorKind; message?: string }

/** How a failed request becomes the account's error: the provider's advice, else the shared one. */
export interface Advising {
  words: ServiceWords
  fix?: (err: HttpError) => Advice | undefined
}

/** The account and what is known about its refused login, for the adapter's `fix` hook. */
export function failedLogin(
  account: Account,
  ctx: FetchContext,
  login: Partial<Pick<FailedLogin, 'source' | 'secret' | 'relogin'>> = {},
): FailedLogin {
  return {
    account,
    env: ctx.env,
    home: ctx.home,
    source: login.source ?? null,
    secret: login.secret ?? null,
    relogin: login.relogin ?? null,
  }
}

export function describeFailure(err: HttpError, advising: Advising): ErrorInfo {
  const advice = advising.fix?.(err)
  if (advice === undefined) return err.toInfo(commonFix(err, advising.words))
  if (advice === null || typeof advice === 'string') return err.toInfo(advice)
  return { ...err.toInfo(advice.fix), kind: advice.kind ?? err.kind, message: advice.message ?? err.message }
}

/**
 * The one way every HTTP adapter maps failures: runs the fetch; an HttpError becomes the account's
 * error (described as above) with the provider's Retry-After; a `Refused` answer is the account's
 * error as it stands. Anything else is a bug and is thrown.
 */
export async function settle(
  fingerprint: string | null,
  run: () => Promise<UsageSnapshot | Refused>,
  advising: Advising,
): Promise<FetchResult> {
  try {
    const got = await run()
    if ('error' in got) return { ok: false, error: got.error, fingerprint }
    return { ok: true, snapshot: got, fingerprint }
  } catch (err) {
    if (!(err instanceof HttpError)) throw err
    const error = describeFailure(err, advising)
    return { ok: false, error, fingerprint, retryAfterSeconds: err.retryAfterSeconds }
  }
}

/** How a provider names itself in the fixes `commonFix` writes. */
export interface ServiceWords {
  /** `OpenAI`, `GitHub` */
  name: string
  /** What changes shape on drift: `the usage API`, `the billing API` */
  api: string
  /** The default host `baseUrl` replaces: `api.openai.com` */
  host: string
  /** Extra words after "is having trouble" (e.g. Anthropic's 529). */
  trouble?: string
}

/** The rate-limit advice of the providers whose own wording predates `commonFix` (kept as users know it). */
export const WAIT_FIX = 'quotabar waits before asking again; polling less often avoids this'
export const NETWORK_FIX = 'check the network connection; the last numbers stay visible'

export const rateLimitFix = (name: string) =>
  `${name} rate limit: quotabar waits before asking again; a longer refreshSeconds avoids this`

/**
 * The fix for the failures every HTTP provider shares (rate limit, network, a proxy's HTML page,
 * schema drift, plain http, 404, 5xx). Adapters word their own cases (auth, forbidden) and call
 * this for the rest, so the advice reads the same everywhere.
 */
export function commonFix(err: HttpError, s: ServiceWords): string | null {
  switch (err.kind) {
    case 'rate-limited':
      return rateLimitFix(s.name)
    case 'network':
    case 'timeout':
      return NETWORK_FIX
    case 'schema':
      return /HTML/.test(err.message)
        ? `a proxy or captive portal answered instead of ${s.name}; check the network or baseUrl`
        : `${s.name} changed ${s.api}; a quotabar update may be needed`
    case 'config':
      return 'use an https baseUrl (plain http only reaches a loopback address)'
    default:
      if (err.status === 404) return `check baseUrl: it replaces only the origin of ${s.host}`
      return err.status !== null && err.status >= 500
        ? `${s.name} is having trouble${s.trouble ?? ''}; quotabar retries later and keeps the last numbers`
        : null
  }
}
