import { fetchAccount } from '../../src/providers/result.js'
import { describe, expect, it } from 'vitest'
import { parseConfigText } from '../../src/config/load.js'
import { configSchema } from '../../src/config/schema.js'
import { accountFields } from '../../src/providers/fields.js'
import { adapterLoaders } from '../../src/providers/load-adapter.js'
import { offlineAccount, offlineCtx } from '../helpers/offline.js'

/**
 * An account's own fields have one rule, in its provider's fields.ts: the config schema is built
 * from it, and each account is read through the same object once (parseAccount, which
 * offlineAccount calls as the config loader does). So whatever the config refuses, the account's
 * fetch refuses with the same words, before any request (baseUrl goes nowhere).
 */
const ctx = offlineCtx()
const account = offlineAccount
type Provider = keyof typeof adapterLoaders

const adapterError = async (provider: Provider, extra: Record<string, unknown>) => {
  const r = await fetchAccount(await adapterLoaders[provider](), account(provider, extra), ctx)
  if (r.ok) throw new Error('expected a failure')
  return r.error
}

describe('one rule per field: the config and the adapter say the same', () => {
  it.each<[Provider, Record<string, unknown>, string]>([
    ['openai', { projectId: 'proj_1&limit=1' }, 'projectId: an id such as "proj_abc123"'],
    ['anthropic', { workspaceId: 'a b' }, 'workspaceId: an id such as "wrkspc_01Jw…"'],
    ['anthropic', { apiKeyId: '../x' }, 'apiKeyId: an id such as "apikey_01Rj…"'],
    ['zai', { organization: 'org 7f3a', project: 'p1' }, 'organization: an id from the z.ai team console'],
    ['minimax', { plan: 'pro' }, 'plan:'],
    ['gemini', { project: '   ' }, 'project:'],
    ['copilot-org', { org: '-acme' }, 'org: a GitHub organisation login'],
  ])('%s %j', async (provider, extra, words) => {
    const config = configSchema.safeParse({ accounts: [{ provider, id: 'x', ...extra }] })
    expect(config.success).toBe(false)
    const field = Object.keys(extra).find((k) => words.startsWith(`${k}:`)) ?? ''
    const issue = config.error?.issues.find((i) => i.path.at(-1) === field)
    expect(`${field}: ${issue?.message}`).toContain(words)
    const error = await adapterError(provider, extra)
    expect([error.kind, error.fix]).toEqual(['config', 'fix this account in config.json'])
    expect(error.message).toContain(`account ${provider}/x: ${words}`)
    expect(error.message).toContain(issue?.message)
  })

  it.each<[Provider, Record<string, unknown>, string]>([
    // A field two providers share: the config checks its shared rule, the provider's object the rest.
    ['zai', { organization: 'org-7f3a' }, 'organization: a team account needs both'],
    ['zai', { organization: 'org-7f3a', project: 'my:project' }, 'project: an id from the z.ai team console'],
    ['copilot-org', {}, 'org: copilot-org accounts need "org"'],
    ['claude-web', { org: 'my-org' }, 'org: an organisation uuid'],
  ])('%s %j: the provider object’s own rule, kept as the account’s error', async (provider, extra, words) => {
    expect(accountFields[provider].safeParse(extra).success).toBe(false)
    const error = await adapterError(provider, extra)
    expect(error.kind).toBe('config')
    expect(error.message.startsWith(`account ${provider}/x: ${words}`)).toBe(true)
  })

  it('the typed fields reach the adapter as the config parsed them (a project is trimmed once)', () => {
    const parsed = configSchema.parse({ accounts: [{ provider: 'gemini', id: 'x', project: ' my-proj ' }] })
    expect((parsed.accounts[0] as Record<string, unknown> | undefined)?.project).toBe('my-proj')
    expect(accountFields.gemini.parse({ project: ' my-proj ' })).toEqual({ project: 'my-proj' })
  })

  it('a field’s default is its provider’s, applied when the account is read, and nobody else’s', () => {
    const r = parseConfigText(
      JSON.stringify({
        accounts: [
          { provider: 'command', id: 'c', command: ['/bin/true'] },
          { provider: 'command', id: 'slow', command: ['/bin/true'], timeoutSeconds: 60 },
          { provider: 'claude', id: 'w' },
        ],
      }),
      'config.json',
    )
    if (!r.ok) throw new Error(r.error.message)
    expect(r.settings.accounts.map((a) => a.timeoutSeconds)).toEqual([10, 60, undefined])
    // The config file's schema keeps the field optional: the default is not the file's.
    const raw = configSchema.parse({ accounts: [{ provider: 'command', id: 'c' }] }).accounts[0]
    expect(raw && 'timeoutSeconds' in raw).toBe(false)
  })
})
