import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseAccount } from '../../src/providers/fields.js'
import { describe, expect, it } from 'vitest'
import { ZAI_QUOTA_URL, zaiAdapter, zaiRequest } from '../../src/providers/zai/adapter.js'
import { zaiDescriptor as untypedDescriptor } from '../../src/providers/zai/descriptor.js'
import type { ProviderDescriptor } from '../../src/providers/types.js'
import { keyProviderHarness } from '../helpers/key-provider.js'
import type { Reply } from '../helpers/server.js'

const descriptor: ProviderDescriptor = untypedDescriptor
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/zai', name), 'utf8'))
const NOW = new Date('2026-11-25T10:00:00Z')
const QUOTA = '/api/monitor/usage/quota/limit'
const SECRET = 'zai-test-key.0011223344556677'

const harness = keyProviderHarness({
  adapter: zaiAdapter,
  provider: 'zai',
  refreshSeconds: 300,
  keyEnv: 'ZAI_API_KEY',
  secret: SECRET,
  path: QUOTA,
  now: NOW,
})
const { account, fetchUsage, failure } = harness
const snapshotFor = async (reply: Reply) => (await harness.snapshotFor(reply)).snapshot

describe('zai quota limits', () => {
  it('token limits are the 5-hour and weekly windows; the monthly tool-call limit its own scope', async () => {
    const s = await snapshotFor({ body: fixture('quota_limit.tokens_time.json') })
    expect(s.windows).toEqual([
      {
        id: 'monthly:tools',
        label: 'Tools month',
        usedPercent: 4,
        resetsAt: '2026-12-21T11:09:43.998Z',
        windowSeconds: null,
      },
      {
        id: 'session',
        label: '5h',
        usedPercent: 25,
        resetsAt: '2026-11-25T13:15:00.000Z',
        windowSeconds: 18000,
      },
      {
        id: 'weekly',
        label: '7d',
        usedPercent: 9,
        resetsAt: '2026-12-01T00:00:00.000Z',
        windowSeconds: 604800,
      },
    ])
    expect(s).toMatchObject({ plan: 'GLM Coding Lite', email: null, spend: [], balances: [] })
    const req = harness.server().requests.find((r) => r.path === QUOTA)
    expect(req?.headers.authorization).toBe(`Bearer ${SECRET}`)
    expect(req?.headers['bigmodel-organization']).toBeUndefined()
  })

  it('credit limits (2026-09 plans) take the same ids; percentage is the authority', async () => {
    const s = await snapshotFor({ body: fixture('quota_limit.credit_limit.json') })
    expect(s.windows).toEqual([
      {
        id: 'session',
        label: '5h',
        usedPercent: 3,
        resetsAt: '2026-11-25T12:57:34.621Z',
        windowSeconds: 18000,
      },
      {
        id: 'weekly',
        label: '7d',
        usedPercent: 2,
        resetsAt: '2026-11-30T07:40:46.980Z',
        windowSeconds: 604800,
      },
    ])
    expect(s.plan).toBe('GLM Coding Pro')
  })

  it('without percentage, used share = currentValue / usage; a limit with neither is absent', async () => {
    const s = await snapshotFor({
      body: {
        code: 200,
        data: {
          planName: 'GLM Coding Max',
          limits: [
            { type: 'TIME_LIMIT', unit: 5, number: 1, usage: 4000, currentValue: 1000 },
            { type: 'TOKENS_LIMIT', unit: 3, number: 5 },
            { type: 'TOKENS_LIMIT', unit: 3, number: 1, percentage: 50 },
          ],
        },
      },
    })
    expect(s.windows).toEqual([
      { id: 'monthly:tools', label: 'Tools month', usedPercent: 25, resetsAt: null, windowSeconds: null },
    ])
    expect(s.plan).toBe('GLM Coding Max')
  })

  it('a team key without selectors (data: {}) is a clear config error naming the fields', async () => {
    const r = await failure({ body: fixture('quota_limit.team_missing_selectors.json') })
    expect(r.error.kind).toBe('config')
    expect(r.error.message).toBe('z.ai reported no limits for this key')
    expect(r.error.fix).toContain('"organization" and "project"')
    expect(r.fingerprint).toMatch(/^[0-9a-f]{12}$/)
  })

  it('a team account sends both selectors and type=2', async () => {
    let query = ''
    harness.server().on(QUOTA, (req) => {
      query = new URL(req.url ?? '/', 'http://x').search
      return { body: fixture('quota_limit.credit_limit.json') }
    })
    const r = await fetchUsage(account({ id: 'team', organization: 'org-7f3a', project: 'proj_12' }), {
      ZAI_API_KEY_TEAM: SECRET,
    })
    expect(r.ok).toBe(true)
    expect(query).toBe('?type=2')
    const req = harness.server().requests.find((x) => x.path === QUOTA)
    expect(req?.headers['bigmodel-organization']).toBe('org-7f3a')
    expect(req?.headers['bigmodel-project']).toBe('proj_12')
  })

  it('selectors that match nothing: the error says to check them', async () => {
    harness.server().on(QUOTA, { body: { code: 200, success: true, data: { limits: [] } } })
    const r = await fetchUsage(account({ organization: 'org-7f3a', project: 'proj_12' }))
    expect(r.ok).toBe(false)
    if (!r.ok)
      expect(r.error).toMatchObject({
        kind: 'config',
        message: 'z.ai reported no limits for this organization and project',
      })
  })

  it('one selector without the other is a config error before any request', async () => {
    const before = harness.server().requests.length
    const r = await fetchUsage(account({ organization: 'org-7f3a' }))
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.kind).toBe('config')
      expect(r.error.message).toContain(
        'organization: a team account needs both "organization" and "project"',
      )
    }
    expect(harness.server().requests.length).toBe(before)
  })

  it('region cn: the same path on open.bigmodel.cn; a baseUrl still replaces the origin', () => {
    const a = { provider: 'zai', id: 'cn', key: 'zai/cn', label: 'cn', refreshSeconds: 300 }
    expect(zaiRequest({ ...a, region: 'cn' })).toEqual({
      url: 'https://open.bigmodel.cn/api/monitor/usage/quota/limit',
    })
    expect(zaiRequest({ ...a, region: 'global' })).toEqual({ url: ZAI_QUOTA_URL })
    // Read once, as the config loader reads it: the bad region is the account's config error.
    expect(parseAccount({ ...a, region: 'eu' })).toMatchObject({ invalid: { kind: 'config' } })
  })

  it('an error in the 200 envelope (code ≠ 200, success false) is an error with the message', async () => {
    const r = await failure({ body: fixture('quota_limit.error_envelope.json') })
    expect(r.error).toMatchObject({
      kind: 'http',
      message: 'z.ai reported an error (code 1001: Authorization token is invalid)',
    })
  })

  it('401 names where the key came from; 429 keeps Retry-After', async () => {
    const auth = await failure({ status: 401, body: { code: 401, msg: 'token expired' } })
    expect(auth.error.kind).toBe('auth')
    expect(auth.error.fix).toContain('$ZAI_API_KEY')
    const limited = await failure({ status: 429, body: {}, headers: { 'retry-after': '120' } })
    expect(limited.error.kind).toBe('rate-limited')
    expect(limited.retryAfterSeconds).toBe(120)
  })

  it('a reset time that is not a number is a schema error naming the field', async () => {
    const body = fixture('quota_limit.credit_limit.json')
    body.data.limits[0].nextResetTime = 'tomorrow'
    const r = await failure({ body })
    expect(r.error.kind).toBe('schema')
    expect(r.error.message).toContain('data.limits[0].nextResetTime')
  })

  it('no key anywhere: a credentials error, no request', async () => {
    const before = harness.server().requests.length
    const r = await fetchUsage(account(), {})
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.kind).toBe('credentials')
    expect(harness.server().requests.length).toBe(before)
  })
})

describe('zai descriptor', () => {
  it('finds ZAI_API_KEY and suffixed keys; floor 120 s', () => {
    expect(
      descriptor.defaultAccounts({ ZAI_API_KEY: 'a', ZAI_API_KEY_TEAM: 'b' }, '/h', () => false),
    ).toEqual([
      { provider: 'zai', id: 'default', apiKeyEnv: 'ZAI_API_KEY' },
      { provider: 'zai', id: 'team', apiKeyEnv: 'ZAI_API_KEY_TEAM' },
    ])
    expect(descriptor).toMatchObject({
      id: 'zai',
      name: 'z.ai',
      minRefreshSeconds: 120,
      defaultRefreshSeconds: 300,
    })
  })
})

describe('zai secrets', () => {
  it('never shows the key in any form, even when the server echoes it', () => harness.expectNoEchoedSecret())
})
