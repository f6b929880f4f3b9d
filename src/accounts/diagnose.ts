import type { CommandContext } from '../context.js'
import type { AccountStatus, ErrorInfo } from '../model.js'
import { redactEmail } from '../render/format.js'
import type { Account } from '../model.js'
import { holdText, type RefreshReport } from '../refresh.js'
import { type CredentialInfo, inspectCredential } from './credential-info.js'
import { refreshDeps } from '../context.js'
import { entryOf, loadViews, refreshNow } from './views.js'

/**
 * `doctor`'s findings per account, as data (the command prints them, or `--json`). The endpoint
 * check is the provider's own fetch in `manual` mode: it proves DNS, TLS, the login and the
 * payload shape in one request, honours a provider cooldown and its minimum interval (inside
 * which the cache is judged instead) and leaves fresh numbers in the cache.
 */

export type EndpointCheck =
  | { state: 'ok'; summary: string }
  | { state: 'skipped'; why: string }
  | { state: 'cooldown'; until: string | null }
  | { state: 'unreachable' | 'refused' | 'not-asked' | 'failed'; error: ErrorInfo }

export interface Diagnosis {
  key: string
  label: string
  provider: string
  active: boolean
  plan: string | null
  email: string | null
  status: AccountStatus
  credential: CredentialInfo
  endpoint: EndpointCheck
  cooldownUntil: string | null
  fetchedAt: string | null
  ageSeconds: number | null
  lastAttemptAt: string | null
  lastError: ErrorInfo | null
  usable: boolean
}

// The login itself is the problem: no request could succeed until the user acts.
const LOGIN_KINDS = new Set(['credentials', 'auth', 'forbidden', 'config'])

function endpointOf(r: RefreshReport | undefined, now: Date): EndpointCheck {
  if (!r) return { state: 'skipped', why: 'not checked (--offline)' }
  const e = r.entry
  if (r.hold?.why === 'cooldown') return { state: 'cooldown', until: r.hold.until }
  // Inside the provider's floor (or a backoff) doctor does not ask: the cache is judged instead.
  if (r.hold) return { state: 'skipped', why: `not asked: ${holdText(r.hold, r.account, now)}` }
  if (r.outcome === 'locked')
    return { state: 'skipped', why: 'not asked: another quotabar process holds the lock' }
  if (e && !e.error && e.snapshot) {
    const summary = e.snapshot.windows.map((w) => `${w.label} ${Math.round(w.usedPercent)}%`).join(' · ')
    return { state: 'ok', summary: summary || 'no limits reported' }
  }
  const error: ErrorInfo = e?.error ?? { kind: 'schema', message: 'no result', fix: null, httpStatus: null }
  if (error.kind === 'rate-limited') return { state: 'cooldown', until: e?.retryAt ?? null }
  if (error.kind === 'network' || error.kind === 'timeout') return { state: 'unreachable', error }
  if (error.httpStatus !== null) return { state: 'refused', error }
  // A login problem found before any request (missing file, expired token): nothing was asked.
  if (LOGIN_KINDS.has(error.kind)) return { state: 'not-asked', error }
  return { state: 'failed', error }
}

export async function diagnose(
  ctx: CommandContext,
  accounts: Account[],
  fetch: boolean,
): Promise<Diagnosis[]> {
  const deps = refreshDeps(ctx)
  const credentials = await Promise.all(accounts.map((a) => inspectCredential(a, deps)))
  const reports = fetch ? await refreshNow(ctx, accounts, 'manual') : []
  const views = loadViews(ctx, accounts)
  return accounts.map((a, i) => {
    const credential = credentials[i] as CredentialInfo
    const view = views[i]
    const entry = entryOf(ctx, a.key)
    const endpoint = endpointOf(
      reports.find((r) => r.account.key === a.key),
      ctx.now(),
    )
    const loginBroken = credential.problem !== null && LOGIN_KINDS.has(credential.problem.kind)
    const fetchBroken = ['unreachable', 'refused', 'not-asked', 'failed'].includes(endpoint.state)
    const cachedBroken =
      endpoint.state === 'skipped' && (view?.status === 'error' || view?.status === 'expired')
    return {
      key: a.key,
      label: a.label,
      provider: a.provider,
      active: view?.active ?? false,
      plan: view?.plan ?? credential.plan,
      email:
        view?.email ??
        (credential.email && ctx.settings.redact ? redactEmail(credential.email) : credential.email),
      status: view?.status ?? 'pending',
      credential,
      endpoint,
      cooldownUntil: entry?.cooldown && view?.retryAt ? view.retryAt : null,
      fetchedAt: view?.fetchedAt ?? null,
      ageSeconds: view?.ageSeconds ?? null,
      lastAttemptAt: entry?.lastAttemptAt ?? null,
      lastError: entry?.error ?? null,
      usable: !loginBroken && !fetchBroken && !cachedBroken,
    }
  })
}
