import { describe, it } from 'vitest'
import { z } from 'zod'
import { claudeAccountOf, claudeOauthOf } from '../../src/providers/claude/credentials.js'
import { agrees, rows } from '../helpers/agrees.js'

/**
 * The Claude login files are checked by hand (the status-line hook loads no zod); these are the
 * zod schemas the reader had, kept as the rule: every input gives the same answer.
 */
const credentialsSchema = z.object({
  claudeAiOauth: z
    .object({
      accessToken: z.string().min(1),
      expiresAt: z.number().nullish(),
      scopes: z.array(z.string()).nullish(),
      subscriptionType: z.string().nullish(),
      rateLimitTier: z.string().nullish(),
    })
    .nullish(),
})
const identitySchema = z.object({
  oauthAccount: z.object({ accountUuid: z.string().nullish(), emailAddress: z.string().nullish() }).nullish(),
})

const good = {
  accessToken: 'sk-ant-oat01-x',
  expiresAt: 1,
  scopes: ['user:profile'],
  subscriptionType: 'max',
}
const credentials: unknown[] = [
  { claudeAiOauth: good },
  { claudeAiOauth: { accessToken: 't' } },
  { claudeAiOauth: { ...good, expiresAt: null, scopes: null, subscriptionType: null, rateLimitTier: null } },
  { claudeAiOauth: { ...good, rateLimitTier: 'default_claude_max_20x', extra: { any: 1 } }, mcpOAuth: {} },
  { claudeAiOauth: { ...good, scopes: [] } },
  { claudeAiOauth: { ...good, accessToken: '' } },
  { claudeAiOauth: { ...good, accessToken: 42 } },
  { claudeAiOauth: { ...good, accessToken: null } },
  { claudeAiOauth: { expiresAt: 1 } },
  { claudeAiOauth: { ...good, expiresAt: '1700000000000' } },
  { claudeAiOauth: { ...good, expiresAt: true } },
  { claudeAiOauth: { ...good, scopes: 'user:profile' } },
  { claudeAiOauth: { ...good, scopes: ['user:profile', 7] } },
  { claudeAiOauth: { ...good, scopes: [null] } },
  { claudeAiOauth: { ...good, subscriptionType: 5 } },
  { claudeAiOauth: { ...good, rateLimitTier: {} } },
  { claudeAiOauth: null },
  { claudeAiOauth: [] },
  { claudeAiOauth: [good] },
  { claudeAiOauth: 'token' },
  {},
  [],
  [{ claudeAiOauth: good }],
  null,
  'text',
  7,
]

const accounts: unknown[] = [
  { oauthAccount: { accountUuid: 'u-1', emailAddress: 'a@b.example' } },
  { oauthAccount: { accountUuid: 'u-1' }, other: 1 },
  { oauthAccount: { emailAddress: 'a@b.example', organizationUuid: 'o' } },
  { oauthAccount: { accountUuid: null, emailAddress: null } },
  { oauthAccount: {} },
  { oauthAccount: { accountUuid: 42 } },
  { oauthAccount: { accountUuid: 'u-1', emailAddress: ['a@b.example'] } },
  { oauthAccount: null },
  { oauthAccount: 'u-1' },
  { oauthAccount: [] },
  {},
  [],
  null,
  true,
]

describe('the Claude login files, checked by hand as the zod schema did', () => {
  it.each(rows(credentials))('credentials %s', (_, json) =>
    agrees(credentialsSchema, (d) => d.claudeAiOauth, claudeOauthOf, json),
  )

  it.each(rows(accounts))('.claude.json %s', (_, json) =>
    agrees(identitySchema, (d) => d.oauthAccount, claudeAccountOf, json),
  )
})
