import { readJsonFile, readLoginFile } from '../login-files.js'
import type { ErrorInfo } from '../../model.js'
import { credentialFingerprint, failedCredential, isoOrNull, NOTHING_KNOWN } from '../credential-info.js'
import { fingerprintOf } from '../fingerprint.js'
import { isRec, nonEmpty, nullish, num, str } from '../../hand-check.js'
import { epochMs } from '../plain-parts.js'
import type { Account, CredentialInfo, FetchContext, LoginIdentity } from '../types.js'
import { antigravityTokenFile, antigravityTokenIn } from './descriptor.js'

/**
 * `{token: {access_token, refresh_token, expiry}}`, read-only. The refresh token belongs to
 * Antigravity's own Google OAuth client, whose id and secret quotabar does not have, so an expired
 * access token cannot be renewed here: it is "open Antigravity to renew it", and the file is never
 * written either way.
 */
export interface AntigravityToken {
  access_token: string
  refresh_token?: string | null
  expiry?: string | number | null
}

const stringOrNumber = (v: unknown): v is string | number => str(v) || num(v)

/**
 * `token` of a parsed token file, or null when it is not a login. Checked by hand (discovery
 * reads it for every redraw of Claude Code's status-line hook without a config, and loads no zod
 * there): test/providers/login-checks.test.ts holds it to the schema it replaced.
 */
export function antigravityTokenOf(json: unknown): AntigravityToken | null {
  const t = isRec(json) ? json.token : undefined
  if (!isRec(t)) return null
  const { access_token, refresh_token, expiry } = t
  const ok =
    nonEmpty(access_token) &&
    nullish(refresh_token, str) &&
    // Go's oauth2.Token writes RFC 3339; a number (seconds or ms) is accepted too.
    nullish(expiry, stringOrNumber)
  return ok ? { access_token, refresh_token, expiry } : null
}

export interface AntigravityLogin {
  accessToken: string
  file: string
  expiresAt: number | null
  /** Stable across access-token renewals (Google refresh tokens do not rotate). */
  fingerprint: string
}

export const RELOGIN = 'open Antigravity (or run `agy`) so it renews its login; quotabar only reads it'

const fail = (kind: ErrorInfo['kind'], message: string, fix: string) =>
  ({ ok: false, error: { kind, message, fix, httpStatus: null } }) as const

function expiryMs(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'number') return v > 0 ? epochMs(v) : null
  const t = Date.parse(v)
  // Go writes the zero time (`0001-01-01T00:00:00Z`) for "no expiry".
  return Number.isNaN(t) || t <= 0 ? null : t
}

export function readAntigravityLogin(
  account: Account,
  ctx: Pick<FetchContext, 'env' | 'home' | 'now'>,
): { ok: true; login: AntigravityLogin } | { ok: false; error: ErrorInfo } {
  const file = antigravityTokenFile(account, ctx.env, ctx.home)
  let text: string
  try {
    text = readLoginFile(file)
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT'
    return fail(
      'credentials',
      missing ? `no Antigravity login at ${file}` : `cannot read ${file}`,
      missing
        ? 'log in with `agy`, or set configDir to the home that has the login'
        : 'check the file permissions',
    )
  }
  let data: unknown = null
  try {
    data = JSON.parse(text)
  } catch {}
  const t = antigravityTokenOf(data)
  if (!t) return fail('credentials', `${file} is not an Antigravity login`, RELOGIN)
  const expiresAt = expiryMs(t.expiry)
  if (expiresAt !== null && expiresAt <= ctx.now().getTime())
    return fail('auth', 'the Antigravity login expired', RELOGIN)
  return {
    ok: true,
    login: {
      accessToken: t.access_token,
      file,
      expiresAt,
      fingerprint: fingerprintOf(t.refresh_token || t.access_token),
    },
  }
}

/** `doctor`: the token file as the fetch reads it. */
export async function inspectAntigravityLogin(account: Account, ctx: FetchContext): Promise<CredentialInfo> {
  const r = readAntigravityLogin(account, ctx)
  if (!r.ok) return failedCredential(r.error, antigravityTokenFile(account, ctx.env, ctx.home))
  return {
    ...NOTHING_KNOWN,
    found: true,
    source: r.login.file,
    fingerprint: credentialFingerprint(r.login.accessToken),
    expiresAt: isoOrNull(r.login.expiresAt),
    note: 'Antigravity renews its token when it runs; quotabar never does',
  }
}

/**
 * Who is logged in to a home: the token file names no account, so the refresh token's hash (the
 * fetch's fingerprint, stable across renewals) stands for it; a copied home is the same login.
 */
export function antigravityIdentity(dir: string): LoginIdentity | null {
  const t = antigravityTokenOf(readJsonFile(antigravityTokenIn(dir)))
  if (!t) return null
  return { key: fingerprintOf(t.refresh_token || t.access_token), email: null }
}
