import { getJson, type HttpError, withOrigin } from '../../http.js'
import { type Advice, type ServiceWords, settle, WAIT_FIX, withNotes, failedLogin } from '../result.js'
import type { Account, FailedLogin, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import { claudeCommand, claudeIdentity, inspectClaudeLogin, readClaudeLogin } from './credentials.js'
import { claudeConfigDir } from './descriptor.js'
import { mapUsage, usageShape } from './usage.js'

export const CLAUDE_USAGE_URL = 'https://api.anthropic.com/api/oauth/usage'
// Without a Claude Code User-Agent the endpoint puts callers in a bucket that answers
// 429 with retry-after: 0 forever (anthropics/claude-code#30930).
const USER_AGENT = 'claude-code/2.1.221'

export const claudeAdapter = {
  id: 'claude',
  inspect: inspectClaudeLogin,
  identity: claudeIdentity,
  async fetchUsage(account: Account, ctx: FetchContext): Promise<FetchResult> {
    const now = ctx.now()
    const read = readClaudeLogin(account, ctx.env, ctx.home, now.getTime())
    if (!read.ok) return { ok: false, error: read.error, fingerprint: read.fingerprint }
    const { login } = read
    const failed = failedLogin(account, ctx)
    return settle(
      login.fingerprint,
      async () => {
        const url = withOrigin(CLAUDE_USAGE_URL, account.baseUrl)
        const { data, notes } = await getJson(url, usageShape, {
          headers: {
            authorization: `Bearer ${login.accessToken}`,
            'anthropic-beta': 'oauth-2025-04-20',
            'user-agent': USER_AGENT,
            accept: 'application/json',
            'content-type': 'application/json',
          },
          timeoutMs: ctx.timeoutMs,
          secrets: [login.accessToken],
        })
        return withNotes(
          mapUsage(data, { fetchedAt: now.toISOString(), plan: login.plan, email: login.email }),
          notes,
        )
      },
      { words: ANTHROPIC, fix: (err) => claudeFix(err, failed) },
    )
  },
  fix: claudeFix,
} satisfies ProviderAdapter

const ANTHROPIC: ServiceWords = { name: 'Anthropic', api: 'the usage API', host: 'api.anthropic.com' }

/** Claude Code's own login: every case worded for it (its other failures carry no fix, as always). */
function claudeFix(err: HttpError, c: FailedLogin): Advice | undefined {
  const command = claudeCommand(claudeConfigDir(c.account, c.env, c.home), c.env, c.home)
  switch (err.kind) {
    case 'auth':
      return `run ${command} to log in again (quotabar never refreshes Claude Code tokens)`
    case 'forbidden':
      return /scope/i.test(err.providerMessage ?? '')
        ? `this token is inference-only (setup-token); log in with ${command} (/login) instead`
        : `check that this login can read usage; run ${command} to log in again`
    case 'rate-limited':
      return WAIT_FIX
    case 'network':
    case 'timeout':
      return undefined
    default:
      return null
  }
}
