import type { z } from 'zod'
import { HttpError, postJson, withOrigin } from '../../http.js'
import { type Advice, type ServiceWords, settle, withNotes, failedLogin } from '../result.js'
import type { Account, FailedLogin, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import {
  isShutdownSignal,
  loadRequest,
  loadSchema,
  planLabel,
  resolveProject,
  SHUTDOWN_FIX,
  SHUTDOWN_MESSAGE,
} from './code-assist.js'
import { type GeminiLogin, inspectGeminiLogin, readGeminiLogin } from './credentials.js'
import type { GeminiAccount } from './fields.js'
import { geminiIdentity, idTokenClaims } from './identity.js'
import { REFRESH_MARGIN_MS, refreshAccessToken } from './oauth.js'
import { mapQuota, quotaSchema } from './quota.js'

export const LOAD_CODE_ASSIST_URL = 'https://cloudcode-pa.googleapis.com/v1internal:loadCodeAssist'
export const RETRIEVE_USER_QUOTA_URL = 'https://cloudcode-pa.googleapis.com/v1internal:retrieveUserQuota'

/**
 * Calls Code Assist with the file's access token, refreshing it in memory when it is (nearly)
 * expired or answers 401 once. The token is kept in this closure only, for one fetch.
 */
function codeAssistClient(login: GeminiLogin, account: Account, ctx: FetchContext) {
  let token = login.accessToken
  let refreshed = false
  let idToken: string | null = null
  const secrets = () => [login.accessToken, login.refreshToken, token].filter((s): s is string => !!s)

  async function refresh(refreshToken: string): Promise<void> {
    const fresh = await refreshAccessToken(refreshToken, {
      baseUrl: account.baseUrl,
      timeoutMs: ctx.timeoutMs,
      secrets: secrets(),
    })
    token = fresh.accessToken
    idToken = fresh.idToken
    refreshed = true
  }

  async function post<S extends z.ZodType>(
    url: string,
    schema: S,
    body: unknown,
  ): Promise<{ data: z.output<S>; notes: string[] }> {
    const nowMs = ctx.now().getTime()
    const stale = !token || (login.expiresAt !== null && login.expiresAt - nowMs < REFRESH_MARGIN_MS)
    if (stale && !refreshed && login.refreshToken) await refresh(login.refreshToken)
    try {
      const { data, notes } = await postJson(withOrigin(url, account.baseUrl), schema, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        body,
        timeoutMs: ctx.timeoutMs,
        secrets: secrets(),
      })
      return { data, notes }
    } catch (err) {
      // A 401 on a token we did not just mint: refresh once and try again (§2.5).
      if (err instanceof HttpError && err.kind === 'auth' && !refreshed && login.refreshToken) {
        await refresh(login.refreshToken)
        return post(url, schema, body)
      }
      throw err
    }
  }

  return { post, email: () => login.email ?? idTokenClaims(idToken).email ?? null }
}

export const geminiAdapter = {
  id: 'gemini',
  inspect: inspectGeminiLogin,
  identity: geminiIdentity,
  async fetchUsage(account: GeminiAccount, ctx: FetchContext): Promise<FetchResult> {
    const now = ctx.now()
    const read = readGeminiLogin(account, ctx.env, ctx.home, now.getTime())
    if (!read.ok) return { ok: false, error: read.error, fingerprint: read.fingerprint }
    const { login } = read
    const fingerprint = login.fingerprint
    const configured =
      account.project ?? (ctx.env.GOOGLE_CLOUD_PROJECT || ctx.env.GOOGLE_CLOUD_PROJECT_ID || null)
    const client = codeAssistClient(login, account, ctx)
    const failed = failedLogin(account, ctx, { relogin: login.loginCommand })
    return settle(
      fingerprint,
      async () => {
        const { data: load } = await client.post(LOAD_CODE_ASSIST_URL, loadSchema, loadRequest(configured))
        const resolved = resolveProject(load, configured, login.loginCommand)
        if (!resolved.ok) return resolved
        const quota = await client.post(RETRIEVE_USER_QUOTA_URL, quotaSchema, { project: resolved.project })
        const meta = {
          fetchedAt: now.toISOString(),
          plan: planLabel(load, login.hostedDomain),
          email: client.email(),
        }
        return withNotes(mapQuota(quota.data, meta), quota.notes)
      },
      { words: GOOGLE, fix: (err) => geminiFix(err, failed) },
    )
  },
  fix: geminiFix,
} satisfies ProviderAdapter<GeminiAccount>

const NO_LICENSE = /valid license|#3501/i

const GOOGLE: ServiceWords = {
  name: 'Google',
  api: 'the Code Assist response',
  host: 'cloudcode-pa.googleapis.com',
}

/** Gemini's own wording for every case; `relogin` is the login's `run \`gemini\``. */
function geminiFix(err: HttpError, c: FailedLogin): Advice | undefined {
  const run = c.relogin ?? 'run `gemini`'
  // Any non-2xx naming the consumer cut-off, whatever its status (§2.0).
  if (err.status !== null && isShutdownSignal(err.providerMessage))
    return { fix: SHUTDOWN_FIX, kind: 'forbidden', message: SHUTDOWN_MESSAGE }
  switch (err.kind) {
    case 'auth':
      return `${run} to log in again`
    case 'forbidden':
      return NO_LICENSE.test(err.providerMessage ?? '')
        ? {
            fix: 'with a Workspace or Standard/Enterprise seat, ask your admin for a Gemini Code Assist licence; Google AI Pro/Ultra and free accounts were cut off on 2026-06-18 (use Antigravity)',
            message: 'Google says this account has no Gemini Code Assist licence (#3501)',
          }
        : `${run} to check that this account (and its project) can use Gemini Code Assist`
    case 'rate-limited':
      return 'quotabar waits before asking again; the quotas are daily, so polling less often loses nothing'
    case 'network':
    case 'timeout':
      return undefined
    case 'schema':
      return 'Google changed the Code Assist response; update quotabar'
    case 'config':
      return 'use https (or a loopback address) in baseUrl'
    default:
      return httpFix(err.status ?? 0)
  }
}

function httpFix(status: number): string {
  if (status >= 500)
    return "Google's Code Assist service failed; quotabar retries later and the last numbers stay visible"
  if (status === 400) return 'check the `project` set for this account (or GOOGLE_CLOUD_PROJECT)'
  return 'check baseUrl, or update quotabar if Google moved the endpoint'
}
