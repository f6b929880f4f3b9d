import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  MOONSHOT_BALANCE_URL,
  moonshotAdapter,
  moonshotCurrency,
} from '../../src/providers/moonshot/adapter.js'
import { moonshotDescriptor as untypedDescriptor } from '../../src/providers/moonshot/descriptor.js'
import type { ProviderDescriptor } from '../../src/providers/types.js'
import { keyProviderHarness } from '../helpers/key-provider.js'
import { type Reply, refusedUrl } from '../helpers/server.js'

// Through the interface: the tests call it the way the core does.
const descriptor: ProviderDescriptor = untypedDescriptor
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/moonshot', name), 'utf8'))
const NOW = new Date('2026-11-25T10:00:00Z')
const BALANCE = '/v1/users/me/balance'
const SECRET = 'sk-moonshot-test-a1b2c3d4e5f6a7b8c9d0e1f2'
const OTHER = 'sk-moonshot-test-0f0e0d0c0b0a09080706050403'

const harness = keyProviderHarness({
  adapter: moonshotAdapter,
  provider: 'moonshot',
  refreshSeconds: 600,
  keyEnv: 'MOONSHOT_API_KEY',
  secret: SECRET,
  path: BALANCE,
  now: NOW,
})
const { account, fetchUsage, failure } = harness
const snapshotFor = async (reply: Reply) => (await harness.snapshotFor(reply)).snapshot

describe('moonshot balance', () => {
  it('available, then voucher and (negative) cash when a voucher exists', async () => {
    const s = await snapshotFor({ body: fixture('balance.voucher_negative_cash.json') })
    expect(s.balances).toEqual([
      { id: 'balance:usd', label: 'Balance', amount: 18.75, currency: 'USD' },
      { id: 'voucher:usd', label: 'Voucher', amount: 20, currency: 'USD' },
      { id: 'cash:usd', label: 'Cash', amount: -1.25, currency: 'USD' },
    ])
    expect(s).toMatchObject({ plan: null, windows: [], spend: [], fetchedAt: NOW.toISOString() })
    const req = harness.server().requests.find((r) => r.path === BALANCE)
    expect(req?.headers.authorization).toBe(`Bearer ${SECRET}`)
  })

  it('cash only: just the balance', async () => {
    const s = await snapshotFor({ body: fixture('balance.cash_only.json') })
    expect(s.balances).toEqual([{ id: 'balance:usd', label: 'Balance', amount: 64.3, currency: 'USD' }])
  })

  it('the endpoint is api.moonshot.ai; the China platform (api.moonshot.cn) bills in CNY', () => {
    expect(MOONSHOT_BALANCE_URL).toBe('https://api.moonshot.ai/v1/users/me/balance')
    expect(moonshotCurrency(undefined)).toBe('USD')
    expect(moonshotCurrency('https://api.moonshot.ai')).toBe('USD')
    expect(moonshotCurrency('https://api.moonshot.cn')).toBe('CNY')
    expect(moonshotCurrency('https://API.Moonshot.CN:443')).toBe('CNY')
    expect(moonshotCurrency('https://notmoonshot.cn')).toBe('USD')
    expect(moonshotCurrency(harness.server().url)).toBe('USD')
  })

  it('an error in a 200 envelope (code ≠ 0, status false) is an error, not a $0 balance', async () => {
    const r = await failure({ body: fixture('envelope_error.json') })
    expect(r.error).toMatchObject({ kind: 'http', message: 'Moonshot reported an error (code 5, 0x5)' })
    expect(r.error.fix).toContain('api.moonshot.cn')
    expect(r.fingerprint).toMatch(/^[0-9a-f]{12}$/)
  })

  it('code 0 without data → schema error naming data', async () => {
    const r = await failure({ body: { code: 0, status: true, scode: '0x0' } })
    expect(r.error).toMatchObject({ kind: 'schema' })
    expect(r.error.message).toContain('data: missing')
  })
})

describe('moonshot accounts', () => {
  it('two keys (MOONSHOT_API_KEY and MOONSHOT_API_KEY_CN) show their own balances', async () => {
    harness
      .server()
      .on(BALANCE, (req) =>
        req.headers.authorization === `Bearer ${OTHER}`
          ? { body: fixture('balance.cash_only.json') }
          : { body: fixture('balance.voucher_negative_cash.json') },
      )
    const env = { MOONSHOT_API_KEY: SECRET, MOONSHOT_API_KEY_CN: OTHER }
    const found = descriptor.defaultAccounts(env, '/h', () => false)
    expect(found.map((a) => [a.id, a.apiKeyEnv])).toEqual([
      ['default', 'MOONSHOT_API_KEY'],
      ['cn', 'MOONSHOT_API_KEY_CN'],
    ])
    const [a, b] = await Promise.all(found.map((f) => fetchUsage(account(f), env)))
    if (!a?.ok || !b?.ok) throw new Error('expected both ok')
    expect(a.snapshot.balances?.[0]?.amount).toBe(18.75)
    expect(b.snapshot.balances?.[0]?.amount).toBe(64.3)
    expect(a.fingerprint).not.toBe(b.fingerprint)
  })

  it('no key → credentials error naming MOONSHOT_API_KEY', async () => {
    const r = await fetchUsage(account(), {})
    expect(!r.ok && r.error).toMatchObject({ kind: 'credentials' })
    expect(!r.ok && r.error.fix).toContain('MOONSHOT_API_KEY')
  })
})

describe('moonshot errors', () => {
  it('401 → auth with the provider message', async () => {
    const r = await failure({ status: 401, body: fixture('error_401_invalid_key.json') })
    expect(r.error).toMatchObject({ kind: 'auth', httpStatus: 401 })
    expect(r.error.message).toContain('Invalid Authentication')
    expect(r.error.fix).toContain('$MOONSHOT_API_KEY')
  })

  it('403, 404, 429 (with and without Retry-After), 500', async () => {
    expect((await failure({ status: 403, body: { error: { message: 'no' } } })).error.kind).toBe('forbidden')
    expect((await failure({ status: 404, body: {} })).error.fix).toContain('baseUrl')
    const limited = await failure({ status: 429, body: {}, headers: { 'retry-after': '7' } })
    expect([limited.error.kind, limited.retryAfterSeconds]).toEqual(['rate-limited', 7])
    expect((await failure({ status: 429, body: {} })).retryAfterSeconds).toBeNull()
    const down = await failure({ status: 500, body: { error: { message: 'internal' } } })
    expect(down.error).toMatchObject({ kind: 'http', httpStatus: 500 })
    expect(down.error.fix).toContain('Moonshot had a problem')
  })

  it('HTML, drift, timeout, refused', async () => {
    expect(
      (await failure({ raw: '<html></html>', headers: { 'content-type': 'text/html' } })).error.kind,
    ).toBe('schema')
    const drift = await failure({ body: { code: 0, data: { available_balance: 'n/a' } } })
    expect(drift.error.message).toContain('data.available_balance')
    expect((await failure({ hang: true }, 200)).error.kind).toBe('timeout')
    const r = await fetchUsage(account({ baseUrl: await refusedUrl() }))
    expect(!r.ok && r.error.kind).toBe('network')
  })
})

describe('moonshot secrets', () => {
  it('never shows the key in any form, even when the server echoes it', () => harness.expectNoEchoedSecret())
})
