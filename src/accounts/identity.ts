import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { claudeIdentityFiles } from '../providers/claude/descriptor.js'
import { decodeClaims } from '../providers/codex/credentials.js'
import { jwtClaims } from '../providers/gemini/credentials.js'

/**
 * Who is logged in to a provider's config dir, from its own files (read-only, zod-parsed): two
 * dirs with the same identity are one account, copied or symlinked. Only ids and emails are read;
 * tokens are decoded for their public claims at most, never kept.
 */
export interface LoginIdentity {
  /** Stable within a provider: Claude's accountUuid, Codex's account/user ids, the Google account. */
  key: string
  email: string | null
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

const claudeSchema = z.object({
  oauthAccount: z
    .object({ accountUuid: z.string().nullish(), emailAddress: z.string().nullish() })
    .nullish()
    .catch(null),
})

/** `oauthAccount` in `.claude.json` (`~/.claude.json` for the standard `~/.claude`). */
export function claudeIdentity(dir: string, home: string): LoginIdentity | null {
  for (const file of claudeIdentityFiles(dir, home)) {
    const parsed = claudeSchema.safeParse(readJson(file))
    const acct = parsed.success ? parsed.data.oauthAccount : null
    const key = acct?.accountUuid || acct?.emailAddress?.toLowerCase()
    if (key) return { key, email: acct?.emailAddress ?? null }
  }
  return null
}

const codexSchema = z.object({
  tokens: z
    .object({
      id_token: z.string().nullish().catch(null),
      access_token: z.string().nullish().catch(null),
      account_id: z.string().nullish().catch(null),
    })
    .nullish()
    .catch(null),
})

/** `auth.json`: the ChatGPT account (tokens.account_id or the id_token's claim) and user. */
export function codexIdentity(dir: string): LoginIdentity | null {
  const parsed = codexSchema.safeParse(readJson(join(dir, 'auth.json')))
  const tokens = parsed.success ? parsed.data.tokens : null
  if (!tokens) return null
  const id = decodeClaims(tokens.id_token)
  const access = decodeClaims(tokens.access_token)
  const auth = id?.['https://api.openai.com/auth'] ?? access?.['https://api.openai.com/auth']
  const account = tokens.account_id ?? auth?.chatgpt_account_id ?? null
  // A workspace account is shared by its members; the user id tells two of them apart.
  const user = auth?.chatgpt_user_id ?? auth?.user_id ?? null
  const email = id?.email ?? id?.['https://api.openai.com/profile']?.email ?? null
  if (!account && !user) return null
  return { key: `${account ?? ''}/${user ?? ''}`, email }
}

const googleAccountsSchema = z.object({ active: z.string().nullish() })
const geminiCredsSchema = z.object({ id_token: z.string().nullish() })

/** `google_accounts.json` (`active`), else the id_token in `oauth_creds.json`. */
export function geminiIdentity(dir: string): LoginIdentity | null {
  const accounts = googleAccountsSchema.safeParse(readJson(join(dir, 'google_accounts.json')))
  const active = accounts.success ? accounts.data.active : null
  if (active) return { key: active.toLowerCase(), email: active }
  const creds = geminiCredsSchema.safeParse(readJson(join(dir, 'oauth_creds.json')))
  const claims = jwtClaims(creds.success ? creds.data.id_token : null)
  const key = claims.email?.toLowerCase() ?? claims.sub
  return key ? { key, email: claims.email ?? null } : null
}
