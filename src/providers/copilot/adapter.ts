import { getJson, type HttpError, withOrigin } from '../../http.js'
import { type Advice, rateLimitFix, type ServiceWords, settle, withNotes, failedLogin } from '../result.js'
import type { Account, FailedLogin, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import {
  type CopilotOptions,
  copilotOptions,
  ghLoginFix,
  githubApiOrigin,
  inspectCopilotLogin,
  readCopilotToken,
} from './token.js'
import type { CopilotAccount } from './fields.js'
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

export function copilotUserUrl(account: Account, o: CopilotOptions): string {
  return withOrigin(COPILOT_USER_URL, githubApiOrigin(o.hostname, account.baseUrl))
}

export const copilotAdapter = {
  id: 'copilot',
  inspect: inspectCopilotLogin,
  async fetchUsage(account: CopilotAccount, ctx: FetchContext): Promise<FetchResult> {
    const now = ctx.now()
    const options = copilotOptions(account)
    const read = await readCopilotToken(account, options, ctx)
    if (!read.ok) return { ok: false, error: read.error, fingerprint: null }
    const { token } = read
    const failed = failedLogin(account, ctx, { source: token.source })
    return settle(
      token.fingerprint,
      async () => {
        const { data, notes } = await getJson(copilotUserUrl(account, options), userSchema, {
          headers: { ...HEADERS, authorization: `token ${token.secret}` },
          timeoutMs: ctx.timeoutMs,
          secrets: [token.secret],
        })
        return withNotes(mapUser(data, now.toISOString()), notes)
      },
      { words: GITHUB, fix: (err) => copilotFix(err, failed) },
    )
  },
  fix: copilotFix,
} satisfies ProviderAdapter<CopilotAccount>

const GITHUB: ServiceWords = { name: 'GitHub', api: 'the Copilot response', host: 'api.github.com' }

/** A gh login or a token from elsewhere: who to log in again, and which token kind works. */
function copilotFix(err: HttpError, c: FailedLogin<CopilotAccount>): Advice | undefined {
  const o = copilotOptions(c.account)
  const fromGh = c.source === 'gh'
  const notAllowed = fromGh
    ? `check that ${o.githubUser ?? 'this GitHub account'} has Copilot (github.com/settings/copilot)`
    : `the token in ${c.source} cannot read Copilot usage; use a GitHub CLI token (\`gh auth token\`), not a personal access token`
  switch (err.kind) {
    case 'auth':
      return fromGh ? `${ghLoginFix(o)} to log in again` : `the token in ${c.source} was rejected; replace it`
    case 'forbidden':
      // GitHub's primary and secondary rate limits answer 403 with a message, not always a 429.
      return /rate limit/i.test(err.providerMessage ?? '')
        ? { fix: rateLimitFix(GITHUB.name), kind: 'rate-limited' }
        : notAllowed
    case 'http':
      // Some token types and hosts get 404 here: the same "cannot read Copilot usage" as a 403.
      if (err.status === 404)
        return {
          fix: `${notAllowed}; for GitHub Enterprise set baseUrl to its API origin (https://api.<name>.ghe.com)`,
          kind: 'forbidden',
        }
      return undefined
    default:
      return undefined
  }
}
