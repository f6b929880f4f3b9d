import { getJson, HttpError, withOrigin } from '../../http.js'
import type { ErrorInfo } from '../../model.js'
import { commonFix, rateLimitFix, type ServiceWords, withNotes } from '../result.js'
import type { Account, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import {
  type CopilotOptions,
  type CopilotToken,
  ghLoginFix,
  inspectCopilotLogin,
  readCopilotOptions,
  readCopilotToken,
} from './token.js'
import { mapUser, userSchema } from './usage.js'

export const COPILOT_USER_URL = 'https://api.github.com/copilot_internal/user'

// Undocumented endpoint: every tracker sends the Copilot Chat editor headers, so do we (§1.2).
const HEADERS = {
  accept: 'application/json',
  'editor-version': 'vscode/1.96.2',
  'editor-plugin-version': 'copilot-chat/0.26.7',
  'user-agent': 'GitHubCopilotChat/0.26.7',
  'x-github-api-version': '2025-04-01',
}

/** `baseUrl` wins; a GHE.com host `<sub>.ghe.com` has its API at `api.<sub>.ghe.com`. */
export function copilotUserUrl(account: Account, o: CopilotOptions): string {
  const origin =
    account.baseUrl ?? (o.hostname && o.hostname !== 'github.com' ? `https://api.${o.hostname}` : undefined)
  return withOrigin(COPILOT_USER_URL, origin)
}

export const copilotAdapter = {
  id: 'copilot',
  inspect: inspectCopilotLogin,
  async fetchUsage(account: Account, ctx: FetchContext): Promise<FetchResult> {
    const now = ctx.now()
    const opts = readCopilotOptions(account)
    if (!opts.ok) return { ok: false, error: opts.error, fingerprint: null }
    const read = await readCopilotToken(account, opts.options, ctx)
    if (!read.ok) return { ok: false, error: read.error, fingerprint: null }
    const { token } = read
    try {
      const { data, notes } = await getJson(copilotUserUrl(account, opts.options), userSchema, {
        headers: { ...HEADERS, authorization: `token ${token.secret}` },
        timeoutMs: ctx.timeoutMs,
        secrets: [token.secret],
      })
      const snapshot = withNotes(mapUser(data, now.toISOString()), notes)
      return { ok: true, snapshot, fingerprint: token.fingerprint }
    } catch (err) {
      if (!(err instanceof HttpError)) throw err
      return { ok: false, ...describeError(err, token, opts.options), fingerprint: token.fingerprint }
    }
  },
} satisfies ProviderAdapter

const GITHUB: ServiceWords = { name: 'GitHub', api: 'the Copilot response', host: 'api.github.com' }

function describeError(
  err: HttpError,
  token: CopilotToken,
  o: CopilotOptions,
): { error: ErrorInfo; retryAfterSeconds: number | null } {
  const info = (kind: ErrorInfo['kind'], fix: string | null) => ({
    error: { ...err.toInfo(fix), kind },
    retryAfterSeconds: err.retryAfterSeconds,
  })
  const fromGh = token.source === 'gh'
  const notAllowed = fromGh
    ? `check that ${o.githubUser ?? 'this GitHub account'} has Copilot (github.com/settings/copilot)`
    : `the token in ${token.source} cannot read Copilot usage; use a GitHub CLI token (\`gh auth token\`), not a personal access token`
  switch (err.kind) {
    case 'auth':
      return info(
        'auth',
        fromGh ? `${ghLoginFix(o)} to log in again` : `the token in ${token.source} was rejected; replace it`,
      )
    case 'forbidden':
      // GitHub's primary and secondary rate limits answer 403 with a message, not always a 429.
      return /rate limit/i.test(err.providerMessage ?? '')
        ? info('rate-limited', rateLimitFix(GITHUB.name))
        : info('forbidden', notAllowed)
    case 'rate-limited':
    case 'network':
    case 'timeout':
    case 'schema':
    case 'config':
      return info(err.kind, commonFix(err, GITHUB))
    default:
      // Some token types and hosts get 404 here: the same "cannot read Copilot usage" as a 403.
      if (err.status === 404)
        return info(
          'forbidden',
          `${notAllowed}; for GitHub Enterprise set baseUrl to its API origin (https://api.<name>.ghe.com)`,
        )
      return info('http', commonFix(err, GITHUB))
  }
}
