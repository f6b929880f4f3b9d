import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseAccount } from '../../src/providers/fields.js'
import { describe, expect, it } from 'vitest'
import { minimaxAdapter, minimaxRequest } from '../../src/providers/minimax/adapter.js'
import { minimaxDescriptor as untypedDescriptor } from '../../src/providers/minimax/descriptor.js'
import type { ProviderDescriptor } from '../../src/providers/types.js'
import { keyProviderHarness } from '../helpers/key-provider.js'
import type { Reply } from '../helpers/server.js'

const descriptor: ProviderDescriptor = untypedDescriptor
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/minimax', name), 'utf8'))
const NOW = new Date('2026-11-25T10:00:00Z')
const CODING = '/v1/api/openplatform/coding_plan/remains'
const TOKEN = '/v1/token_plan/remains'
const SECRET = 'sk-cp-test-00112233445566778899'

const harness = keyProviderHarness({
  adapter: minimaxAdapter,
  provider: 'minimax',
  refreshSeconds: 300,
  keyEnv: 'MINIMAX_API_KEY',
  secret: SECRET,
  path: CODING,
  now: NOW,
})
const { account, fetchUsage, failure } = harness
const snapshotFor = async (reply: Reply) => (await harness.snapshotFor(reply)).snapshot
const plainAccount = { provider: 'minimax', id: 'm', key: 'minimax/m', label: 'm', refreshSeconds: 300 }

describe('minimax remains', () => {
  it('token plan: 100 − remaining percent, even with counts of 0; points as a count balance', async () => {
    harness.server().on(TOKEN, { body: fixture('token_plan_remains.json') })
    const r = await fetchUsage(account({ plan: 'token' }))
    if (!r.ok) throw new Error(r.error.message)
    expect(r.snapshot.windows).toEqual([
      {
        id: 'session',
        label: '5h',
        usedPercent: 4,
        resetsAt: '2026-11-25T13:00:00.000Z',
        windowSeconds: 18000,
      },
      {
        id: 'weekly',
        label: '7d',
        usedPercent: 1,
        resetsAt: '2026-11-30T00:00:00.000Z',
        windowSeconds: 604800,
      },
    ])
    expect(r.snapshot.plan).toBe('Token Plan Plus')
    expect(r.snapshot.balances).toEqual([
      { id: 'points', label: 'Points', amount: 14000, currency: 'points' },
    ])
    expect(harness.server().requests.some((x) => x.path === TOKEN)).toBe(true)
  })

  it('the percent is the authority: usage counts that would say otherwise are ignored', async () => {
    // 900 of 1000 "used" would be 90 % if the count were the used one; the percent says 10 % used.
    const s = await snapshotFor({ body: fixture('coding_plan_remains.two_models_percent.json') })
    expect(s.windows).toEqual([
      {
        id: 'session:minimax-m2-7',
        label: 'MiniMax-M2.7 5h',
        usedPercent: 10,
        resetsAt: '2026-11-25T13:00:00.000Z',
        windowSeconds: 18000,
      },
      {
        id: 'weekly:minimax-m2-7',
        label: 'MiniMax-M2.7 7d',
        usedPercent: 10,
        resetsAt: '2026-11-30T00:00:00.000Z',
        windowSeconds: 604800,
      },
      {
        id: 'session:speech-2-6',
        label: 'speech-2.6 5h',
        usedPercent: 75,
        resetsAt: '2026-11-25T14:00:00.000Z',
        windowSeconds: 18000,
      },
    ])
    expect(s.plan).toBe('Coding Plan Max')
    expect(s.balances).toEqual([])
  })

  it('counts only (older coding plan, list at the top level): the count is what remains', async () => {
    const s = await snapshotFor({ body: fixture('coding_plan_remains.counts_only.json') })
    expect(s.windows).toEqual([
      {
        id: 'session',
        label: '5h',
        usedPercent: ((1500 - 1245) / 1500) * 100,
        resetsAt: '2026-11-25T12:00:00.000Z',
        windowSeconds: 18000,
      },
    ])
  })

  it('an interval that is not about 5 hours is not shown as the 5-hour window; no totals, no window', async () => {
    const body = fixture('coding_plan_remains.counts_only.json')
    body.model_remains[0].start_time = Date.parse('2026-11-24T12:00:00Z')
    body.model_remains.push({
      model_name: 'x',
      current_interval_total_count: 0,
      current_interval_usage_count: 0,
    })
    expect((await snapshotFor({ body })).windows).toEqual([])
  })

  it('base_resp 1004 is an auth error naming the plan key; other codes an http error with the message', async () => {
    const auth = await failure({ body: fixture('error_1004_auth.json') })
    expect(auth.error.kind).toBe('auth')
    expect(auth.error.message).toContain('code 1004: login fail')
    expect(auth.error.fix).toContain('sk-cp-')
    const other = await failure({ body: { base_resp: { status_code: 2013, status_msg: 'invalid params' } } })
    expect(other.error).toMatchObject({
      kind: 'http',
      message: 'MiniMax reported an error (code 2013: invalid params)',
    })
  })

  it('HTTP 401 and 429 through the shared key advice', async () => {
    expect((await failure({ status: 401, body: {} })).error.kind).toBe('auth')
    const limited = await failure({ status: 429, body: {}, headers: { 'retry-after': '300' } })
    expect(limited.retryAfterSeconds).toBe(300)
  })

  it('a percent that is not a number is a schema error naming the field', async () => {
    const body = fixture('token_plan_remains.json')
    body.data.model_remains[0].current_weekly_remaining_percent = 'most'
    const r = await failure({ body })
    expect(r.error.kind).toBe('schema')
    expect(r.error.message).toContain('data.model_remains[0].current_weekly_remaining_percent')
  })

  it('region cn and plan token pick the host and the path; a bad plan is a config error', () => {
    expect(minimaxRequest(plainAccount)).toEqual({
      url: 'https://api.minimax.io/v1/api/openplatform/coding_plan/remains',
    })
    expect(minimaxRequest({ ...plainAccount, region: 'cn', plan: 'token' })).toEqual({
      url: 'https://api.minimaxi.com/v1/token_plan/remains',
    })
    // Read once, as the config loader reads it: the bad plan is the account's config error.
    expect(parseAccount({ ...plainAccount, plan: 'free' })).toMatchObject({ invalid: { kind: 'config' } })
  })
})

describe('minimax descriptor', () => {
  it('MINIMAX_API_KEY and suffixed keys are accounts; floor 120 s', () => {
    expect(descriptor.defaultAccounts({ MINIMAX_API_KEY_CN: 'k' }, '/h', () => false)).toEqual([
      { provider: 'minimax', id: 'cn', apiKeyEnv: 'MINIMAX_API_KEY_CN' },
    ])
    expect(descriptor.minRefreshSeconds).toBe(120)
  })
})

describe('minimax secrets', () => {
  it('never shows the key in any form, even when the server echoes it', () => harness.expectNoEchoedSecret())
})
