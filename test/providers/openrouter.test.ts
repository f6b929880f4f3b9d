import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openrouterAdapter } from '../../src/providers/openrouter/adapter.js'
import { accountsFromEnv, fallbackKeyEnv } from '../../src/providers/env-keys.js'
import { openrouterDescriptor as untypedDescriptor } from '../../src/providers/openrouter/descriptor.js'
import { nextReset } from '../../src/providers/openrouter/usage.js'
import type { ProviderDescriptor } from '../../src/providers/types.js'
import { keyProviderHarness } from '../helpers/key-provider.js'
import { type Reply, refusedUrl } from '../helpers/server.js'

// Through the interface: the tests call it the way the core does.
const descriptor: ProviderDescriptor = untypedDescriptor
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/openrouter', name), 'utf8'))
// A Wednesday: the daily, weekly and monthly resets all differ.
const NOW = new Date('2026-11-25T10:00:00Z')
const KEY = '/api/v1/key'
const CREDITS = '/api/v1/credits'
const SECRET = 'sk-or-v1-test-0123456789abcdef0123456789abcdef'
const OTHER = 'sk-or-v1-test-fedcba9876543210fedcba9876543210'

const harness = keyProviderHarness({
  adapter: openrouterAdapter,
  provider: 'openrouter',
  refreshSeconds: 300,
  keyEnv: 'OPENROUTER_API_KEY',
  secret: SECRET,
  path: KEY,
  now: NOW,
  accountDefaults: { apiKeyEnv: 'OPENROUTER_API_KEY' },
})
const { account, fetchUsage, failure } = harness
beforeEach(() => {
  harness.server().on(CREDITS, { status: 500, body: { error: { message: 'route not set by this test' } } })
})

async function snapshotFor(reply: Reply, credits?: Reply) {
  if (credits) harness.server().on(CREDITS, credits)
  const r = await harness.snapshotFor(reply)
  expect(r.fingerprint).toMatch(/^[0-9a-f]{12}$/)
  return r.snapshot
}

describe('openrouter /key mapping', () => {
  it('a daily limit: a window with the next UTC midnight, the limit on the day meter', async () => {
    const s = await snapshotFor({ body: fixture('key.daily_limit.json') })
    expect(s.windows).toEqual([
      {
        id: 'daily',
        label: 'Daily limit',
        usedPercent: 40,
        resetsAt: '2026-11-26T00:00:00.000Z',
        windowSeconds: 86400,
      },
    ])
    expect(s.spend).toEqual([
      { id: 'day', label: 'Spend', used: 10, limit: 25, currency: 'USD', period: 'day' },
      { id: 'week', label: 'Spend', used: 33.4, limit: null, currency: 'USD', period: 'week' },
      { id: 'month', label: 'Spend', used: 80.12, limit: null, currency: 'USD', period: 'month' },
    ])
    expect(s.balances).toEqual([])
    expect(s.plan).toBeNull()
    expect(s.fetchedAt).toBe(NOW.toISOString())
    const req = harness.server().requests.find((r) => r.path === KEY)
    expect(req?.headers.authorization).toBe(`Bearer ${SECRET}`)
    expect(req?.headers['x-title']).toBe('quotabar')
    // An inference key never asks /credits (spec §4.2 rule 1).
    expect(harness.server().count(CREDITS)).toBe(0)
  })

  it('a weekly limit resets next Monday; (limit − remaining) / limit is the percentage', async () => {
    const s = await snapshotFor({ body: fixture('key.weekly_limit.json') })
    expect(s.windows).toEqual([
      {
        id: 'weekly',
        label: 'Weekly limit',
        usedPercent: 23.75,
        resetsAt: '2026-11-30T00:00:00.000Z',
        windowSeconds: 604800,
      },
    ])
    expect(s.spend.map((m) => [m.id, m.used, m.limit])).toEqual([
      ['day', 2.25, null],
      ['week', 9.5, 40],
      ['month', 21.3, null],
    ])
  })

  it('an exhausted monthly limit: 100 %, resets on the 1st, spend over the cap shows as is', async () => {
    const s = await snapshotFor({ body: fixture('key.monthly_limit_exhausted.json') })
    expect(s.windows).toEqual([
      {
        id: 'monthly',
        label: 'Monthly limit',
        usedPercent: 100,
        resetsAt: '2026-12-01T00:00:00.000Z',
        windowSeconds: null,
      },
    ])
    expect(s.spend.find((m) => m.id === 'month')).toEqual({
      id: 'month',
      label: 'Spend',
      used: 60.5,
      limit: 60,
      currency: 'USD',
      period: 'month',
    })
  })

  it('no limit: spend for today, this week and this month, no window', async () => {
    const s = await snapshotFor({ body: fixture('key.no_limit.json') })
    expect(s.windows).toEqual([])
    expect(s.spend.map((m) => [m.period, m.used, m.limit])).toEqual([
      ['day', 1.25, null],
      ['week', 9.8, null],
      ['month', 44.07, null],
    ])
  })

  it('a limit that never resets is a total meter against the limit', async () => {
    const s = await snapshotFor({ body: fixture('key.lifetime_limit.json') })
    expect(s.windows).toEqual([])
    expect(s.spend.at(-1)).toEqual({
      id: 'limit',
      label: 'Key limit',
      used: 14.5,
      limit: 20,
      currency: 'USD',
      period: 'total',
    })
    expect(s.spend).toHaveLength(4)
  })

  it('a free-tier key says so; a limit of 0 is no limit', async () => {
    const s = await snapshotFor({ body: fixture('key.free_tier.json') })
    expect(s.plan).toBe('Free tier')
    expect(s.spend.map((m) => m.used)).toEqual([0, 0, 0])
    const zero = fixture('key.daily_limit.json')
    zero.data.limit = 0
    const z = await snapshotFor({ body: zero })
    expect(z.windows).toEqual([])
    expect(z.spend.every((m) => m.limit === null)).toBe(true)
  })

  it('a period the key does not report is absent, not $0', async () => {
    const body = fixture('key.no_limit.json')
    delete body.data.usage_weekly
    body.data.usage_monthly = null
    const s = await snapshotFor({ body })
    expect(s.spend.map((m) => m.id)).toEqual(['day'])
  })
})

describe('openrouter /credits', () => {
  it('a management key also reads the balance: total_credits − total_usage', async () => {
    const s = await snapshotFor(
      { body: fixture('key.management_key.json') },
      { body: fixture('credits.management_key.json') },
    )
    expect(s.plan).toBe('Management key')
    expect(s.balances).toEqual([{ id: 'credits', label: 'Credits', amount: 188.75, currency: 'USD' }])
    expect(harness.server().count(CREDITS)).toBe(1)
    const req = harness.server().requests.find((r) => r.path === CREDITS)
    expect(req?.headers.authorization).toBe(`Bearer ${SECRET}`)
  })

  it('the deprecated is_provisioning_key alone also counts as a management key', async () => {
    const body = fixture('key.management_key.json')
    delete body.data.is_management_key
    const s = await snapshotFor({ body }, { body: fixture('credits.management_key.json') })
    expect(s.balances).toHaveLength(1)
  })

  it('0/0 is unknown, not a $0 balance: no meter', async () => {
    const s = await snapshotFor(
      { body: fixture('key.management_key.json') },
      { body: fixture('credits.inference_key_zero.json') },
    )
    expect(s.balances).toEqual([])
    expect(harness.server().count(CREDITS)).toBe(1)
  })

  it.each<[string, Reply]>([
    ['403 management only', { status: 403, body: fixture('error_403_management_only.json') }],
    ['429', { status: 429, body: fixture('error_429_rate_limited.json'), headers: { 'retry-after': '30' } }],
    ['500', { status: 500, body: { error: { code: 500, message: 'Internal Server Error' } } }],
    [
      'an HTML page',
      { raw: '<html><body>Just a moment...</body></html>', headers: { 'content-type': 'text/html' } },
    ],
    ['drift', { body: { data: { total_credits: 'many', total_usage: 1 } } }],
  ])('a /credits failure (%s) leaves the balance out and keeps the /key numbers', async (_, reply) => {
    const body = fixture('key.management_key.json')
    body.data.usage_daily = 0.75
    const s = await snapshotFor({ body }, reply)
    expect(s.balances).toEqual([])
    expect(s.spend[0]).toMatchObject({ id: 'day', used: 0.75 })
    expect(harness.server().count(CREDITS)).toBe(1)
  })

  it('a /credits timeout leaves the balance out', async () => {
    harness.server().on(KEY, { body: fixture('key.management_key.json') })
    harness.server().on(CREDITS, { hang: true })
    const r = await fetchUsage(account(), undefined, 300)
    expect(r.ok && r.snapshot.balances).toEqual([])
  })
})

describe('openrouter accounts', () => {
  it('two accounts with different keys show different numbers and fingerprints', async () => {
    harness
      .server()
      .on(KEY, (req) =>
        req.headers.authorization === `Bearer ${OTHER}`
          ? { body: fixture('key.no_limit.json') }
          : { body: fixture('key.daily_limit.json') },
      )
    const env = { OPENROUTER_API_KEY: SECRET, OPENROUTER_API_KEY_WORK: OTHER }
    const [def, work] = await Promise.all([
      fetchUsage(account(), env),
      fetchUsage(account({ id: 'work', apiKeyEnv: 'OPENROUTER_API_KEY_WORK' }), env),
    ])
    if (!def.ok || !work.ok) throw new Error('expected both ok')
    expect(def.snapshot.spend[0]?.used).toBe(10)
    expect(work.snapshot.spend[0]?.used).toBe(1.25)
    expect(def.snapshot.windows).toHaveLength(1)
    expect(work.snapshot.windows).toHaveLength(0)
    expect(def.fingerprint).not.toBe(work.fingerprint)
  })

  it('discovers OPENROUTER_API_KEY and suffixed variables, id = the suffix in lower case, _ as -', () => {
    const env = {
      OPENROUTER_API_KEY: SECRET,
      OPENROUTER_API_KEY_WORK: OTHER,
      OPENROUTER_API_KEY_Side_2: OTHER,
      OPENROUTER_API_KEY_EMPTY: '',
      OPENROUTER_API_KEY__BAD: OTHER,
      OPENROUTER_API_KEY_DEFAULT: OTHER,
      OPENROUTER_API_KEYS: OTHER,
      DEEPSEEK_API_KEY: OTHER,
    }
    expect(descriptor.defaultAccounts(env, '/h', () => false)).toEqual([
      { provider: 'openrouter', id: 'default', apiKeyEnv: 'OPENROUTER_API_KEY' },
      { provider: 'openrouter', id: 'side-2', apiKeyEnv: 'OPENROUTER_API_KEY_Side_2' },
      { provider: 'openrouter', id: 'work', apiKeyEnv: 'OPENROUTER_API_KEY_WORK' },
    ])
    expect(
      accountsFromEnv('openrouter', [{ name: 'OPENROUTER_API_KEY' }], { OPENROUTER_API_KEY_WORK: OTHER }),
    ).toEqual([{ provider: 'openrouter', id: 'work', apiKeyEnv: 'OPENROUTER_API_KEY_WORK' }])
    // Without the plain variable, `_DEFAULT` is the default account.
    expect(
      accountsFromEnv('openrouter', [{ name: 'OPENROUTER_API_KEY' }], { OPENROUTER_API_KEY_DEFAULT: OTHER }),
    ).toEqual([{ provider: 'openrouter', id: 'default', apiKeyEnv: 'OPENROUTER_API_KEY_DEFAULT' }])
    expect(descriptor.defaultAccounts({}, '/h', () => true)).toEqual([])
    expect(descriptor.credentialFiles(account(), env, '/h')).toEqual([])
  })

  it('a discovered account fetches with its own variable', async () => {
    harness
      .server()
      .on(KEY, (req) =>
        req.headers.authorization === `Bearer ${OTHER}`
          ? { body: fixture('key.no_limit.json') }
          : { status: 401, body: fixture('error_401_user_not_found.json') },
      )
    const env = { OPENROUTER_API_KEY: SECRET, OPENROUTER_API_KEY_WORK: OTHER }
    const [work] = descriptor.defaultAccounts(env, '/h', () => false).filter((a) => a.id === 'work')
    const r = await fetchUsage(account({ ...work, id: 'work' }), env)
    expect(r.ok && r.snapshot.spend[2]?.used).toBe(44.07)
  })

  it('a configured account without apiKeyEnv uses OPENROUTER_API_KEY_<ID>, else OPENROUTER_API_KEY', async () => {
    expect(fallbackKeyEnv({ id: 'work' }, 'OPENROUTER_API_KEY', { OPENROUTER_API_KEY_WORK: 'x' })).toBe(
      'OPENROUTER_API_KEY_WORK',
    )
    expect(fallbackKeyEnv({ id: 'my-team' }, 'OPENROUTER_API_KEY', { OPENROUTER_API_KEY_MY_TEAM: 'x' })).toBe(
      'OPENROUTER_API_KEY_MY_TEAM',
    )
    expect(fallbackKeyEnv({ id: 'work' }, 'OPENROUTER_API_KEY', {})).toBe('OPENROUTER_API_KEY')
    harness
      .server()
      .on(KEY, (req) =>
        req.headers.authorization === `Bearer ${OTHER}`
          ? { body: fixture('key.weekly_limit.json') }
          : { body: fixture('key.daily_limit.json') },
      )
    const env = { OPENROUTER_API_KEY: SECRET, OPENROUTER_API_KEY_WORK: OTHER }
    const r = await fetchUsage(account({ id: 'work', apiKeyEnv: undefined }), env)
    expect(r.ok && r.snapshot.windows[0]?.id).toBe('weekly')
  })

  it('no key anywhere: a credentials error that names the variable', async () => {
    const r = await fetchUsage(account({ apiKeyEnv: undefined }), {})
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.kind).toBe('credentials')
    expect(r.error.fix).toContain('OPENROUTER_API_KEY')
    expect(harness.server().count(KEY)).toBe(0)
  })

  it('apiKeyEnv naming an unset variable says so', async () => {
    const r = await fetchUsage(account({ apiKeyEnv: 'OPENROUTER_API_KEY_GONE' }), {})
    expect(!r.ok && r.error).toMatchObject({
      kind: 'credentials',
      message: '$OPENROUTER_API_KEY_GONE is not set',
    })
  })
})

describe('openrouter errors', () => {
  it('401 "User not found." (invalid key) → auth, naming where the key came from', async () => {
    const r = await failure({ status: 401, body: fixture('error_401_user_not_found.json') })
    expect(r.error).toMatchObject({ kind: 'auth', httpStatus: 401 })
    expect(r.error.message).toContain('User not found.')
    expect(r.error.fix).toContain('$OPENROUTER_API_KEY')
    expect(r.fingerprint).toMatch(/^[0-9a-f]{12}$/)
  })

  it('401 missing auth → auth', async () => {
    const r = await failure({ status: 401, body: fixture('error_401_missing_auth.json') })
    expect(r.error.kind).toBe('auth')
    expect(r.error.message).toContain('Missing Authentication header')
  })

  it('an error body echoing the key never carries it into the message', async () => {
    const r = await failure({ status: 401, body: { error: { code: 401, message: `bad key ${SECRET}` } } })
    expect(r.error.message).toContain('[redacted]')
  })

  it('403 on /key → forbidden with a fix', async () => {
    const r = await failure({ status: 403, body: fixture('error_403_management_only.json') })
    expect(r.error).toMatchObject({ kind: 'forbidden', httpStatus: 403 })
    expect(r.error.fix).toMatch(/key/)
  })

  it('404 → http, pointing at baseUrl', async () => {
    const r = await failure({ status: 404, body: { error: { code: 404, message: 'Not Found' } } })
    expect(r.error).toMatchObject({ kind: 'http', httpStatus: 404 })
    expect(r.error.fix).toContain('baseUrl')
  })

  it('429 with Retry-After → rate-limited with the wait', async () => {
    const r = await failure({
      status: 429,
      body: fixture('error_429_rate_limited.json'),
      headers: { 'retry-after': '120' },
    })
    expect(r.error).toMatchObject({ kind: 'rate-limited', httpStatus: 429 })
    expect(r.retryAfterSeconds).toBe(120)
    expect(r.error.message).toContain('Rate limit exceeded')
  })

  it('429 without Retry-After → rate-limited, no wait given', async () => {
    const r = await failure({ status: 429, body: fixture('error_429_rate_limited.json') })
    expect(r.error.kind).toBe('rate-limited')
    expect(r.retryAfterSeconds).toBeNull()
  })

  it('5xx → http, tries again later', async () => {
    const r = await failure({ status: 502, body: { error: { code: 502, message: 'Bad gateway' } } })
    expect(r.error).toMatchObject({ kind: 'http', httpStatus: 502 })
    expect(r.error.fix).toContain('tries again later')
  })

  it('an HTML page → schema, blaming a proxy', async () => {
    const r = await failure({
      raw: '<!doctype html><title>Captive portal</title>',
      headers: { 'content-type': 'text/html' },
    })
    expect(r.error.kind).toBe('schema')
    expect(r.error.fix).toContain('proxy')
  })

  it('schema drift names the field: one malformed amount drops only its meter, with a note', async () => {
    const body = fixture('key.no_limit.json')
    body.data.usage_daily = 'lots'
    const s = await snapshotFor({ body })
    expect(s.spend.map((m) => m.period)).toEqual(['week', 'month'])
    expect(s.notes).toEqual([expect.stringContaining('data.usage_daily')])
  })

  it('schema drift names the field: with nothing readable left it is a schema error', async () => {
    const body = fixture('key.no_limit.json')
    for (const k of ['usage', 'usage_daily', 'usage_weekly', 'usage_monthly']) body.data[k] = 'lots'
    const r = await failure({ body })
    expect(r.error.kind).toBe('schema')
    expect(r.error.message).toContain('data.usage_daily')
    expect(r.error.fix).toContain('quotabar update')
  })

  it('a body without data → schema', async () => {
    const r = await failure({ body: { ok: true } })
    expect(r.error.message).toContain('data')
  })

  it('timeout → timeout', async () => {
    const r = await failure({ hang: true }, 200)
    expect(r.error.kind).toBe('timeout')
  })

  it('connection refused → network', async () => {
    const r = await fetchUsage(account({ baseUrl: await refusedUrl() }))
    expect(!r.ok && r.error.kind).toBe('network')
    expect(!r.ok && r.error.fix).toContain('network')
  })

  it('plain http to a non-loopback host is refused before anything is sent', async () => {
    const r = await fetchUsage(account({ baseUrl: 'http://openrouter.example' }))
    expect(!r.ok && r.error).toMatchObject({ kind: 'config' })
    expect(!r.ok && r.error.fix).toContain('https')
  })
})

describe('openrouter resets', () => {
  it.each([
    ['daily', '2026-11-25T23:59:59Z', '2026-11-26T00:00:00.000Z'],
    ['daily', '2026-12-31T00:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['weekly', '2026-11-23T00:00:00Z', '2026-11-30T00:00:00.000Z'],
    ['weekly', '2026-11-29T23:00:00Z', '2026-11-30T00:00:00.000Z'],
    ['weekly', '2026-11-28T12:00:00Z', '2026-11-30T00:00:00.000Z'],
    ['monthly', '2026-12-15T08:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['monthly', '2026-01-31T23:59:59Z', '2026-02-01T00:00:00.000Z'],
  ] as const)('%s at %s → %s', (reset, now, next) => {
    expect(nextReset(reset, new Date(now))).toBe(next)
  })
})

describe('openrouter secrets', () => {
  it('never shows the key in any form, even when the server echoes it', () => harness.expectNoEchoedSecret())
})
