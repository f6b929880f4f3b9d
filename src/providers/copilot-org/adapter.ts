import type { HttpError } from '../../http.js'
import { resolveApiKey } from '../../secrets.js'
import { type CopilotOptions, copilotOptions, ghLoginFix, readCopilotToken } from '../copilot/token.js'
import { fingerprintOf } from '../fingerprint.js'
import { type Advice, rateLimitFix, type ServiceWords, settle, failedLogin } from '../result.js'
import type { Account, FailedLogin, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import { fetchOrgUsage } from './api.js'
import type { CopilotOrgAccount } from './fields.js'

export const GITHUB_TOKEN_ENV = 'GITHUB_TOKEN'

/**
 * The token: apiKeyEnv / apiKeyCommand / a stored key, else `$GITHUB_TOKEN`, else `gh auth token`
 * through the Copilot provider's helpers (read-only; gh's output is the secret and never echoed).
 */
async function readToken(account: Account, o: CopilotOptions, ctx: FetchContext) {
  const key = await resolveApiKey(account, ctx.env, GITHUB_TOKEN_ENV)
  if (key.ok) return { ok: true as const, secret: key.secret, source: key.source }
  if (account.apiKeyEnv || account.apiKeyCommand) return key
  const gh = await readCopilotToken(account, o, ctx)
  return gh.ok ? { ok: true as const, secret: gh.token.secret, source: gh.token.source } : gh
}

/** Seats and this month's Copilot money for one organisation (org owners and billing managers). */
export const copilotOrgAdapter = {
  id: 'copilot-org',
  async fetchUsage(account: CopilotOrgAccount, ctx: FetchContext): Promise<FetchResult> {
    const { org } = account
    if (org === undefined) throw new Error('copilotOrgFields lets no account without org through')
    const options = copilotOptions(account)
    const { hostname } = options
    const token = await readToken(account, options, ctx)
    if (!token.ok) return { ok: false, error: token.error, fingerprint: null }
    const fingerprint = fingerprintOf(token.secret, org.toLowerCase(), hostname)
    const failed = failedLogin(account, ctx, { source: token.source })
    return settle(
      fingerprint,
      () =>
        fetchOrgUsage(
          { org, hostname, baseUrl: account.baseUrl },
          { secret: token.secret, timeoutMs: ctx.timeoutMs, now: ctx.now() },
        ),
      { words: GITHUB, fix: (err) => copilotOrgFix(err, failed) },
    )
  },
  fix: copilotOrgFix,
} satisfies ProviderAdapter<CopilotOrgAccount>

/**
 * What a 403 lacks. The seats call needs Copilot admin rights (classic `manage_billing:copilot` or
 * `read:org`, fine-grained "GitHub Copilot Business"), the billing reports org "Administration"
 * (§1.7); both only for organisation owners and billing managers. A gh token gets the scope added
 * by `gh auth refresh -s`.
 */
function missingRights(seats: boolean, fromGh: boolean, hostname: string | null): string {
  if (!seats) {
    const fineGrained = fromGh
      ? ''
      : '; a fine-grained token needs the organisation permission "Administration" (read)'
    return `the billing reports need an organisation owner or billing manager${fineGrained}`
  }
  const how = fromGh
    ? `run \`gh auth refresh${hostname ? ` -h ${hostname}` : ''} -s manage_billing:copilot\``
    : 'a classic token needs the `manage_billing:copilot` (or `read:org`) scope, a fine-grained one the organisation permission "GitHub Copilot Business" (read)'
  return `${how}; only organisation owners and billing managers can read seats`
}

const GITHUB: ServiceWords = { name: 'GitHub', api: 'the billing API', host: 'api.github.com' }

/** Who may read an organisation's billing, and how a gh login or a token gets that right. */
function copilotOrgFix(err: HttpError, c: FailedLogin<CopilotOrgAccount>): Advice | undefined {
  const o = copilotOptions(c.account)
  const { org } = c.account
  const fromGh = c.source === 'gh'
  const seats = /\/copilot\/billing\b/.test(err.message)
  const rights = missingRights(seats, fromGh, o.hostname)
  switch (err.kind) {
    case 'auth':
      return fromGh ? `${ghLoginFix(o)} to log in again` : `the token in ${c.source} was rejected; replace it`
    case 'forbidden':
      // GitHub's rate limits can answer 403 with a message instead of 429.
      if (/rate limit/i.test(err.providerMessage ?? ''))
        return { fix: rateLimitFix(GITHUB.name), kind: 'rate-limited' }
      return { fix: rights, message: `no admin access to ${org}'s Copilot billing: ${err.message}` }
    case 'http':
      // Plain members get 404 (not 403) for an org's Copilot billing, as does a misspelt org.
      if (err.status === 404 && seats)
        return {
          fix: `check the org name; ${rights}`,
          kind: 'forbidden',
          message: `${org}: no such organisation, no Copilot Business/Enterprise, or no admin access (HTTP 404)`,
        }
      return undefined
    default:
      return undefined
  }
}
