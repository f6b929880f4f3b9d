import type { LoginRead } from '../login-files.js'
import { existsSync } from 'node:fs'
import { z } from 'zod'
import { type Env, expandPath } from '../../config/paths.js'
import type { ErrorInfo } from '../../model.js'
import { resolveApiKey } from '../../secrets.js'
import type { Account, CredentialInfo, FetchContext } from '../types.js'
import { cursorDataDirs, stateDbPath } from './descriptor.js'
import { readKeyValues, type SqlValue, SqliteError } from './sqlite.js'
import { fingerprintOf } from '../fingerprint.js'
import { credentialFingerprint, failedCredential, isoOrNull, NOTHING_KNOWN } from '../credential-info.js'

/**
 * Cursor's app session, read-only from `state.vscdb` (providers spec §3.1). Cursor renews the token
 * itself while it runs; quotabar never redeems the refresh token and never writes the database.
 * An account with `apiKeyEnv` / `apiKeyCommand` brings its own token instead (a second login).
 */

const KEYS = {
  token: 'cursorAuth/accessToken',
  email: 'cursorAuth/cachedEmail',
  plan: 'cursorAuth/stripeMembershipType',
} as const

const claimsSchema = z.object({ sub: z.string().nullish(), exp: z.number().nullish() })

export interface CursorLogin {
  accessToken: string
  /** `user_…`: the part of the JWT `sub` after the last `|`. */
  userId: string
  /** Unix ms, from the JWT `exp`. */
  expiresAt: number | null
  email: string | null
  /** The app's cached membership (`pro`, ...), for when the payload names none. */
  membership: string | null
  fingerprint: string
  /** What to tell the user when the session is rejected. */
  fix: string
}

export type LoginResult = LoginRead<CursorLogin>

function fail(
  kind: ErrorInfo['kind'],
  message: string,
  fix: string,
  fingerprint: string | null,
): LoginResult {
  return { ok: false, error: { kind, message, fix, httpStatus: null }, fingerprint }
}

/** ItemTable values are usually TEXT, sometimes a BLOB in UTF-8 or UTF-16LE (CodexBar `decodeSQLiteValue`). */
export function decodeItem(value: SqlValue | undefined): string | null {
  if (value === null || value === undefined) return null
  let text: string
  if (typeof value === 'string') text = value
  else if (typeof value === 'number') text = String(value)
  else {
    const utf16 = (value[0] === 0xff && value[1] === 0xfe) || (value.length % 2 === 0 && value[1] === 0)
    text = new TextDecoder(utf16 ? 'utf-16le' : 'utf-8').decode(value)
  }
  return text.trim() || null
}

/** A bare token, a `WorkosCursorSessionToken` value (`user_…%3A%3A<jwt>`) or the whole `name=value`. */
export function tokenFromSecret(secret: string): string {
  const value = secret.trim().replace(/^WorkosCursorSessionToken=/, '')
  return value.split(/%3A%3A|::/i).at(-1) ?? value
}

function claimsOf(jwt: string): z.output<typeof claimsSchema> | null {
  const payload = jwt.split('.')[1]
  if (!payload) return null
  try {
    const parsed = claimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

function fromToken(
  token: string,
  where: string,
  meta: { email: string | null; membership: string | null; fix: string },
  nowMs: number,
): LoginResult {
  const claims = claimsOf(token)
  if (!claims) return fail('credentials', `the Cursor session token in ${where} is not a JWT`, meta.fix, null)
  const userId = claims.sub?.split('|').at(-1)
  if (!claims.sub || !userId) {
    return fail('credentials', `the Cursor session token in ${where} names no user (sub)`, meta.fix, null)
  }
  const fingerprint = fingerprintOf(claims.sub)
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : null
  // Used only while more than a minute is left, as CodexBar does; Cursor renews it when it runs.
  if (expiresAt !== null && expiresAt - nowMs <= 60_000) {
    return fail('auth', 'Cursor session expired', meta.fix, fingerprint)
  }
  return { ok: true, login: { accessToken: token, userId, expiresAt, fingerprint, ...meta } }
}

/** The configured data dir, else the first default one that holds a database. */
export function cursorDataDir(account: Account, env: Env, home: string): string {
  if (account.configDir) return expandPath(account.configDir, env)
  const dirs = cursorDataDirs(env, home)
  return dirs.find((d) => existsSync(stateDbPath(d))) ?? (dirs[0] as string)
}

export async function readCursorLogin(
  account: Account,
  env: Env,
  home: string,
  nowMs: number,
): Promise<LoginResult> {
  if (account.apiKeyEnv || account.apiKeyCommand) {
    const key = await resolveApiKey(account, env)
    if (!key.ok) return { ok: false, error: key.error, fingerprint: null }
    const fix = `put a current Cursor session token in ${key.source}`
    return fromToken(tokenFromSecret(key.secret), key.source, { email: null, membership: null, fix }, nowMs)
  }
  const dir = cursorDataDir(account, env, home)
  const file = stateDbPath(dir)
  const open = cursorDataDirs(env, home).includes(dir)
    ? 'open Cursor'
    : `open Cursor with \`cursor --user-data-dir ${dir}\``
  const fix = `${open} and log in again`
  let items: Map<string, SqlValue>
  try {
    items = readKeyValues(file, 'ItemTable', Object.values(KEYS))
  } catch (err) {
    if (err instanceof SqliteError) {
      return fail('credentials', `cannot read ${file} (${err.message})`, fix, null)
    }
    const code = (err as NodeJS.ErrnoException).code ?? 'error'
    return code === 'ENOENT'
      ? fail(
          'credentials',
          `Cursor is not installed or not logged in: no ${file}`,
          `${open} and log in`,
          null,
        )
      : fail('credentials', `cannot read ${file} (${code})`, 'check its permissions', null)
  }
  const token = decodeItem(items.get(KEYS.token))
  if (!token) {
    return fail(
      'credentials',
      `not logged in to Cursor: ${file} holds no session`,
      `${open} and log in`,
      null,
    )
  }
  const meta = { email: decodeItem(items.get(KEYS.email)), membership: decodeItem(items.get(KEYS.plan)), fix }
  return fromToken(token, file, meta, nowMs)
}

/** `doctor`: the session as the fetch reads it. */
export async function inspectCursorLogin(account: Account, ctx: FetchContext): Promise<CredentialInfo> {
  const r = await readCursorLogin(account, ctx.env, ctx.home, ctx.now().getTime())
  const source =
    account.apiKeyEnv || account.apiKeyCommand
      ? `${account.apiKeyEnv ? `$${account.apiKeyEnv}` : 'apiKeyCommand'}`
      : stateDbPath(cursorDataDir(account, ctx.env, ctx.home))
  if (!r.ok) return failedCredential(r.error, source)
  return {
    ...NOTHING_KNOWN,
    found: true,
    source,
    fingerprint: credentialFingerprint(r.login.accessToken),
    expiresAt: isoOrNull(r.login.expiresAt),
    email: r.login.email,
    note: 'Cursor renews its session while it runs',
  }
}
