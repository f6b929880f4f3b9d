import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { Env } from '../config/paths.js'
import type { ErrorInfo } from '../model.js'
import { antigravityTokenFile } from '../providers/antigravity/descriptor.js'
import { readAntigravityLogin } from '../providers/antigravity/login.js'
import { claudeConfigDir } from '../providers/claude/descriptor.js'
import { readClaudeLogin } from '../providers/claude/credentials.js'
import { readCodexLogin } from '../providers/codex/credentials.js'
import { codexHome } from '../providers/codex/descriptor.js'
import { readCopilotOptions, readCopilotToken } from '../providers/copilot/token.js'
import { cursorDataDir, readCursorLogin } from '../providers/cursor/credentials.js'
import { stateDbPath } from '../providers/cursor/descriptor.js'
import { readGeminiLogin } from '../providers/gemini/credentials.js'
import { geminiDir } from '../providers/gemini/descriptor.js'
import type { Account } from '../model.js'
import { resolveApiKey } from '../secrets.js'

/**
 * What `doctor` may say about a login: where it was found, a fingerprint (never the secret),
 * expiry and scopes where the provider's file says. It uses the adapters' own read-only readers,
 * so it sees exactly what a fetch would.
 */
export interface CredentialInfo {
  /** null: this provider's credential is only read by its fetch (see the endpoint check). */
  found: boolean | null
  source: string | null
  /** `sha256:1a2b3c4d` of the token or key: tells two logins apart, reveals nothing. */
  fingerprint: string | null
  expiresAt: string | null
  scopes: string[] | null
  email: string | null
  /** The plan the login file names (Claude, Codex), for when the cache has none yet. */
  plan: string | null
  /** Why the login cannot be used (missing, expired, wrong scope). */
  problem: ErrorInfo | null
  note: string | null
}

export interface InspectDeps {
  env: Env
  home: string
  now: () => Date
  timeoutMs: number
}

export const fingerprintOf = (secret: string) =>
  `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 8)}`

const EMPTY: CredentialInfo = {
  found: null,
  source: null,
  fingerprint: null,
  expiresAt: null,
  scopes: null,
  email: null,
  plan: null,
  problem: null,
  note: null,
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** A reader's failure: `credentials` means nothing usable was found; anything else, a login was. */
function failed(error: ErrorInfo, source: string | null): CredentialInfo {
  return { ...EMPTY, found: error.kind !== 'credentials', source, problem: error }
}

export async function inspectCredential(account: Account, deps: InspectDeps): Promise<CredentialInfo> {
  const { env, home } = deps
  const nowMs = deps.now().getTime()
  switch (account.provider) {
    case 'claude': {
      const r = readClaudeLogin(account, env, home, nowMs)
      if (!r.ok) return failed(r.error, join(claudeConfigDir(account, env, home), '.credentials.json'))
      const l = r.login
      return {
        ...EMPTY,
        found: true,
        source: l.source,
        fingerprint: fingerprintOf(l.accessToken),
        expiresAt: iso(l.expiresAt),
        scopes: l.scopes,
        email: l.email,
        plan: l.plan,
        note: 'Claude Code renews the token when it runs; quotabar never does',
      }
    }
    case 'codex': {
      const dir = codexHome(account, env, home)
      const r = readCodexLogin(dir, env, home, nowMs)
      if (!r.ok) return failed(r.error, join(dir, 'auth.json'))
      return {
        ...EMPTY,
        found: true,
        source: join(dir, 'auth.json'),
        fingerprint: fingerprintOf(r.login.accessToken),
        expiresAt: iso(r.login.expiresAt),
        email: r.login.email,
        plan: r.login.plan,
        note: 'Codex renews the token when it runs; quotabar never does',
      }
    }
    case 'gemini': {
      const file = join(geminiDir(account, env, home), 'oauth_creds.json')
      const r = readGeminiLogin(account, env, home, nowMs)
      if (!r.ok) return failed(r.error, file)
      const l = r.login
      return {
        ...EMPTY,
        found: true,
        source: file,
        fingerprint: fingerprintOf(l.refreshToken ?? l.accessToken ?? ''),
        expiresAt: iso(l.expiresAt),
        email: l.email,
        note: l.refreshToken ? 'the access token is renewed in memory from the refresh token' : null,
      }
    }
    case 'antigravity': {
      const r = readAntigravityLogin(account, deps)
      if (!r.ok) return failed(r.error, antigravityTokenFile(account, env, home))
      return {
        ...EMPTY,
        found: true,
        source: r.login.file,
        fingerprint: fingerprintOf(r.login.accessToken),
        expiresAt: iso(r.login.expiresAt),
        note: 'Antigravity renews its token when it runs; quotabar never does',
      }
    }
    case 'cursor': {
      const r = await readCursorLogin(account, env, home, nowMs)
      const source =
        account.apiKeyEnv || account.apiKeyCommand
          ? `${account.apiKeyEnv ? `$${account.apiKeyEnv}` : 'apiKeyCommand'}`
          : stateDbPath(cursorDataDir(account, env, home))
      if (!r.ok) return failed(r.error, source)
      return {
        ...EMPTY,
        found: true,
        source,
        fingerprint: fingerprintOf(r.login.accessToken),
        expiresAt: iso(r.login.expiresAt),
        email: r.login.email,
        note: 'Cursor renews its session while it runs',
      }
    }
    case 'copilot': {
      const o = readCopilotOptions(account)
      if (!o.ok) return failed(o.error, null)
      const r = await readCopilotToken(account, o.options, deps)
      if (!r.ok) return failed(r.error, null)
      const source =
        r.token.source === 'gh' ? '`gh auth token` (gh keeps it in the system keyring)' : r.token.source
      return { ...EMPTY, found: true, source, fingerprint: fingerprintOf(r.token.secret) }
    }
    default: {
      // apiKeyEnv, apiKeyCommand or a key stored by `accounts add`; without any of them the
      // provider may still fall back to its well-known variable, which only its fetch knows.
      const key = await resolveApiKey(account, env)
      if (key.ok) return { ...EMPTY, found: true, source: key.source, fingerprint: fingerprintOf(key.secret) }
      if (account.apiKeyEnv || account.apiKeyCommand) return failed(key.error, null)
      return { ...EMPTY, note: 'read by the provider when it fetches (see endpoint)' }
    }
  }
}
