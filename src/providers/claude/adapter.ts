import { getJson, HttpError, withOrigin } from '../../http.js'
import { withNotes } from '../result.js'
import type { Account, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import { claudeCommand, claudeIdentity, inspectClaudeLogin, readClaudeLogin } from './credentials.js'
import { claudeConfigDir } from './descriptor.js'
import { mapUsage, usageSchema } from './usage.js'

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
    try {
      const { data, notes } = await getJson(withOrigin(CLAUDE_USAGE_URL, account.baseUrl), usageSchema, {
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
      const meta = { fetchedAt: now.toISOString(), plan: login.plan, email: login.email }
      const snapshot = withNotes(mapUsage(data, meta), notes)
      return { ok: true, snapshot, fingerprint: login.fingerprint }
    } catch (err) {
      if (!(err instanceof HttpError)) throw err
      return {
        ok: false,
        error: err.toInfo(
          fixFor(err, claudeCommand(claudeConfigDir(account, ctx.env, ctx.home), ctx.env, ctx.home)),
        ),
        fingerprint: login.fingerprint,
        retryAfterSeconds: err.retryAfterSeconds,
      }
    }
  },
} satisfies ProviderAdapter

function fixFor(err: HttpError, command: string): string | null {
  switch (err.kind) {
    case 'auth':
      return `run ${command} to log in again (quotabar never refreshes Claude Code tokens)`
    case 'forbidden':
      return /scope/i.test(err.providerMessage ?? '')
        ? `this token is inference-only (setup-token); log in with ${command} (/login) instead`
        : `check that this login can read usage; run ${command} to log in again`
    case 'rate-limited':
      return 'quotabar waits before asking again; polling less often avoids this'
    case 'network':
    case 'timeout':
      return 'check the network connection; the last numbers stay visible'
    default:
      return null
  }
}
