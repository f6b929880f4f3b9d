import { type LoginRead, readLoginFile } from '../login-files.js'
import { join } from 'node:path'
import { isRec, listOf, nonEmpty, nullish, num, str } from '../../hand-check.js'
import type { Env } from '../../config/paths.js'
import type { ErrorInfo } from '../../model.js'
import type { Account, CredentialInfo, FetchContext, LoginIdentity } from '../types.js'
import { claudeConfigDir, claudeIdentityFiles } from './descriptor.js'
import { fingerprintOf } from '../fingerprint.js'
import { credentialFingerprint, failedCredential, isoOrNull, NOTHING_KNOWN } from '../credential-info.js'
import { keychainServices, readKeychain } from './keychain.js'

/**
 * Claude Code's login, read-only. Claude rotates single-use refresh tokens: redeeming one behind
 * its back logs the user out everywhere, so quotabar never refreshes and never writes this file.
 */

/** `claudeAiOauth` of `.credentials.json` (or the Keychain item), the fields the fetch uses. */
export interface ClaudeOauth {
  accessToken: string
  expiresAt?: number | null
  scopes?: string[] | null
  subscriptionType?: string | null
  rateLimitTier?: string | null
}

/**
 * The login in a parsed credentials file, or null when there is none or it is malformed (any
 * field of the wrong type). Checked by hand: Claude Code's status-line hook reads it on every
 * redraw and loads no zod (test/providers/claude-credentials.test.ts holds it to the zod schema).
 */
export function claudeOauthOf(json: unknown): ClaudeOauth | null {
  const o = isRec(json) ? json.claudeAiOauth : undefined
  if (!isRec(o) || !nonEmpty(o.accessToken)) return null
  const { accessToken, expiresAt, scopes, subscriptionType, rateLimitTier } = o
  const ok =
    nullish(expiresAt, num) &&
    nullish(scopes, strings) &&
    nullish(subscriptionType, str) &&
    nullish(rateLimitTier, str)
  return ok ? { accessToken, expiresAt, scopes, subscriptionType, rateLimitTier } : null
}

const strings = (v: unknown): v is string[] => listOf(v, str)

/** `oauthAccount` of a parsed `.claude.json`: null when absent or malformed. */
export function claudeAccountOf(
  json: unknown,
): { accountUuid?: string | null; emailAddress?: string | null } | null {
  const a = isRec(json) ? json.oauthAccount : undefined
  if (!isRec(a)) return null
  const { accountUuid, emailAddress } = a
  return nullish(accountUuid, str) && nullish(emailAddress, str) ? { accountUuid, emailAddress } : null
}

export interface ClaudeLogin {
  accessToken: string
  /** Unix ms; null when the token came from CLAUDE_CODE_OAUTH_TOKEN. */
  expiresAt: number | null
  scopes: string[] | null
  plan: string | null
  email: string | null
  fingerprint: string
  source: string
}

export type LoginResult = LoginRead<ClaudeLogin>

/** `max` + `default_claude_max_20x` → `Max 20x`. */
export function planLabel(
  subscriptionType: string | null | undefined,
  tier: string | null | undefined,
): string | null {
  const t = (tier ?? '').toLowerCase()
  const mult = /max_(\d+x)/.exec(t)?.[1]
  const sub = (subscriptionType ?? '').toLowerCase()
  const base = sub || (mult ? 'max' : (/pro|team|enterprise/.exec(t)?.[0] ?? ''))
  if (!base) return null
  const name = base.charAt(0).toUpperCase() + base.slice(1)
  return base === 'max' && mult ? `Max ${mult}` : name
}

function readIdentity(configDir: string, home: string): { uuid: string | null; email: string | null } {
  for (const file of claudeIdentityFiles(configDir, home)) {
    try {
      const acct = claudeAccountOf(JSON.parse(readLoginFile(file)))
      if (acct?.accountUuid || acct?.emailAddress) {
        return { uuid: acct.accountUuid ?? null, email: acct.emailAddress ?? null }
      }
    } catch {}
  }
  return { uuid: null, email: null }
}

/** `claude`, or `CLAUDE_CONFIG_DIR=<dir> claude` for a login that is not the default one. */
export function claudeCommand(dir: string, env: Env, home: string): string {
  const standard = dir === (env.CLAUDE_CONFIG_DIR || join(home, '.claude'))
  return standard ? '`claude`' : `\`CLAUDE_CONFIG_DIR=${dir} claude\``
}

function loginFix(dir: string, env: Env, home: string): string {
  return `run ${claudeCommand(dir, env, home)} and log in (/login)`
}

function fail(
  kind: ErrorInfo['kind'],
  message: string,
  fix: string,
  fingerprint: string | null,
): LoginResult {
  return { ok: false, error: { kind, message, fix, httpStatus: null }, fingerprint }
}

export function readClaudeLogin(account: Account, env: Env, home: string, nowMs: number): LoginResult {
  const dir = claudeConfigDir(account, env, home)
  const file = join(dir, '.credentials.json')
  const identity = readIdentity(dir, home)
  const fix = loginFix(dir, env, home)
  const isDefault = dir === (env.CLAUDE_CONFIG_DIR || join(home, '.claude'))
  let text: string | null = null
  let where = file
  if (account.keychain === true) {
    // Opt-in: on macOS the Keychain is the source of truth; without an item the file still counts.
    const k = readKeychain(keychainServices(dir, isDefault), env, nowMs)
    if (k.found) {
      text = k.text
      where = `the macOS Keychain (${k.service})`
    } else if (k.refused) return fail('credentials', k.refused.message, k.refused.fix, identity.uuid)
  }
  if (text === null) {
    try {
      text = readLoginFile(file)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'ENOENT')
        return fail('credentials', `cannot read ${file} (${code})`, 'check its permissions', null)
    }
  }
  if (text === null) {
    // CLAUDE_CODE_OAUTH_TOKEN (claude setup-token) is a fallback for the default login only.
    const envToken = env.CLAUDE_CODE_OAUTH_TOKEN
    if (envToken && isDefault) {
      return {
        ok: true,
        login: {
          accessToken: envToken,
          expiresAt: null,
          scopes: null,
          plan: null,
          email: identity.email,
          fingerprint: identity.uuid ?? fingerprintOf(envToken),
          source: 'CLAUDE_CODE_OAUTH_TOKEN',
        },
      }
    }
    return fail('credentials', `not logged in: no ${file}`, fix, identity.uuid)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return fail('credentials', `${where} is not valid JSON (truncated?)`, fix, identity.uuid)
  }
  const oauth = claudeOauthOf(json)
  if (!oauth) return fail('credentials', `${where} holds no Claude login (claudeAiOauth)`, fix, identity.uuid)
  const fingerprint = identity.uuid ?? fingerprintOf(oauth.accessToken)
  // No expiresAt is treated as expired, as Claude Code itself does.
  if ((oauth.expiresAt ?? 0) <= nowMs) {
    return fail(
      'auth',
      'Claude login expired',
      `run ${claudeCommand(dir, env, home)} to log in again`,
      fingerprint,
    )
  }
  if (oauth.scopes && !oauth.scopes.includes('user:profile')) {
    return fail(
      'forbidden',
      'this login is inference-only (no user:profile scope) and cannot read usage',
      `${fix} with your Claude account instead of a setup-token`,
      fingerprint,
    )
  }
  return {
    ok: true,
    login: {
      accessToken: oauth.accessToken,
      expiresAt: oauth.expiresAt ?? null,
      scopes: oauth.scopes ?? null,
      plan: planLabel(oauth.subscriptionType, oauth.rateLimitTier),
      email: identity.email,
      fingerprint,
      source: where,
    },
  }
}

/** `oauthAccount` in `.claude.json` (`~/.claude.json` for the standard `~/.claude`). */
export function claudeIdentity(dir: string, home: string): LoginIdentity | null {
  const { uuid, email } = readIdentity(dir, home)
  const key = uuid || email?.toLowerCase()
  return key ? { key, email } : null
}

/** `doctor`: the login file as the fetch reads it. */
export async function inspectClaudeLogin(account: Account, ctx: FetchContext): Promise<CredentialInfo> {
  const r = readClaudeLogin(account, ctx.env, ctx.home, ctx.now().getTime())
  if (!r.ok)
    return failedCredential(r.error, join(claudeConfigDir(account, ctx.env, ctx.home), '.credentials.json'))
  const l = r.login
  return {
    ...NOTHING_KNOWN,
    found: true,
    source: l.source,
    fingerprint: credentialFingerprint(l.accessToken),
    expiresAt: isoOrNull(l.expiresAt),
    scopes: l.scopes,
    // The usage endpoint answers only tokens with this scope (readClaudeLogin says so too).
    ...(l.scopes ? { scopesOk: l.scopes.includes('user:profile') } : {}),
    email: l.email,
    plan: l.plan,
    note: 'Claude Code renews the token when it runs; quotabar never does',
  }
}
