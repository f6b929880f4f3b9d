import { join } from 'node:path'
import { isRec, nullish, num, orNull, str } from '../../hand-check.js'
import { jwtClaims, readJsonFile } from '../login-files.js'
import type { LoginIdentity } from '../types.js'

/**
 * Who is logged in to a Codex home, from `auth.json` and its tokens' claims, checked by hand:
 * discovery asks on every redraw of Claude Code's status-line hook without a config, which loads
 * no zod (test/providers/login-checks.test.ts holds these to the schemas they replaced). Identity
 * fields are optional: a drifted id_token must not cost the user their numbers, so a field of the
 * wrong type reads as null rather than failing the token.
 */

const AUTH = 'https://api.openai.com/auth'
export const PROFILE = 'https://api.openai.com/profile'

export interface ChatGptAuth {
  chatgpt_account_id?: string | null
  chatgpt_plan_type?: string | null
  chatgpt_user_id?: string | null
  user_id?: string | null
}

export interface Claims {
  exp?: number | null
  email?: string | null
  [PROFILE]?: { email?: string | null } | null
  [AUTH]?: ChatGptAuth | null
}

const isProfile = (v: unknown): v is { email?: string | null } => isRec(v) && nullish(v.email, str)

const isAuth = (v: unknown): v is ChatGptAuth =>
  isRec(v) &&
  nullish(v.chatgpt_account_id, str) &&
  nullish(v.chatgpt_plan_type, str) &&
  nullish(v.chatgpt_user_id, str) &&
  nullish(v.user_id, str)

export function codexClaimsOf(json: unknown): Claims | null {
  if (!isRec(json)) return null
  const profile = orNull(json[PROFILE], isProfile)
  const auth = orNull(json[AUTH], isAuth)
  return {
    exp: orNull(json.exp, num),
    email: orNull(json.email, str),
    [PROFILE]: profile && { email: profile.email },
    [AUTH]: auth && {
      chatgpt_account_id: auth.chatgpt_account_id,
      chatgpt_plan_type: auth.chatgpt_plan_type,
      chatgpt_user_id: auth.chatgpt_user_id,
      user_id: auth.user_id,
    },
  }
}

/** The token's claims (src/providers/login-files.ts); null when it is not a JWT. */
export const decodeClaims = (jwt: string | null | undefined): Claims | null => jwtClaims(jwt, codexClaimsOf)

/** `tokens` of a parsed `auth.json` as identity reads it: null when absent or not an object. */
export function identityTokensOf(
  json: unknown,
): { id_token?: string | null; access_token?: string | null; account_id?: string | null } | null {
  const tokens = isRec(json) ? json.tokens : undefined
  if (!isRec(tokens)) return null
  return {
    id_token: orNull(tokens.id_token, str),
    access_token: orNull(tokens.access_token, str),
    account_id: orNull(tokens.account_id, str),
  }
}

/**
 * The ChatGPT account (the stored account id, else the token's claim) and user the claims name,
 * and `account/user` as the key: a workspace account is shared by its members, the user id tells
 * two of them apart. The key is null when neither is known. The email: the id_token's, else its
 * profile's, else the access token's profile's.
 */
export function claimsAccount(
  id: Claims | null,
  access: Claims | null,
  accountId: string | null | undefined,
) {
  const auth = id?.[AUTH] ?? access?.[AUTH]
  const account = accountId ?? auth?.chatgpt_account_id ?? null
  const user = auth?.chatgpt_user_id ?? auth?.user_id ?? null
  const email = id?.email ?? id?.[PROFILE]?.email ?? access?.[PROFILE]?.email ?? null
  return { auth, account, email, key: account || user ? `${account ?? ''}/${user ?? ''}` : null }
}

/** `auth.json`: the ChatGPT account (tokens.account_id or the id_token's claim) and user. */
export function codexIdentity(dir: string): LoginIdentity | null {
  const tokens = identityTokensOf(readJsonFile(join(dir, 'auth.json')))
  if (!tokens) return null
  const { key, email } = claimsAccount(
    decodeClaims(tokens.id_token),
    decodeClaims(tokens.access_token),
    tokens.account_id,
  )
  return key === null ? null : { key, email }
}
