import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { deepseekAdapter } from '../../src/providers/deepseek/adapter.js'
import { deepseekDescriptor as untypedDescriptor } from '../../src/providers/deepseek/descriptor.js'
import type { ProviderDescriptor } from '../../src/providers/types.js'
import { keyProviderHarness } from '../helpers/key-provider.js'
import { type Reply, refusedUrl } from '../helpers/server.js'

// Through the interface: the tests call it the way the core does.
const descriptor: ProviderDescriptor = untypedDescriptor
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/deepseek', name), 'utf8'))
const NOW = new Date('2026-11-25T10:00:00Z')
const BALANCE = '/user/balance'
const SECRET = 'sk-deepseek-test-00112233445566778899aabb'
const OTHER = 'sk-deepseek-test-ffeeddccbbaa998877665544'

const harness = keyProviderHarness({
  adapter: deepseekAdapter,
  provider: 'deepseek',
  refreshSeconds: 600,
  keyEnv: 'DEEPSEEK_API_KEY',
  secret: SECRET,
  path: BALANCE,
  now: NOW,
})
const { account, fetchUsage, failure } = harness
const snapshotFor = async (reply: Reply) => (await harness.snapshotFor(reply)).snapshot

describe('deepseek balance', () => {
  it('USD with a grant: the total, then granted and topped-up', async () => {
    const s = await snapshotFor({ body: fixture('balance.usd_granted.json') })
    expect(s.balances).toEqual([
      { id: 'balance:usd', label: 'Balance', amount: 27.4, currency: 'USD' },
      { id: 'granted:usd', label: 'Granted', amount: 5, currency: 'USD' },
      { id: 'topped-up:usd', label: 'Topped up', amount: 22.4, currency: 'USD' },
    ])
    expect(s).toMatchObject({ plan: null, email: null, windows: [], spend: [], fetchedAt: NOW.toISOString() })
    const req = harness.server().requests.find((r) => r.path === BALANCE)
    expect(req?.headers.authorization).toBe(`Bearer ${SECRET}`)
  })

  it('CNY and USD: one balance per currency; no grant, no split', async () => {
    const s = await snapshotFor({ body: fixture('balance.cny_and_usd.json') })
    expect(s.balances).toEqual([
      { id: 'balance:cny', label: 'Balance', amount: 118.06, currency: 'CNY' },
      { id: 'balance:usd', label: 'Balance', amount: 3.1, currency: 'USD' },
    ])
  })

  it('keeps what parses: a malformed currency entry drops only that balance, with a note', async () => {
    const body = fixture('balance.cny_and_usd.json')
    body.balance_infos[0].total_balance = 'lots'
    const s = await snapshotFor({ body })
    expect(s.balances).toEqual([{ id: 'balance:usd', label: 'Balance', amount: 3.1, currency: 'USD' }])
    expect(s.notes).toEqual([
      expect.stringMatching(/^balance left out \(balance_infos\[0\]\.total_balance: /),
    ])
  })

  it('is_available false: a zero balance and a plan that says why calls fail', async () => {
    const s = await snapshotFor({ body: fixture('balance.cny_unavailable.json') })
    expect(s.plan).toBe('Insufficient balance')
    expect(s.balances).toEqual([{ id: 'balance:cny', label: 'Balance', amount: 0, currency: 'CNY' }])
  })

  it('numbers instead of strings are accepted; a lower-case currency is normalised', async () => {
    const s = await snapshotFor({
      body: { is_available: true, balance_infos: [{ currency: 'usd', total_balance: 9.5 }] },
    })
    expect(s.balances).toEqual([{ id: 'balance:usd', label: 'Balance', amount: 9.5, currency: 'USD' }])
  })

  it('an empty list is no balance, not $0', async () => {
    const s = await snapshotFor({ body: { is_available: true, balance_infos: [] } })
    expect(s.balances).toEqual([])
  })
})

describe('deepseek accounts', () => {
  it('two keys, two accounts, different balances and fingerprints', async () => {
    harness
      .server()
      .on(BALANCE, (req) =>
        req.headers.authorization === `Bearer ${OTHER}`
          ? { body: fixture('balance.cny_and_usd.json') }
          : { body: fixture('balance.usd_granted.json') },
      )
    const env = { DEEPSEEK_API_KEY: SECRET, DEEPSEEK_API_KEY_LAB: OTHER }
    const found = descriptor.defaultAccounts(env, '/h', () => false)
    expect(found).toEqual([
      { provider: 'deepseek', id: 'default', apiKeyEnv: 'DEEPSEEK_API_KEY' },
      { provider: 'deepseek', id: 'lab', apiKeyEnv: 'DEEPSEEK_API_KEY_LAB' },
    ])
    const [a, b] = await Promise.all(found.map((f) => fetchUsage(account(f), env)))
    if (!a?.ok || !b?.ok) throw new Error('expected both ok')
    expect(a.snapshot.balances?.[0]?.amount).toBe(27.4)
    expect(b.snapshot.balances?.[0]).toMatchObject({ amount: 118.06, currency: 'CNY' })
    expect(a.fingerprint).not.toBe(b.fingerprint)
  })

  it('the descriptor: 10 min default, 60 s floor, no files to watch', () => {
    expect(descriptor.defaultRefreshSeconds).toBe(600)
    expect(descriptor.minRefreshSeconds).toBe(60)
    expect(descriptor.credentialFiles(account(), {}, '/h')).toEqual([])
    expect(descriptor.defaultAccounts({}, '/h', () => true)).toEqual([])
  })

  it('no key: a credentials error naming DEEPSEEK_API_KEY, nothing sent', async () => {
    const r = await fetchUsage(account(), {})
    expect(!r.ok && r.error.kind).toBe('credentials')
    expect(!r.ok && r.error.fix).toContain('DEEPSEEK_API_KEY')
    expect(harness.server().count(BALANCE)).toBe(0)
  })

  it('apiKeyCommand supplies the key', async () => {
    harness
      .server()
      .on(BALANCE, (req) =>
        req.headers.authorization === `Bearer ${OTHER}`
          ? { body: fixture('balance.usd_granted.json') }
          : { status: 401, body: fixture('error_401_invalid_key.json') },
      )
    const r = await fetchUsage(account({ apiKeyCommand: `printf %s ${OTHER}` }), {
      PATH: process.env.PATH ?? '',
    })
    expect(r.ok && r.snapshot.balances?.[0]?.amount).toBe(27.4)
  })

  it('apiKeyCommand printing several lines (`pass show`): the first line is the key, no newline in a header', async () => {
    const seen: string[] = []
    harness.server().on(BALANCE, (req) => {
      seen.push(String(req.headers.authorization))
      return req.headers.authorization === `Bearer ${OTHER}`
        ? { body: fixture('balance.usd_granted.json') }
        : { status: 401, body: fixture('error_401_invalid_key.json') }
    })
    const cmd = `printf '\\n%s\\nlogin: me@example.com\\nurl: platform.deepseek.com\\n' ${OTHER}`
    const r = await fetchUsage(account({ apiKeyCommand: cmd }), { PATH: process.env.PATH ?? '' })
    expect(r.ok && r.snapshot.balances?.[0]?.amount).toBe(27.4)
    expect(seen).toEqual([`Bearer ${OTHER}`])
  })
})

describe('deepseek errors', () => {
  it('401 invalid key → auth with the provider message and where the key came from', async () => {
    const r = await failure({ status: 401, body: fixture('error_401_invalid_key.json') })
    expect(r.error).toMatchObject({ kind: 'auth', httpStatus: 401 })
    expect(r.error.message).toContain('Authentication Fails')
    expect(r.error.fix).toContain('$DEEPSEEK_API_KEY')
  })

  it('403 → forbidden', async () => {
    const r = await failure({ status: 403, body: { error: { message: 'Forbidden' } } })
    expect(r.error.kind).toBe('forbidden')
  })

  it('404 → http, check baseUrl', async () => {
    const r = await failure({ status: 404, body: { error: { message: 'Not Found' } } })
    expect(r.error.fix).toContain('baseUrl')
  })

  it('429 with and without Retry-After', async () => {
    const a = await failure({
      status: 429,
      body: { error: { message: 'Rate limit reached' } },
      headers: { 'retry-after': '45' },
    })
    expect(a.error.kind).toBe('rate-limited')
    expect(a.retryAfterSeconds).toBe(45)
    const b = await failure({ status: 429, body: { error: { message: 'Rate limit reached' } } })
    expect(b.retryAfterSeconds).toBeNull()
  })

  it('503 → http, later', async () => {
    const r = await failure({
      status: 503,
      raw: 'Service Unavailable',
      headers: { 'content-type': 'text/plain' },
    })
    expect(r.error).toMatchObject({ kind: 'http', httpStatus: 503 })
    expect(r.error.fix).toContain('DeepSeek had a problem')
  })

  it('HTML → schema', async () => {
    const r = await failure({ raw: '<html>login</html>', headers: { 'content-type': 'text/html' } })
    expect(r.error.kind).toBe('schema')
    expect(r.error.fix).toContain('proxy')
  })

  it('drift names the field', async () => {
    const r = await failure({
      body: { is_available: true, balance_infos: [{ currency: 'USD', total_balance: 'about ten' }] },
    })
    expect(r.error.kind).toBe('schema')
    expect(r.error.message).toContain('balance_infos[0].total_balance')
    const missing = await failure({ body: { is_available: true } })
    expect(missing.error.message).toContain('balance_infos')
  })

  it('timeout and connection refused', async () => {
    const t = await failure({ hang: true }, 200)
    expect(t.error.kind).toBe('timeout')
    const r = await fetchUsage(account({ baseUrl: await refusedUrl() }))
    expect(!r.ok && r.error.kind).toBe('network')
  })
})

describe('deepseek secrets', () => {
  it('never shows the key in any form, even when the server echoes it', () => harness.expectNoEchoedSecret())
})
