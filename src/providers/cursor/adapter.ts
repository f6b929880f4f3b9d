import { getJson, HttpError, withOrigin } from '../../http.js'
import type { ErrorInfo } from '../../model.js'
import { withNotes } from '../result.js'
import type { Account, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import { type CursorLogin, inspectCursorLogin, readCursorLogin } from './credentials.js'
import { legacySchema, mapUsage, summarySchema } from './usage.js'

export const CURSOR_SUMMARY_URL = 'https://cursor.com/api/usage-summary'
export const CURSOR_LEGACY_URL = 'https://cursor.com/api/usage'

export const cursorAdapter = {
  id: 'cursor',
  inspect: inspectCursorLogin,
  async fetchUsage(account: Account, ctx: FetchContext): Promise<FetchResult> {
    const now = ctx.now()
    const read = await readCursorLogin(account, ctx.env, ctx.home, now.getTime())
    if (!read.ok) return { ok: false, error: read.error, fingerprint: read.fingerprint }
    const { login } = read
    // The web session cookie is `<userId>::<jwt>` with the colons URL-encoded (spec §3.1).
    const cookie = `${login.userId}%3A%3A${login.accessToken}`
    const options = {
      headers: { cookie: `WorkosCursorSessionToken=${cookie}`, accept: 'application/json' },
      timeoutMs: ctx.timeoutMs,
      secrets: [login.accessToken, cookie],
    }
    const legacyUrl = new URL(withOrigin(CURSOR_LEGACY_URL, account.baseUrl))
    legacyUrl.searchParams.set('user', login.userId)
    // The request counter only matters on legacy plans and is best-effort (CodexBar ignores its failures).
    const legacy = getJson(legacyUrl.toString(), legacySchema, options).then(
      (r) => r,
      () => null,
    )
    try {
      const { data, notes } = await getJson(
        withOrigin(CURSOR_SUMMARY_URL, account.baseUrl),
        summarySchema,
        options,
      )
      const counter = await legacy
      const meta = { fetchedAt: now.toISOString(), email: login.email, membership: login.membership }
      const snapshot = withNotes(mapUsage(data, counter?.data ?? null, meta), [
        ...notes,
        ...(counter?.notes ?? []),
      ])
      return { ok: true, snapshot, fingerprint: login.fingerprint }
    } catch (err) {
      if (!(err instanceof HttpError)) throw err
      await legacy
      return {
        ok: false,
        error: errorInfo(err, login),
        fingerprint: login.fingerprint,
        retryAfterSeconds: err.retryAfterSeconds,
      }
    }
  },
} satisfies ProviderAdapter

function errorInfo(err: HttpError, login: CursorLogin): ErrorInfo {
  // The 401/403 body is unspecified: both mean the session cookie was refused (spec §3.5).
  if (err.status === 401 || err.status === 403) return { ...err.toInfo(login.fix), kind: 'auth' }
  switch (err.kind) {
    case 'rate-limited':
      return err.toInfo('quotabar waits before asking again; polling less often avoids this')
    case 'network':
    case 'timeout':
      return err.toInfo('check the network connection; the last numbers stay visible')
    case 'schema':
      return err.toInfo(
        /HTML/.test(err.message)
          ? 'a proxy or login page answered instead of cursor.com; check the network'
          : 'cursor.com changed its usage format; check for a quotabar update',
      )
    case 'http':
      return err.toInfo(
        err.status === 404
          ? 'cursor.com moved its usage endpoint; check for a quotabar update'
          : (err.status ?? 0) >= 500
            ? 'Cursor had a problem; quotabar tries again later'
            : null,
      )
    default:
      return err.toInfo(null)
  }
}
