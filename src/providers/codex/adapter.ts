import { getJson, type HttpError, withOrigin } from '../../http.js'
import { type Advice, type ServiceWords, settle, WAIT_FIX, withNotes, failedLogin } from '../result.js'
import type { Account, FailedLogin, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import { type CodexIdentity, inspectCodexLogin, loginCommand, readCodexLogin } from './credentials.js'
import { codexHome } from './descriptor.js'
import { codexIdentity } from './identity.js'
import { lengthHintFromLogs, readLogSnapshot } from './sessions.js'
import { fetchSoonestExpiry } from './reset-credits.js'
import { mapUsage, whamSchema } from './usage.js'

export const CODEX_USAGE_URL = 'https://chatgpt.com/backend-api/wham/usage'
// Any User-Agent works, but chatgpt.com sits behind Cloudflare, which is kinder to the CLI's own
// shape (`codex_cli_rs/<ver> ...`) than to an unknown client.
const USER_AGENT = 'codex_cli_rs/0.147.0 (quotabar)'

export const codexAdapter = {
  id: 'codex',
  inspect: inspectCodexLogin,
  identity: codexIdentity,
  async fetchUsage(account: Account, ctx: FetchContext): Promise<FetchResult> {
    const now = ctx.now()
    const dir = codexHome(account, ctx.env, ctx.home)
    const read = readCodexLogin(dir, ctx.env, ctx.home, now.getTime())
    if (!read.ok) {
      const failed = { ok: false as const, error: read.error, fingerprint: read.identity.fingerprint }
      return read.logsMayHelp ? withLogs(failed, dir, read.identity) : failed
    }
    const { login } = read
    const headers: Record<string, string> = {
      authorization: `Bearer ${login.accessToken}`,
      'user-agent': USER_AGENT,
      originator: 'codex_cli_rs',
      accept: 'application/json',
    }
    // Required for workspace (Team/Business) accounts; harmless for personal ones.
    if (login.accountId) headers['chatgpt-account-id'] = login.accountId
    const failed = failedLogin(account, ctx)
    const result = await settle(
      login.fingerprint,
      async () => {
        const url = withOrigin(CODEX_USAGE_URL, account.baseUrl)
        const { data, notes } = await getJson(url, whamSchema, {
          headers,
          timeoutMs: ctx.timeoutMs,
          secrets: [login.accessToken],
        })
        const banked = data.rate_limit_reset_credits?.available_count ?? 0
        const resetsExpireAt =
          banked > 0
            ? await fetchSoonestExpiry(account.baseUrl, headers, ctx.timeoutMs, login.accessToken)
            : null
        const meta = {
          now,
          resetsExpireAt,
          plan: login.plan,
          email: login.email,
          // Only payloads without window lengths make this read the logs.
          hint: lengthHintFromLogs(dir),
        }
        return withNotes(mapUsage(data, meta), notes)
      },
      { words: CHATGPT, fix: (err) => codexFix(err, failed) },
    )
    // A 429 must keep its cooldown, and a config mistake must be seen, so neither falls back.
    if (result.ok || result.error.kind === 'rate-limited' || result.error.kind === 'config') return result
    return withLogs(result, dir, login)
  },
  fix: codexFix,
} satisfies ProviderAdapter

/**
 * The session logs' newest numbers ride along with the failure. The snapshot's `fetchedAt` is the
 * log line's time, so the bar shows how old they are, and the cache keeps whichever is newer: these
 * or the last good fetch. The failure itself still counts (status, backoff, "run codex").
 */
function withLogs(
  failed: Extract<FetchResult, { ok: false }>,
  dir: string,
  identity: CodexIdentity,
): FetchResult {
  const snapshot = readLogSnapshot(dir, { plan: identity.plan, email: identity.email })
  return snapshot ? { ...failed, fallback: snapshot } : failed
}

// chatgpt.com answers an expired token with 401, sometimes 403, and a JSON error naming it.
const TOKEN_PROBLEM = /token|sign(ing)? in|authenticat|unauthori[sz]ed/i

const CHATGPT: ServiceWords = { name: 'chatgpt.com', api: 'the usage endpoint', host: 'chatgpt.com' }

/** Codex's own wording (it predates the shared one and users know it); network failures read the shared way. */
function codexFix(err: HttpError, c: FailedLogin): Advice | undefined {
  const dir = codexHome(c.account, c.env, c.home)
  const relogin = `run \`${loginCommand(dir, c.env, c.home, '')}\` to log in again (quotabar never refreshes Codex tokens)`
  switch (err.kind) {
    case 'auth':
      return relogin
    case 'forbidden':
      return TOKEN_PROBLEM.test(err.providerMessage ?? '')
        ? { fix: relogin, kind: 'auth' }
        : 'chatgpt.com refused the request (often a Cloudflare check or a proxy); quotabar tries again later'
    case 'rate-limited':
      return WAIT_FIX
    case 'schema':
      return /HTML/.test(err.message)
        ? 'a proxy or Cloudflare page answered instead of chatgpt.com; quotabar tries again later'
        : 'the usage endpoint changed shape; a quotabar update may be needed'
    case 'config':
      return 'use https, or a loopback address for a local proxy'
    case 'http':
      return err.status === 404
        ? 'check baseUrl: the endpoint is /backend-api/wham/usage on it'
        : 'chatgpt.com had a problem; quotabar tries again later'
    default:
      // Network failures read the shared way.
      return undefined
  }
}
