import { describe, it } from 'vitest'
import { z } from 'zod'
import { antigravityTokenOf } from '../../src/providers/antigravity/login.js'
import { codexClaimsOf, identityTokensOf } from '../../src/providers/codex/identity.js'
import { activeAccountOf, geminiClaimsOf, idTokenOf } from '../../src/providers/gemini/identity.js'
import { kimiLoginOf } from '../../src/providers/kimi/login.js'
import { agrees, rows } from '../helpers/agrees.js'

/**
 * The login files discovery reads (their identity) are checked by hand, so Claude Code's
 * status-line hook loads no zod without a config; these are the zod schemas they had, the rule.
 */

const kimiSchema = z.object({ access_token: z.string().min(1), expires_at: z.number().nullish() })
const kimi: unknown[] = [
  { access_token: 'kimi-token', expires_at: 1_800_000_000, refresh_token: 'r' },
  { access_token: 'kimi-token' },
  { access_token: 'kimi-token', expires_at: null },
  { access_token: '' },
  { access_token: 7 },
  { access_token: 'kimi-token', expires_at: '1800000000' },
  { expires_at: 1 },
  [{ access_token: 'kimi-token' }],
  null,
  'kimi-token',
]

const antigravitySchema = z.object({
  token: z.object({
    access_token: z.string().min(1),
    refresh_token: z.string().nullish(),
    expiry: z.union([z.string(), z.number()]).nullish(),
  }),
})
const token = { access_token: 'ya29.a', refresh_token: '1//r', expiry: '2026-11-22T11:00:00Z' }
const antigravity: unknown[] = [
  { token },
  { token: { ...token, expiry: 1_795_000_000 }, other: true },
  { token: { access_token: 'ya29.a' } },
  { token: { ...token, refresh_token: null, expiry: null } },
  { token: { ...token, access_token: '' } },
  { token: { ...token, access_token: null } },
  { token: { ...token, refresh_token: 5 } },
  { token: { ...token, expiry: true } },
  { token: { ...token, expiry: ['2026'] } },
  { token: null },
  { token: [token] },
  { token: 'ya29.a' },
  {},
  token,
  null,
]

const codexClaimsSchema = z.object({
  exp: z.number().nullish().catch(null),
  email: z.string().nullish().catch(null),
  'https://api.openai.com/profile': z.object({ email: z.string().nullish() }).nullish().catch(null),
  // Four optional strings: chatgpt_account_id, chatgpt_plan_type, chatgpt_user_id, user_id.
  'https://api.openai.com/auth': z
    .object(Object.fromEntries(Object.keys(authClaim()).map((k) => [k, z.string().nullish()])))
    .nullish()
    .catch(null),
})
function authClaim() {
  return { chatgpt_account_id: 'acct', chatgpt_plan_type: 'plus', chatgpt_user_id: 'user', user_id: 'u' }
}
const auth = authClaim()
const codexClaims: unknown[] = [
  { exp: 1_795_000_000, email: 'me@example.org', 'https://api.openai.com/auth': auth },
  { 'https://api.openai.com/profile': { email: 'me@example.org', verified: true }, other: [1] },
  { exp: '1795000000', email: 42 },
  { exp: null, email: null, 'https://api.openai.com/profile': null, 'https://api.openai.com/auth': null },
  { 'https://api.openai.com/profile': { email: 7 } },
  { 'https://api.openai.com/profile': 'me@example.org' },
  { 'https://api.openai.com/auth': { ...auth, chatgpt_user_id: 9 } },
  { 'https://api.openai.com/auth': { chatgpt_account_id: 'acct' } },
  { 'https://api.openai.com/auth': [auth] },
  {},
  [auth],
  'claims',
  null,
]

const codexIdentitySchema = z.object({
  tokens: z
    .object({
      id_token: z.string().nullish().catch(null),
      access_token: z.string().nullish().catch(null),
      account_id: z.string().nullish().catch(null),
    })
    .nullish()
    .catch(null),
})
const codexAuth: unknown[] = [
  { tokens: { id_token: 'a.b.c', access_token: 'x', account_id: 'acct', refresh_token: 'r' } },
  { tokens: { account_id: 'acct' }, OPENAI_API_KEY: null },
  { tokens: { id_token: 5, access_token: null, account_id: ['acct'] } },
  { tokens: null },
  { tokens: 'a.b.c' },
  { tokens: [{ account_id: 'acct' }] },
  { OPENAI_API_KEY: 'sk-x' },
  [],
  null,
]

const geminiClaimsSchema = z.object({
  sub: z.string().nullish(),
  email: z.string().nullish(),
  hd: z.string().nullish(),
})
const geminiClaims: unknown[] = [
  { sub: '1234', email: 'me@gmail.com', hd: 'example.org', iss: 'accounts.google.com' },
  { sub: '1234' },
  { sub: null, email: null, hd: null },
  { sub: 1234 },
  { email: ['me@gmail.com'] },
  { hd: true },
  [],
  null,
]
const accountsSchema = z.object({ active: z.string().nullish() })
const geminiAccounts: unknown[] = [
  { active: 'me@gmail.com', old: ['x@gmail.com'] },
  { active: null },
  {},
  { active: 5 },
  [],
  'me@gmail.com',
  null,
]
const idTokenSchema = z.object({ id_token: z.string().nullish() })
const geminiCreds: unknown[] = [
  { id_token: 'a.b.c', access_token: 'ya29', refresh_token: '1//r' },
  { id_token: null },
  { access_token: 'ya29' },
  { id_token: 5 },
  [{ id_token: 'a.b.c' }],
  null,
]

describe('login files, checked by hand as the zod schemas did', () => {
  it.each(rows(codexClaims))('codex claims %s', (_, json) =>
    agrees(codexClaimsSchema, (d) => d, codexClaimsOf, json),
  )
  it.each(rows(codexAuth))('codex auth.json %s', (_, json) =>
    agrees(codexIdentitySchema, (d) => d.tokens, identityTokensOf, json),
  )
  it.each(rows(geminiClaims))('gemini claims %s', (_, json) =>
    agrees(geminiClaimsSchema, (d) => d, geminiClaimsOf, json),
  )
  it.each(rows(geminiAccounts))('gemini google_accounts.json %s', (_, json) =>
    agrees(accountsSchema, (d) => d.active, activeAccountOf, json),
  )
  it.each(rows(geminiCreds))('gemini oauth_creds.json %s', (_, json) =>
    agrees(idTokenSchema, (d) => d.id_token, idTokenOf, json),
  )
  it.each(rows(kimi))('kimi %s', (_, json) => agrees(kimiSchema, (d) => d, kimiLoginOf, json))
  it.each(rows(antigravity))('antigravity %s', (_, json) =>
    agrees(antigravitySchema, (d) => d.token, antigravityTokenOf, json),
  )
})
