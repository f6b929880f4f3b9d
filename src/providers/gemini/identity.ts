import { join } from 'node:path'
import { isRec, nullish, str } from '../../hand-check.js'
import { jwtClaims, readJsonFile } from '../login-files.js'
import type { LoginIdentity } from '../types.js'

/**
 * Who is logged in to a Gemini CLI home, checked by hand: discovery asks on every redraw of
 * Claude Code's status-line hook without a config, which loads no zod
 * (test/providers/login-checks.test.ts holds these to the schemas they replaced).
 */

export interface GeminiClaims {
  sub?: string | null
  email?: string | null
  /** The Workspace domain. */
  hd?: string | null
}

export function geminiClaimsOf(json: unknown): GeminiClaims | null {
  if (!isRec(json)) return null
  const { sub, email, hd } = json
  return nullish(sub, str) && nullish(email, str) && nullish(hd, str) ? { sub, email, hd } : null
}

/** The id_token's claims: identity only, never trusted for access. */
export const idTokenClaims = (token: string | null | undefined): GeminiClaims =>
  jwtClaims(token, geminiClaimsOf) ?? {}

/** A parsed file's string field `key`, else null (absent, null, another type, not an object). */
const stringAt = (json: unknown, key: string): string | null => {
  const v = isRec(json) ? json[key] : undefined
  return str(v) ? v : null
}

/** `google_accounts.json`'s `active` account, when the file is one. */
export const activeAccountOf = (json: unknown) => stringAt(json, 'active')

/** `id_token` of a parsed `oauth_creds.json`, when the file is one. */
export const idTokenOf = (json: unknown) => stringAt(json, 'id_token')

/** `google_accounts.json` (`active`), else the id_token in `oauth_creds.json`. */
export function geminiIdentity(dir: string): LoginIdentity | null {
  const active = activeAccountOf(readJsonFile(join(dir, 'google_accounts.json')))
  if (active) return { key: active.toLowerCase(), email: active }
  const claims = idTokenClaims(idTokenOf(readJsonFile(join(dir, 'oauth_creds.json'))))
  const key = claims.email?.toLowerCase() ?? claims.sub
  return key ? { key, email: claims.email ?? null } : null
}
