import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { claudeWebAdapter, pickOrg } from '../../src/providers/claude-web/adapter.js'
import { claudeWebDescriptor as untypedDescriptor } from '../../src/providers/claude-web/descriptor.js'
import type { Account, FetchResult, ProviderDescriptor } from '../../src/providers/types.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, type Reply, startServer } from '../helpers/server.js'
import { fetchLoaded } from '../helpers/fetch.js'

const descriptor: ProviderDescriptor = untypedDescriptor
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/claude-web', name), 'utf8'))
const NOW = new Date('2026-07-02T22:00:00Z')
const KEY = 'sk-ant-sid01-test-session-key-0011223344556677'
const ROTATED = 'sk-ant-sid01-rotated-session-key-8899aabbccdd'
const ORG = 'a1b2c3d4-e5f6-4789-9abc-def012345678'
const OTHER_ORG = '11112222-3333-4444-5555-666677778888'
const ORGS = '/api/organizations'
const usagePath = (org = ORG) => `/api/organizations/${org}/usage`
const overagePath = (org = ORG) => `/api/organizations/${org}/overage_spend_limit`
const prepaidPath = (org = ORG) => `/api/organizations/${org}/prepaid/credits`
const CLOUDFLARE = '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>cf</body></html>'

let server: FakeServer
let h: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
beforeEach(() => {
  h = makeHome()
  server.requests.length = 0
  routes()
})
afterEach(() => h.cleanup())

function routes(org = ORG) {
  server.on(ORGS, { body: fixture('organizations-200.json') })
  server.on(usagePath(org), { body: fixture('usage-200.json') })
  server.on(overagePath(org), { body: fixture('overage-spend-limit-200.json') })
  server.on(prepaidPath(org), { body: fixture('prepaid-credits-200.json') })
}

function account(over: Partial<Account> = {}): Account {
  return {
    provider: 'claude-web',
    id: 'default',
    key: 'claude-web/default',
    label: 'web',
    refreshSeconds: 600,
    baseUrl: server.url,
    ...over,
  }
}

function fetchUsage(
  a = account(),
  env: Record<string, string> = { CLAUDE_WEB_SESSION_KEY: KEY },
): Promise<FetchResult> {
  return fetchLoaded(claudeWebAdapter, a, {
    env: { ...h.env, ...env },
    home: h.home,
    now: () => NOW,
    timeoutMs: 2000,
  })
}

async function ok(a = account(), env?: Record<string, string>) {
  const r = await fetchUsage(a, env)
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`)
  return r
}

async function fails(a = account(), env?: Record<string, string>) {
  const r = await fetchUsage(a, env)
  if (r.ok) throw new Error('expected a failure')
  expect(JSON.stringify(r)).not.toContain(KEY)
  return r
}

const cookieOf = (path: string) => server.requests.filter((r) => r.path === path).at(-1)?.headers.cookie

describe('claude-web usage', () => {
  it('finds the chat organisation, then the same windows as the OAuth route, the overage cap and prepaid credits', async () => {
    const r = await ok()
    expect(r.snapshot.windows).toEqual([
      {
        id: 'session',
        label: '5h',
        usedPercent: 16,
        resetsAt: '2026-07-03T00:30:00.440Z',
        windowSeconds: 18000,
      },
      {
        id: 'weekly',
        label: '7d',
        usedPercent: 10,
        resetsAt: '2026-07-08T09:00:00.440Z',
        windowSeconds: 604800,
      },
      {
        id: 'weekly:fable',
        label: 'Fable',
        usedPercent: 5,
        resetsAt: '2026-07-08T09:00:00.441Z',
        windowSeconds: 604800,
      },
    ])
    expect(r.snapshot.spend).toEqual([
      { id: 'extra', label: 'Extra usage', used: 13.25, limit: 50, currency: 'USD', period: 'month' },
    ])
    expect(r.snapshot.balances).toEqual([
      { id: 'prepaid', label: 'Prepaid credits', amount: 100, currency: 'USD' },
    ])
    expect(server.requests.map((x) => x.path)).toEqual([ORGS, usagePath(), overagePath(), prepaidPath()])
    expect(cookieOf(usagePath())).toBe(`sessionKey=${KEY}`)
    expect(server.requests[0]?.headers.accept).toBe('application/json')
    expect(r.fingerprint).toMatch(/^[0-9a-f]{12}$/)
  })

  it('a given org is used as is: no organisation list', async () => {
    routes(OTHER_ORG)
    const r = await ok(account({ org: OTHER_ORG }))
    expect(r.snapshot.windows.map((w) => w.id)).toEqual(['session', 'weekly', 'weekly:fable'])
    expect(server.count(ORGS)).toBe(0)
    expect(server.count(usagePath(OTHER_ORG))).toBe(1)
  })

  it('an org that is not a uuid is a config error before any request', async () => {
    const r = await fails(account({ org: 'my-org' }))
    expect(r.error).toMatchObject({ kind: 'config' })
    expect(server.requests).toEqual([])
  })

  it('no chat organisation: the first that is not API-only; only API orgs is a clear config error', () => {
    const api = { uuid: ORG, capabilities: ['api'] }
    const team = { uuid: OTHER_ORG, capabilities: ['claude_pro'] }
    expect(pickOrg([api, team])).toBe(OTHER_ORG)
    expect(pickOrg([api])).toBeNull()
  })

  it('only API organisations: "set org", not empty data', async () => {
    server.on(ORGS, { body: [fixture('organizations-200.json')[1]] })
    const r = await fails()
    expect(r.error).toMatchObject({
      kind: 'config',
      message: 'this claude.ai session has no organisation with chat',
    })
    expect(r.error.fix).toContain('"org"')
  })

  it('enterprise (null windows): no windows, never 0 %; the cap endpoint still gives extra usage', async () => {
    server.on(usagePath(), { body: fixture('usage-200-enterprise-null-session.json') })
    const r = await ok()
    expect(r.snapshot.windows).toEqual([])
    expect(r.snapshot.spend[0]).toMatchObject({ id: 'extra', used: 13.25, limit: 50 })
  })

  it('the cap and the credits are details: their failure leaves them out, the usage stays', async () => {
    server.on(overagePath(), {
      status: 404,
      body: { type: 'error', error: { type: 'not_found_error', message: 'nope' } },
    })
    server.on(prepaidPath(), { status: 500, body: {} })
    const r = await ok()
    expect(r.snapshot.windows).toHaveLength(3)
    expect(r.snapshot.spend).toEqual([])
    expect(r.snapshot.balances).toEqual([])
  })

  it('a disabled overage cap is no meter; a lower-case currency is normalised', async () => {
    server.on(overagePath(), { body: { ...fixture('overage-spend-limit-200.json'), is_enabled: false } })
    server.on(prepaidPath(), { body: { amount: 250, currency: 'eur' } })
    const r = await ok()
    expect(r.snapshot.spend).toEqual([])
    expect(r.snapshot.balances).toEqual([
      { id: 'prepaid', label: 'Prepaid credits', amount: 2.5, currency: 'EUR' },
    ])
  })
})

describe('claude-web session key rotation', () => {
  const rotating = (body: unknown): Reply => ({
    body,
    headers: {
      'set-cookie': `sessionKey=${ROTATED}; Path=/; Expires=Fri, 01 Jan 2027 00:00:00 GMT; HttpOnly; Secure`,
    },
  })

  it('a Set-Cookie sessionKey is used for the rest of the fetch and kept in quotabar’s own 0600 file', async () => {
    server.on(usagePath(), rotating(fixture('usage-200.json')))
    const r = await ok()
    expect(cookieOf(usagePath())).toBe(`sessionKey=${KEY}`)
    expect(cookieOf(overagePath())).toBe(`sessionKey=${ROTATED}`)
    const file = join(h.home, '.local/state', 'quotabar', 'claude-web-sessions.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toContain(ROTATED)
    expect(JSON.stringify(r)).not.toContain(ROTATED)

    // The next fetch starts with the rotated key; the fingerprint stays the configured key's.
    server.on(usagePath(), { body: fixture('usage-200.json') })
    const again = await ok()
    expect(cookieOf(ORGS)).toBe(`sessionKey=${ROTATED}`)
    expect(again.fingerprint).toBe(r.fingerprint)
  })

  it('a newly configured key is not overridden by the key rotated from the old one', async () => {
    server.on(usagePath(), rotating(fixture('usage-200.json')))
    await ok()
    const fresh = 'sk-ant-sid01-user-pasted-a-new-key-00000000'
    await ok(account(), { CLAUDE_WEB_SESSION_KEY: fresh })
    expect(cookieOf(ORGS)).toBe(`sessionKey=${fresh}`)
  })

  it('a Set-Cookie without a session key, or a non sk-ant value, changes nothing', async () => {
    server.on(usagePath(), {
      body: fixture('usage-200.json'),
      headers: { 'set-cookie': 'sessionKey=deleted; Max-Age=0' },
    })
    await ok()
    expect(cookieOf(prepaidPath())).toBe(`sessionKey=${KEY}`)
  })
})

describe('claude-web errors', () => {
  it('403 permission_error (invalid session) is expired: kind auth, copy a fresh sessionKey', async () => {
    server.on(ORGS, { status: 403, body: fixture('403-invalid-authorization.json') })
    const r = await fails()
    expect(r.error.kind).toBe('auth')
    expect(r.error.message).toContain('Invalid authorization for organization')
    expect(r.error.fix).toContain('fresh sessionKey')
    expect(r.error.fix).toContain('$CLAUDE_WEB_SESSION_KEY')
  })

  it('a Cloudflare HTML challenge (403 or 200) says so, and is not an expired login', async () => {
    server.on(ORGS, { status: 403, raw: CLOUDFLARE, headers: { 'content-type': 'text/html' } })
    const blocked = await fails()
    expect(blocked.error.kind).toBe('forbidden')
    expect(blocked.error.fix).toContain('Cloudflare')
    server.on(ORGS, { status: 200, raw: CLOUDFLARE, headers: { 'content-type': 'text/html' } })
    const challenge = await fails()
    expect(challenge.error.kind).toBe('schema')
    expect(challenge.error.fix).toContain('Cloudflare')
  })

  it('429 keeps Retry-After; no key anywhere is a credentials error with no request', async () => {
    server.on(ORGS, {
      status: 429,
      body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow' } },
      headers: { 'retry-after': '120' },
    })
    const limited = await fails()
    expect(limited).toMatchObject({ error: { kind: 'rate-limited' }, retryAfterSeconds: 120 })
    server.requests.length = 0
    const none = await fails(account(), { CLAUDE_WEB_SESSION_KEY: '' })
    expect(none.error.kind).toBe('credentials')
    expect(server.requests).toEqual([])
  })
})

describe('claude-web descriptor', () => {
  it('CLAUDE_WEB_SESSION_KEY and suffixed ones are accounts; floor 300 s', () => {
    expect(descriptor.defaultAccounts({ CLAUDE_WEB_SESSION_KEY_WORK: 'k' }, '/h', () => false)).toEqual([
      { provider: 'claude-web', id: 'work', apiKeyEnv: 'CLAUDE_WEB_SESSION_KEY_WORK' },
    ])
    expect(descriptor).toMatchObject({ minRefreshSeconds: 300, defaultRefreshSeconds: 600 })
  })
})
