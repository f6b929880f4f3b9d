import { readFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { anthropicAdapter } from '../../src/providers/anthropic/adapter.js'
import { anthropicDescriptor } from '../../src/providers/anthropic/descriptor.js'
import type { Account, FetchResult, ProviderDescriptor } from '../../src/providers/types.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, type Reply, refusedUrl, startServer } from '../helpers/server.js'
import { echoingReply, expectNoSecrets, plantSecret } from '../helpers/secrets.js'
import { fetchLoaded } from '../helpers/fetch.js'

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/anthropic', name), 'utf8'))
const NOW = new Date('2026-08-04T15:30:00Z')
const COST = '/v1/organizations/cost_report'
const USAGE = '/v1/organizations/usage_report/messages'
const KEY = 'sk-ant-admin01-TESTKEY-org-0123456789abcdefghij'
const OTHER_KEY = 'sk-ant-admin01-TESTKEY-lab-zyxwvutsrq9876543210'

let server: FakeServer
let home: TempHome
let seen: { path: string; query: URLSearchParams; headers: IncomingMessage['headers'] }[]
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
beforeEach(() => {
  home = makeHome()
  seen = []
})
afterEach(() => home.cleanup())

const query = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://x').searchParams

function route(path: string, reply: (q: URLSearchParams, req: IncomingMessage) => Reply) {
  server.on(path, (req) => {
    seen.push({ path, query: query(req), headers: req.headers })
    return reply(query(req), req)
  })
}

/** Two pages each, chained by the `next_page` cursor of page 1. */
function serveFullMonth() {
  const two = (first: string, second: string) => (q: URLSearchParams) => {
    const cursor = q.get('page')
    if (cursor === null) return { body: fixture(first) }
    return cursor === fixture(first).next_page ? { body: fixture(second) } : { status: 400, body: {} }
  }
  route(COST, two('cost-page1.json', 'cost-page2.json'))
  route(USAGE, two('usage-page1.json', 'usage-page2.json'))
}

function account(extra: Partial<Account> = {}): Account {
  return {
    provider: 'anthropic',
    id: 'org',
    key: 'anthropic/org',
    label: 'org',
    refreshSeconds: 900,
    baseUrl: server.url,
    apiKeyEnv: 'ANTHROPIC_TEST_KEY',
    ...extra,
  }
}

function fetch(a: Account, env: Record<string, string> = { ANTHROPIC_TEST_KEY: KEY }, timeoutMs = 2000) {
  return fetchLoaded(anthropicAdapter, a, {
    env: { ...home.env, ...env },
    home: home.home,
    now: () => NOW,
    timeoutMs,
  })
}

async function ok(r: Promise<FetchResult>) {
  const res = await r
  if (!res.ok) throw new Error(`expected ok, got ${res.error.kind}: ${res.error.message}`)
  return res
}

const summary = (r: {
  snapshot: { spend: { id: string; used: number; tokens?: number | null; requests?: number | null }[] }
}) => r.snapshot.spend.map((m) => [m.id, m.used, m.tokens, m.requests])

describe('anthropic admin spend', () => {
  it('follows both reports to the last page; cents become dollars; tokens include cache', async () => {
    serveFullMonth()
    const r = await ok(fetch(account()))
    expect(r.snapshot.spend).toEqual([
      {
        id: 'today',
        label: 'API costs (UTC)',
        used: 5,
        limit: null,
        currency: 'USD',
        period: 'day',
        tokens: 28000,
        requests: null,
      },
      {
        id: 'month',
        label: 'API costs (UTC)',
        used: 23,
        limit: null,
        currency: 'USD',
        period: 'month',
        tokens: 98000,
        requests: null,
      },
    ])
    expect(r.snapshot).toMatchObject({ plan: null, email: null, windows: [], fetchedAt: NOW.toISOString() })
    expect(seen.map((s) => [s.path, s.query.get('page')]).sort()).toEqual([
      [COST, null],
      [COST, 'page_MjAyNi0wOC0wM1QwMDowMDowMFo='],
      [USAGE, null],
      [USAGE, 'page_MjAyNi0wOC0wM1QwMDowMDowMFo='],
    ])
    for (const s of seen) {
      expect(s.query.get('starting_at')).toBe('2026-08-01T00:00:00Z')
      expect(s.query.get('bucket_width')).toBe('1d')
      expect(s.headers['x-api-key']).toBe(KEY)
      expect(s.headers['anthropic-version']).toBe('2023-06-01')
      expect(s.headers.authorization).toBeUndefined()
      expect([...s.query.keys()].some((k) => k.endsWith('[]'))).toBe(false)
    }
  })

  it('workspaceId filters usage and picks that workspace out of the grouped cost report', async () => {
    route(COST, (q) => ({
      body: fixture(q.get('group_by[]') === 'workspace_id' ? 'cost-by-workspace.json' : 'cost-page2.json'),
    }))
    route(USAGE, () => ({ body: fixture('usage-workspace.json') }))
    const r = await ok(fetch(account({ workspaceId: 'wrkspc_01TeamAlpha' })))
    const usage = seen.find((s) => s.path === USAGE)
    const cost = seen.find((s) => s.path === COST)
    expect(usage?.query.getAll('workspace_ids[]')).toEqual(['wrkspc_01TeamAlpha'])
    // The cost report has no filters, only grouping (§4.2).
    expect(cost?.query.getAll('group_by[]')).toEqual(['workspace_id'])
    expect(cost?.query.has('workspace_ids[]')).toBe(false)
    expect(summary(r)).toEqual([
      ['today', 3, 1100, null],
      ['month', 10, 6600, null],
    ])
    expect(r.snapshot.plan).toBe('workspace wrkspc_01TeamAlpha')
    expect(r.snapshot.spend[0]?.label).toBe('API costs (UTC)')
  })

  it('apiKeyId filters tokens; the money is org-wide and the label says so', async () => {
    serveFullMonth()
    route(USAGE, () => ({ body: fixture('usage-key.json') }))
    const r = await ok(fetch(account({ apiKeyId: 'apikey_01CiRunner' })))
    expect(seen.find((s) => s.path === USAGE)?.query.getAll('api_key_ids[]')).toEqual(['apikey_01CiRunner'])
    expect(summary(r)).toEqual([
      ['today', 5, 150, null],
      ['month', 23, 150, null],
    ])
    expect(r.snapshot.spend[0]?.label).toBe('API costs (UTC, whole org)')
    expect(r.snapshot.plan).toBe('key apikey_01CiRunner')
  })

  it('two accounts on one key, different workspaces, show different numbers and fingerprints', async () => {
    route(COST, () => ({ body: fixture('cost-by-workspace.json') }))
    route(USAGE, () => ({ body: fixture('usage-workspace.json') }))
    const alpha = await ok(fetch(account({ id: 'alpha', workspaceId: 'wrkspc_01TeamAlpha' })))
    const beta = await ok(fetch(account({ id: 'beta', workspaceId: 'wrkspc_01TeamBeta' })))
    expect(alpha.snapshot.spend.map((m) => m.used)).toEqual([3, 10])
    expect(beta.snapshot.spend.map((m) => m.used)).toEqual([1.5, 91.5])
    expect(alpha.fingerprint).not.toBe(beta.fingerprint)
  })

  it('two accounts with their own admin keys send their own key', async () => {
    route(COST, (_, req) => ({
      body: fixture(req.headers['x-api-key'] === OTHER_KEY ? 'cost-empty.json' : 'cost-page2.json'),
    }))
    route(USAGE, () => ({ body: fixture('usage-page2.json') }))
    const env = { ORG_KEY: KEY, LAB_KEY: OTHER_KEY }
    const org = await ok(fetch(account({ apiKeyEnv: 'ORG_KEY' }), env))
    const lab = await ok(fetch(account({ id: 'lab', apiKeyEnv: 'LAB_KEY' }), env))
    expect(org.snapshot.spend.map((m) => m.used)).toEqual([5, 7])
    expect(lab.snapshot.spend.map((m) => m.used)).toEqual([0, 0])
    expect(new Set(seen.map((s) => s.headers['x-api-key']))).toEqual(new Set([KEY, OTHER_KEY]))
  })

  it('uses $ANTHROPIC_ADMIN_KEY when the account names no key source', async () => {
    serveFullMonth()
    await ok(fetch(account({ apiKeyEnv: undefined }), { ANTHROPIC_ADMIN_KEY: OTHER_KEY }))
    expect(seen.every((s) => s.headers['x-api-key'] === OTHER_KEY)).toBe(true)
  })
})

describe('anthropic admin errors', () => {
  const fail = async (r: Promise<FetchResult>, secret = KEY) => {
    const res = await r
    if (res.ok) throw new Error('expected a failure')
    expect(JSON.stringify(res)).not.toContain(secret)
    return res
  }
  const both = (reply: Reply) => {
    route(COST, () => reply)
    route(USAGE, () => ({ body: fixture('usage-key.json') }))
  }

  it('no key → credentials error naming ANTHROPIC_ADMIN_KEY; no request', async () => {
    serveFullMonth()
    const r = await fail(fetch(account({ apiKeyEnv: undefined }), {}))
    expect(r.error).toMatchObject({
      kind: 'credentials',
      fix: expect.stringContaining('ANTHROPIC_ADMIN_KEY'),
    })
    expect(seen).toEqual([])
  })

  it('a workspaceId with query characters → config error; no request', async () => {
    const r = await fail(fetch(account({ workspaceId: 'wrkspc_1&group_by[]=x' })))
    expect(r.error).toMatchObject({ kind: 'config', message: expect.stringContaining('workspaceId') })
    expect(seen).toEqual([])
  })

  it('401 for an admin key → auth: the admin key was rejected', async () => {
    both({ status: 401, body: fixture('error-401.json') })
    const r = await fail(fetch(account()))
    expect(r.error).toMatchObject({ kind: 'auth', httpStatus: 401 })
    expect(r.error.message).toMatch(/^the admin key was rejected \(HTTP 401 .*invalid x-api-key/)
    expect(r.error.fix).toContain('$ANTHROPIC_TEST_KEY')
  })

  it('401 for a regular API key says it is not an admin key', async () => {
    both({ status: 401, body: fixture('error-401.json') })
    const regular = 'sk-ant-api03-TESTKEY-regular-abcdefghijkl'
    const r = await fail(fetch(account(), { ANTHROPIC_TEST_KEY: regular }), regular)
    expect(r.error.kind).toBe('auth')
    expect(r.error.message).toMatch(/^this is not an Admin API key \(sk-ant-admin…\)/)
    expect(r.error.fix).toContain('console.anthropic.com/settings/admin-keys')
  })

  it('403 "requires an Admin API key" → forbidden: not an admin key', async () => {
    both({ status: 403, body: fixture('error-403.json') })
    const regular = 'sk-ant-api03-TESTKEY-regular-abcdefghijkl'
    const r = await fail(fetch(account(), { ANTHROPIC_TEST_KEY: regular }), regular)
    expect(r.error).toMatchObject({ kind: 'forbidden', httpStatus: 403 })
    expect(r.error.message).toMatch(/not an Admin API key.*This endpoint requires an Admin API key/)
    expect(r.error.fix).toMatch(/individual accounts have no Admin API/)
  })

  it.each([
    ['with Retry-After', { 'retry-after': '45' }, 45],
    ['without Retry-After', undefined, null],
  ])('429 %s → rate-limited', async (_, headers, retry) => {
    both({ status: 429, headers, body: fixture('error-429.json') })
    const r = await fail(fetch(account()))
    expect(r.error).toMatchObject({ kind: 'rate-limited', httpStatus: 429 })
    expect(r.retryAfterSeconds).toBe(retry)
  })

  it.each([
    ['529 overloaded', { status: 529, body: fixture('error-529.json') }, 'http', /overloaded/],
    [
      '500',
      { status: 500, body: { type: 'error', error: { type: 'api_error', message: 'Internal' } } },
      'http',
      /trouble/,
    ],
    [
      'HTML error page',
      { status: 503, raw: '<html>Service Unavailable</html>', headers: { 'content-type': 'text/html' } },
      'http',
      /trouble/,
    ],
    [
      'HTML 200',
      { raw: '<!DOCTYPE html><p>sign in</p>', headers: { 'content-type': 'text/html' } },
      'schema',
      /captive portal/,
    ],
    ['drift (bad date)', { body: fixture('cost-drift.json') }, 'schema', /changed the usage and cost API/],
    [
      'drift (amount not a number)',
      {
        body: {
          data: [{ starting_at: '2026-08-04T00:00:00Z', results: [{ amount: 'ten' }] }],
          has_more: false,
        },
      },
      'schema',
      /changed/,
    ],
  ] as const)('%s → %s', async (_, reply, kind, fix) => {
    both(reply as Reply)
    const r = await fail(fetch(account()))
    expect(r.error.kind).toBe(kind)
    expect(r.error.fix).toMatch(fix)
  })

  it('drift names the field', async () => {
    both({ body: fixture('cost-drift.json') })
    const r = await fail(fetch(account()))
    expect(r.error.message).toContain('data[0].starting_at: not a date: "yesterday"')
  })

  it('timeout → timeout', async () => {
    both({ hang: true })
    const r = await fail(fetch(account(), undefined, 300))
    expect(r.error).toMatchObject({ kind: 'timeout', fix: expect.stringContaining('network') })
  })

  it('connection refused → network', async () => {
    const r = await fail(fetch(account({ baseUrl: await refusedUrl() })))
    expect(r.error).toMatchObject({ kind: 'network', message: expect.stringContaining('ECONNREFUSED') })
  })
})

describe('anthropic descriptor', () => {
  // Called as the render path calls it: through the interface.
  const descriptor: ProviderDescriptor = anthropicDescriptor
  it('discovers ANTHROPIC_ADMIN_KEY and suffixed keys; intervals; no credential files', () => {
    const env = { ANTHROPIC_ADMIN_KEY: KEY, ANTHROPIC_ADMIN_KEY_WORK: OTHER_KEY, ANTHROPIC_API_KEY: 'x' }
    expect(descriptor.defaultAccounts(env, '/h', () => false)).toEqual([
      { provider: 'anthropic', id: 'default', apiKeyEnv: 'ANTHROPIC_ADMIN_KEY' },
      { provider: 'anthropic', id: 'work', apiKeyEnv: 'ANTHROPIC_ADMIN_KEY_WORK' },
    ])
    expect(descriptor.credentialFiles({ provider: 'anthropic', id: 'x' }, env, '/h')).toEqual([])
    expect([descriptor.defaultRefreshSeconds, descriptor.minRefreshSeconds]).toEqual([900, 300])
  })
})

describe('anthropic secrets', () => {
  it('never shows the key in any form, even when the server echoes it', async () => {
    const key = plantSecret('sk-ant-admin01-', 'anthropic')
    server.on(USAGE, echoingReply([key]))
    server.on(COST, echoingReply([key]))
    const r = await fetch(account(), { ANTHROPIC_TEST_KEY: key })
    expect(r.ok).toBe(false)
    expect(server.requests.at(-1)?.headers['x-api-key']).toBe(key)
    expectNoSecrets([key], { texts: { result: JSON.stringify(r) } })
  })
})
