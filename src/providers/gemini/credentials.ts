import { existsSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import type { Env } from '../../config/paths.js'
import type { ErrorInfo } from '../../model.js'
import type { Account, CredentialInfo, FetchContext } from '../types.js'
import { geminiDir } from './descriptor.js'
import { fingerprintOf } from '../fingerprint.js'
import { type LoginRead, readJsonFile, readLoginFile } from '../login-files.js'
import { activeAccountOf, idTokenClaims } from './identity.js'
import { credentialFingerprint, failedCredential, isoOrNull, NOTHING_KNOWN } from '../credential-info.js'

/**
 * Gemini CLI's Google login, read-only (providers spec §2.1). Google refresh tokens do not
 * rotate, so the adapter may refresh the access token in memory; this file is never written.
 */

const credsSchema = z.object({
  access_token: z.string().nullish(),
  refresh_token: z.string().nullish(),
  id_token: z.string().nullish(),
  /** Epoch ms (google-auth-library `Credentials`). */
  expiry_date: z.number().nullish(),
})

const settingsSchema = z.object({
  selectedAuthType: z.string().nullish(),
  security: z
    .object({
      auth: z.object({ selectedType: z.string().nullish(), enforcedType: z.string().nullish() }).nullish(),
    })
    .nullish(),
})

export interface GeminiLogin {
  accessToken: string | null
  refreshToken: string | null
  /** Epoch ms; null when the file gives none (google-auth-library then treats it as valid). */
  expiresAt: number | null
  email: string | null
  /** The Workspace domain (`hd` claim): a free tier with one is a Workspace account. */
  hostedDomain: string | null
  fingerprint: string
  /** "run `gemini`" or "run `GEMINI_CLI_HOME=… gemini`", for every "log in" fix. */
  loginCommand: string
}

export type LoginResult = LoginRead<GeminiLogin>

// Auth types that log in without a Google account: Code Assist has no quota for them (§2.1).
const NO_QUOTA_AUTH = new Set([
  'gemini-api-key',
  'vertex-ai',
  'gateway',
  'cloud-shell',
  'compute-default-credentials',
])

const fail = (kind: ErrorInfo['kind'], message: string, fix: string, fp: string | null): LoginResult => ({
  ok: false,
  error: { kind, message, fix, httpStatus: null },
  fingerprint: fp,
})

/** settings.json v2 `security.auth.{enforcedType,selectedType}`, or v1 `selectedAuthType`. */
export function selectedAuthType(dir: string): string | null {
  const parsed = settingsSchema.safeParse(readJsonFile(join(dir, 'settings.json')))
  if (!parsed.success) return null
  const auth = parsed.data.security?.auth
  return auth?.enforcedType ?? auth?.selectedType ?? parsed.data.selectedAuthType ?? null
}

function loginCommandFor(dir: string, env: Env, home: string): string {
  if (dir === geminiDir({}, env, home)) return 'run `gemini`'
  return basename(dir) === '.gemini'
    ? `run \`GEMINI_CLI_HOME=${dirname(dir)} gemini\``
    : `run \`gemini\` with its login in ${dir}`
}

export function readGeminiLogin(account: Account, env: Env, home: string, nowMs: number): LoginResult {
  const dir = geminiDir(account, env, home)
  const file = join(dir, 'oauth_creds.json')
  const run = loginCommandFor(dir, env, home)
  const loginFix = `${run} and choose "Login with Google"`
  const authType = selectedAuthType(dir)
  if (authType && NO_QUOTA_AUTH.has(authType)) {
    return fail(
      'config',
      `this Gemini CLI home logs in with ${authType}; Google has a quota API only for "Login with Google"`,
      `${loginFix}, or disable this account in quotabar`,
      null,
    )
  }
  let text: string
  try {
    text = readLoginFile(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'ENOENT')
      return fail('credentials', `cannot read ${file} (${code})`, 'check its permissions', null)
    if (existsSync(join(dir, '.gemini', 'oauth_creds.json'))) {
      return fail('config', `no login in ${dir}`, `set configDir to ${join(dir, '.gemini')}`, null)
    }
    if (
      existsSync(join(dir, 'gemini-credentials.json')) ||
      env.GEMINI_FORCE_ENCRYPTED_FILE_STORAGE === 'true'
    ) {
      return fail(
        'credentials',
        'Gemini CLI keeps this login in encrypted storage (keychain or gemini-credentials.json), which quotabar does not read',
        `unset GEMINI_FORCE_ENCRYPTED_FILE_STORAGE and ${loginFix} so it writes oauth_creds.json`,
        null,
      )
    }
    return fail('credentials', `not logged in: no ${file}`, loginFix, null)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return fail('credentials', `${file} is not valid JSON (truncated?)`, loginFix, null)
  }
  const parsed = credsSchema.safeParse(json)
  const creds = parsed.success ? parsed.data : null
  if (!creds?.access_token && !creds?.refresh_token) {
    return fail('credentials', `${file} holds no Google login (access_token, refresh_token)`, loginFix, null)
  }
  const claims = idTokenClaims(creds.id_token)
  const email = claims.email ?? activeAccountOf(readJsonFile(join(dir, 'google_accounts.json')))
  // The Google account id (or email) survives token refreshes; a token hash is the last resort.
  const fingerprint = fingerprintOf(claims.sub ?? email ?? creds.refresh_token ?? creds.access_token ?? '')
  const expiresAt = creds.expiry_date ?? null
  if (!creds.refresh_token && (!creds.access_token || (expiresAt !== null && expiresAt <= nowMs))) {
    return fail(
      'auth',
      'Gemini login expired (and it has no refresh token)',
      `${run} to log in again`,
      fingerprint,
    )
  }
  return {
    ok: true,
    login: {
      accessToken: creds.access_token || null,
      refreshToken: creds.refresh_token || null,
      expiresAt,
      email,
      hostedDomain: claims.hd ?? null,
      fingerprint,
      loginCommand: run,
    },
  }
}

/** `doctor`: the login file as the fetch reads it. */
export async function inspectGeminiLogin(account: Account, ctx: FetchContext): Promise<CredentialInfo> {
  const file = join(geminiDir(account, ctx.env, ctx.home), 'oauth_creds.json')
  const r = readGeminiLogin(account, ctx.env, ctx.home, ctx.now().getTime())
  if (!r.ok) return failedCredential(r.error, file)
  const l = r.login
  return {
    ...NOTHING_KNOWN,
    found: true,
    source: file,
    fingerprint: credentialFingerprint(l.refreshToken ?? l.accessToken ?? ''),
    expiresAt: isoOrNull(l.expiresAt),
    email: l.email,
    note: l.refreshToken ? 'the access token is renewed in memory from the refresh token' : null,
  }
}
