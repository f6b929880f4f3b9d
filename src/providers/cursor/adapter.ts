import { getJson, type HttpError, withOrigin } from '../../http.js'
import { type Advice, type ServiceWords, settle, WAIT_FIX, withNotes, failedLogin } from '../result.js'
import type { Account, FailedLogin, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import { inspectCursorLogin, readCursorLogin } from './credentials.js'
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
    const failed = failedLogin(account, ctx, { relogin: login.fix })
    return settle(
      login.fingerprint,
      async () => {
        const summaryUrl = withOrigin(CURSOR_SUMMARY_URL, account.baseUrl)
        // Both answers are awaited whatever happens, so no request outlives the fetch.
        const [summary, counter] = await Promise.allSettled([
          getJson(summaryUrl, summarySchema, options),
          legacy,
        ])
        if (summary.status === 'rejected') throw summary.reason
        const { data, notes } = summary.value
        const count = counter.status === 'fulfilled' ? counter.value : null
        const meta = { fetchedAt: now.toISOString(), email: login.email, membership: login.membership }
        return withNotes(mapUsage(data, count?.data ?? null, meta), [...notes, ...(count?.notes ?? [])])
      },
      { words: CURSOR, fix: (err) => cursorFix(err, failed) },
    )
  },
  fix: cursorFix,
} satisfies ProviderAdapter

const CURSOR: ServiceWords = { name: 'Cursor', api: 'its usage format', host: 'cursor.com' }

/** Cursor's own wording (it predates the shared one); only network failures read the shared way. */
function cursorFix(err: HttpError, c: FailedLogin): Advice | undefined {
  // The 401/403 body is unspecified: both mean the session cookie was refused (spec §3.5).
  if (err.status === 401 || err.status === 403) return { fix: c.relogin, kind: 'auth' }
  switch (err.kind) {
    case 'rate-limited':
      return WAIT_FIX
    case 'schema':
      return /HTML/.test(err.message)
        ? 'a proxy or login page answered instead of cursor.com; check the network'
        : 'cursor.com changed its usage format; check for a quotabar update'
    case 'http':
      return err.status === 404
        ? 'cursor.com moved its usage endpoint; check for a quotabar update'
        : (err.status ?? 0) >= 500
          ? 'Cursor had a problem; quotabar tries again later'
          : null
    case 'network':
    case 'timeout':
      return undefined
    default:
      return null
  }
}
