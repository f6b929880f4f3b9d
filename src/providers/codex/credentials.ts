import { join } from 'node:path'
import { z } from 'zod'
import type { Env } from '../../config/paths.js'
import type { ErrorInfo } from '../../model.js'
import { planLabel } from './windows.js'
import { fingerprintOf } from '../fingerprint.js'
import { readLoginFile } from '../login-files.js'
import { type Claims, claimsAccount, decodeClaims } from './identity.js'
import { credentialFingerprint, failedCredential, isoOrNull, NOTHING_KNOWN } from '../credential-info.js'
import type { Account, CredentialInfo, FetchContext } from '../types.js'
import { codexHome } from './descriptor.js'

/**
 * Codex's login (`<CODEX_HOME>/auth.json`, spec §2.1), read-only. Codex rotates all three tokens
 * on refresh, so redeeming its refresh token would log the CLI out: quotabar never does, and never
 * writes the file. Identity comes from the id_token's claims, decoded locally (no signature check).
 */

// Some third-party copies use camelCase (CodexBar accepts both). Identity fields are optional:
// a drifted id_token must not cost the user their numbers.
const tokensSchema = z.object({
  access_token: z.string().nullish(),
  accessToken: z.string().nullish(),
  id_token: z.string().nullish().catch(null),
  idToken: z.string().nullish().catch(null),
  account_id: z.string().nullish().catch(null),
  accountId: z.string().nullish().catch(null),
})

const authSchema = z.object({
  auth_mode: z.string().nullish(),
  OPENAI_API_KEY: z.string().nullish(),
  tokens: tokensSchema.nullish(),
})

export interface CodexIdentity {
  email: string | null
  plan: string | null
  fingerprint: string | null
}

export interface CodexLogin extends CodexIdentity {
  accessToken: string
  /** Sent as ChatGPT-Account-Id (needed for workspace accounts). */
  accountId: string | null
  /** Unix ms from the access token's `exp`; null when the token is not a readable JWT. */
  expiresAt: number | null
}

export type LoginResult =
  | { ok: true; login: CodexLogin }
  | {
      ok: false
      error: ErrorInfo
      identity: CodexIdentity
      /** The session logs may still hold this account's numbers (expired token, keyring login). */
      logsMayHelp: boolean
    }

function identityOf(idClaims: Claims | null, accessClaims: Claims | null, accountId: string | null) {
  const { auth, account, email, key } = claimsAccount(idClaims, accessClaims, accountId)
  return {
    identity: {
      email,
      plan: planLabel(auth?.chatgpt_plan_type),
      fingerprint: key ? fingerprintOf(key) : null,
    },
    accountId: account,
  }
}

/** `codex login`, or `CODEX_HOME=<dir> codex login` for any home but the one codex would use itself. */
export function loginCommand(dir: string, env: Env, home: string, sub = ' login'): string {
  const standard = dir === (env.CODEX_HOME || join(home, '.codex'))
  return standard ? `codex${sub}` : `CODEX_HOME=${dir} codex${sub}`
}

/** In keyring (or auto) mode codex may keep no auth.json at all. */
function keyringMode(dir: string): boolean {
  try {
    const toml = readLoginFile(join(dir, 'config.toml'))
    return /^\s*cli_auth_credentials_store\s*=\s*["'](keyring|auto)["']/m.test(toml)
  } catch {
    return false
  }
}

const NO_IDENTITY: CodexIdentity = { email: null, plan: null, fingerprint: null }

function fail(
  kind: ErrorInfo['kind'],
  message: string,
  fix: string,
  identity = NO_IDENTITY,
  logsMayHelp = false,
): LoginResult {
  return { ok: false, error: { kind, message, fix, httpStatus: null }, identity, logsMayHelp }
}

export function readCodexLogin(dir: string, env: Env, home: string, nowMs: number): LoginResult {
  const file = join(dir, 'auth.json')
  const fix = `run \`${loginCommand(dir, env, home)}\` with your ChatGPT account`
  let text: string
  try {
    text = readLoginFile(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'ENOENT')
      return fail('credentials', `cannot read ${file} (${code})`, 'check its permissions')
    return keyringMode(dir)
      ? fail(
          'credentials',
          'Codex keeps this login in the system keyring; quotabar reads only auth.json',
          `set cli_auth_credentials_store = "file" in ${join(dir, 'config.toml')}, then ${fix}`,
          NO_IDENTITY,
          true,
        )
      : fail('credentials', `not logged in: no ${file}`, fix)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return fail('credentials', `${file} is not valid JSON (truncated?)`, fix)
  }
  const parsed = authSchema.safeParse(json)
  if (!parsed.success) return fail('credentials', `${file} does not look like a Codex login`, fix)
  const auth = parsed.data
  const tokens = auth.tokens
  const accessToken = tokens?.access_token ?? tokens?.accessToken
  const apiKeyOnly = auth.auth_mode?.toLowerCase() === 'apikey' || (!accessToken && !!auth.OPENAI_API_KEY)
  if (apiKeyOnly) {
    return fail(
      'credentials',
      'API-key logins have no plan quota',
      `${fix} to see plan limits (API spend is the openai provider's job)`,
    )
  }
  if (!tokens || !accessToken) return fail('credentials', `${file} holds no ChatGPT login (tokens)`, fix)
  const accessClaims = decodeClaims(accessToken)
  const { identity, accountId } = identityOf(
    decodeClaims(tokens.id_token ?? tokens.idToken),
    accessClaims,
    tokens.account_id ?? tokens.accountId ?? null,
  )
  const expiresAt = typeof accessClaims?.exp === 'number' ? accessClaims.exp * 1000 : null
  if (expiresAt !== null && expiresAt <= nowMs) {
    const again = `run \`${loginCommand(dir, env, home, '')}\` to log in again (quotabar never refreshes Codex tokens)`
    return fail('auth', 'Codex login expired', again, identity, true)
  }
  return { ok: true, login: { ...identity, accessToken, accountId, expiresAt } }
}

/** `doctor`: the login file as the fetch reads it. */
export async function inspectCodexLogin(account: Account, ctx: FetchContext): Promise<CredentialInfo> {
  const dir = codexHome(account, ctx.env, ctx.home)
  const r = readCodexLogin(dir, ctx.env, ctx.home, ctx.now().getTime())
  if (!r.ok) return failedCredential(r.error, join(dir, 'auth.json'))
  return {
    ...NOTHING_KNOWN,
    found: true,
    source: join(dir, 'auth.json'),
    fingerprint: credentialFingerprint(r.login.accessToken),
    expiresAt: isoOrNull(r.login.expiresAt),
    email: r.login.email,
    plan: r.login.plan,
    note: 'Codex renews the token when it runs; quotabar never does',
  }
}
