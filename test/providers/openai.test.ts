import { readFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openaiAdapter } from '../../src/providers/openai/adapter.js'
import { openaiDescriptor } from '../../src/providers/openai/descriptor.js'
import { MAX_PAGES } from '../../src/providers/pages.js'
import type { Account, FetchResult, ProviderDescriptor } from '../../src/providers/types.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, type Reply, refusedUrl, startServer } from '../helpers/server.js'
import { echoingReply, expectNoSecrets, plantSecret } from '../helpers/secrets.js'
import { fetchLoaded } from '../helpers/fetch.js'

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/openai', name), 'utf8'))
const NOW = new Date('2026-08-04T15:30:00Z')
const AUG_1 = '1785542400'
const COSTS = '/v1/organization/costs'
const COMPLETIONS = '/v1/organization/usage/completions'
const KEY = 'sk-admin-TESTKEY-org-0123456789abcdefghijklmn'
const OTHER_KEY = 'sk-admin-TESTKEY-lab-9876543210zyxwvutsrqpo'

let server: FakeServer
let home: TempHome
/** Every request's path and query, in order. */
let seen: { path: string; query: URLSearchParams; auth: string | undefined }[]
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

/** Serves `pages` in order by the `page` cursor each one names (`next_page` of the previous). */
function paged(path: string, pages: unknown[]) {
  server.on(path, (req) => {
    const q = query(req)
    seen.push({ path, query: q, auth: req.headers.authorization })
    const cursor = q.get('page')
    if (cursor === null) return { body: pages[0] }
    const i = pages.findIndex((_, n) => n > 0 && (pages[n - 1] as { next_page: string }).next_page === cursor)
    return i > 0 ? { body: pages[i] } : { status: 400, body: { error: { message: `bad cursor ${cursor}` } } }
  })
}

function serveFullMonth() {
  paged(COSTS, [fixture('costs-page1.json'), fixture('costs-page2.json')])
  paged(COMPLETIONS, [fixture('completions-page1.json'), fixture('completions-page2.json')])
}

function account(extra: Partial<Account> = {}): Account {
  return {
    provider: 'openai',
    id: 'org',
    key: 'openai/org',
    label: 'org',
    refreshSeconds: 900,
    baseUrl: server.url,
    apiKeyEnv: 'OPENAI_TEST_KEY',
    ...extra,
  }
}

function fetch(
  a: Account,
  env: Record<string, string> = { OPENAI_TEST_KEY: KEY },
  timeoutMs = 2000,
  now = NOW,
) {
  return fetchLoaded(openaiAdapter, a, {
    env: { ...home.env, ...env },
    home: home.home,
    now: () => now,
    timeoutMs,
  })
}

async function ok(r: Promise<FetchResult>) {
  const res = await r
  if (!res.ok) throw new Error(`expected ok, got ${res.error.kind}: ${res.error.message}`)
  return res
}

describe('openai admin spend', () => {
  it('follows both reports to the last page and sums today and this month (UTC)', async () => {
    serveFullMonth()
    const { snapshot } = await ok(fetch(account()))
    expect(snapshot.spend).toEqual([
      {
        id: 'today',
        label: 'API costs (UTC)',
        used: 3.3,
        limit: null,
        currency: 'USD',
        period: 'day',
        tokens: 80000,
        requests: 18,
      },
      {
        id: 'month',
        label: 'API costs (UTC)',
        used: 15.3,
        limit: null,
        currency: 'USD',
        period: 'month',
        tokens: 336000,
        requests: 90,
      },
    ])
    expect(snapshot).toMatchObject({ fetchedAt: NOW.toISOString(), plan: null, email: null, windows: [] })
    expect(seen.map((s) => [s.path, s.query.get('page')])).toEqual(
      expect.arrayContaining([
        [COSTS, null],
        [COSTS, 'page_Y29zdHMtcGFnZS0y'],
        [COMPLETIONS, null],
        [COMPLETIONS, 'page_dXNhZ2UtcGFnZS0y'],
      ]),
    )
    expect(seen).toHaveLength(4)
    for (const s of seen) {
      // Every page repeats the same range: daily buckets from the start of the UTC month.
      expect([s.query.get('start_time'), s.query.get('bucket_width'), s.query.get('limit')]).toEqual([
        AUG_1,
        '1d',
        '31',
      ])
      expect(s.query.has('project_ids[]')).toBe(false)
      expect(s.auth).toBe(`Bearer ${KEY}`)
    }
  })

  it('the month starts at 00:00 UTC whatever the local offset of now', async () => {
    serveFullMonth()
    // 2026-07-31 23:30 in UTC−05:00 is already August in UTC.
    await ok(fetch(account(), undefined, 2000, new Date('2026-07-31T23:30:00-05:00')))
    expect(new Set(seen.map((s) => s.query.get('start_time')))).toEqual(new Set([AUG_1]))
  })

  it('projectId and apiKeyId filter both calls and name the scope', async () => {
    paged(COSTS, [fixture('costs-project.json')])
    paged(COMPLETIONS, [fixture('completions-project.json')])
    const { snapshot } = await ok(fetch(account({ projectId: 'proj_Research42', apiKeyId: 'key_ci7Runner' })))
    expect(seen.map((s) => s.path).sort()).toEqual([COSTS, COMPLETIONS])
    for (const s of seen) {
      expect(s.query.getAll('project_ids[]')).toEqual(['proj_Research42'])
      expect(s.query.getAll('api_key_ids[]')).toEqual(['key_ci7Runner'])
    }
    expect(snapshot.plan).toBe('project proj_Research42 · key key_ci7Runner')
    expect(snapshot.spend.map((m) => [m.id, m.used, m.tokens, m.requests])).toEqual([
      ['today', 0.42, 4000, 4],
      ['month', 1.5, 4000, 4],
    ])
  })

  it('two accounts on one admin key, filtered to different projects, show different numbers', async () => {
    const byProject = (path: string, research: string, rest: string) =>
      server.on(path, (req) => {
        seen.push({ path, query: query(req), auth: req.headers.authorization })
        return { body: fixture(query(req).get('project_ids[]') === 'proj_Research42' ? research : rest) }
      })
    byProject(COSTS, 'costs-project.json', 'costs-multi-currency.json')
    byProject(COMPLETIONS, 'completions-project.json', 'completions-empty.json')
    const research = await ok(fetch(account({ id: 'research', projectId: 'proj_Research42' })))
    const web = await ok(fetch(account({ id: 'web', projectId: 'proj_Web7' })))
    expect(research.snapshot.spend.find((m) => m.id === 'month')?.used).toBe(1.5)
    expect(web.snapshot.spend.find((m) => m.id === 'month')?.used).toBe(2)
    expect(research.snapshot.plan).toBe('project proj_Research42')
    expect(web.snapshot.plan).toBe('project proj_Web7')
    // Same key, other scope: a different fingerprint, so one account's cache never serves the other.
    expect(research.fingerprint).not.toBe(web.fingerprint)
    expect(research.fingerprint).toMatch(/^[0-9a-f]{12}$/)
  })

  it('two accounts with their own admin keys send their own key and get their own numbers', async () => {
    for (const path of [COSTS, COMPLETIONS]) {
      server.on(path, (req) => {
        seen.push({ path, query: query(req), auth: req.headers.authorization })
        const lab = req.headers.authorization === `Bearer ${OTHER_KEY}`
        const name = path === COSTS ? 'costs' : 'completions'
        return { body: fixture(lab ? `${name}-project.json` : `${name}-page2.json`) }
      })
    }
    const env = { ORG_KEY: KEY, LAB_KEY: OTHER_KEY }
    const org = await ok(fetch(account({ apiKeyEnv: 'ORG_KEY' }), env))
    const lab = await ok(fetch(account({ id: 'lab', apiKeyEnv: 'LAB_KEY' }), env))
    expect(org.snapshot.spend.map((m) => m.used)).toEqual([3.3, 3.3])
    expect(lab.snapshot.spend.map((m) => m.used)).toEqual([0.42, 1.5])
    expect(new Set(seen.map((s) => s.auth))).toEqual(new Set([`Bearer ${KEY}`, `Bearer ${OTHER_KEY}`]))
    expect(org.fingerprint).not.toBe(lab.fingerprint)
  })

  it('keeps one pair of meters per currency and never adds them up', async () => {
    paged(COSTS, [fixture('costs-multi-currency.json')])
    paged(COMPLETIONS, [fixture('completions-project.json')])
    const { snapshot } = await ok(fetch(account()))
    expect(snapshot.spend.map((m) => [m.id, m.currency, m.period, m.used, m.tokens ?? 'none'])).toEqual([
      ['today', 'USD', 'day', 2, 4000],
      ['month', 'USD', 'month', 2, 4000],
      ['today:eur', 'EUR', 'day', 3, 'none'],
      ['month:eur', 'EUR', 'month', 4, 'none'],
    ])
  })

  it('a month with no spend yet is a real zero in USD, with zero tokens', async () => {
    paged(COSTS, [fixture('costs-empty.json')])
    paged(COMPLETIONS, [fixture('completions-empty.json')])
    const { snapshot } = await ok(fetch(account()))
    expect(snapshot.spend.map((m) => [m.id, m.used, m.currency, m.tokens, m.requests])).toEqual([
      ['today', 0, 'USD', 0, 0],
      ['month', 0, 'USD', 0, 0],
    ])
  })

  it('uses $OPENAI_ADMIN_KEY when the account names no key source', async () => {
    serveFullMonth()
    await ok(fetch(account({ apiKeyEnv: undefined }), { OPENAI_ADMIN_KEY: OTHER_KEY }))
    expect(seen.every((s) => s.auth === `Bearer ${OTHER_KEY}`)).toBe(true)
  })
})

describe('openai admin errors', () => {
  const fail = async (r: Promise<FetchResult>) => {
    const res = await r
    if (res.ok) throw new Error('expected a failure')
    expect(JSON.stringify(res)).not.toContain(KEY)
    return res
  }
  const both = (reply: Reply) => {
    server.on(COSTS, reply)
    server.on(COMPLETIONS, { body: fixture('completions-empty.json') })
  }

  it('no key at all → credentials error naming OPENAI_ADMIN_KEY; no request', async () => {
    serveFullMonth()
    const r = await fail(fetch(account({ apiKeyEnv: undefined }), {}))
    expect(r.error).toMatchObject({ kind: 'credentials', fix: expect.stringContaining('OPENAI_ADMIN_KEY') })
    expect(seen).toEqual([])
  })

  it('an unset apiKeyEnv is named, not silently replaced by OPENAI_ADMIN_KEY', async () => {
    const r = await fail(fetch(account(), { OPENAI_ADMIN_KEY: KEY }))
    expect(r.error).toMatchObject({ kind: 'credentials', message: '$OPENAI_TEST_KEY is not set' })
  })

  it('a projectId that could smuggle a query parameter → config error; no request', async () => {
    serveFullMonth()
    const r = await fail(fetch(account({ projectId: 'proj_a&limit=1' })))
    expect(r.error).toMatchObject({ kind: 'config', message: expect.stringContaining('projectId') })
    expect(seen).toEqual([])
  })

  it('401 → auth: the admin key was rejected; an echoed key is redacted', async () => {
    both({
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${KEY}.`, code: 'invalid_api_key' } },
    })
    const r = await fail(fetch(account()))
    expect(r.error.kind).toBe('auth')
    expect(r.error.httpStatus).toBe(401)
    expect(r.error.message).toMatch(/^the admin key was rejected \(HTTP 401 .*\[redacted\]/)
    expect(r.error.fix).toContain('$OPENAI_TEST_KEY')
    expect(r.fingerprint).toMatch(/^[0-9a-f]{12}$/)
  })

  it('403 for a project key → "this is not an admin key (sk-admin-…)" with where to create one', async () => {
    both({ status: 403, body: fixture('error-403-missing-scope.json') })
    const r = await fail(fetch(account(), { OPENAI_TEST_KEY: 'sk-proj-TESTKEY-abcdefghijklmnop' }))
    expect(r.error).toMatchObject({ kind: 'forbidden', httpStatus: 403 })
    expect(r.error.message).toMatch(
      /^this is not an admin key \(sk-admin-…\): HTTP 403 .*Missing scopes: api\.usage\.read/,
    )
    expect(r.error.fix).toContain('platform.openai.com/settings/organization/admin-keys')
    expect(JSON.stringify(r)).not.toContain('sk-proj-TESTKEY-abcdefghijklmnop')
  })

  it('403 for an admin key says the key lacks the usage scope', async () => {
    both({ status: 403, body: fixture('error-403-missing-scope.json') })
    const r = await fail(fetch(account()))
    expect(r.error.kind).toBe('forbidden')
    expect(r.error.message).not.toContain('not an admin key')
    expect(r.error.fix).toContain('api.usage.read')
  })

  it.each([
    ['with Retry-After', { 'retry-after': '120' }, 120],
    ['without Retry-After', undefined, null],
  ])('429 %s → rate-limited, the delay handed to the cache', async (_, headers, retry) => {
    both({ status: 429, headers, body: fixture('error-429.json') })
    const r = await fail(fetch(account()))
    expect(r.error).toMatchObject({ kind: 'rate-limited', httpStatus: 429 })
    expect(r.error.fix).toContain('waits')
    expect(r.retryAfterSeconds).toBe(retry)
  })

  it.each([
    ['500', { status: 500, body: { error: { message: 'The server had an error' } } }, 'http', /trouble/],
    [
      '502 HTML',
      { status: 502, raw: '<html><body>Bad gateway</body></html>', headers: { 'content-type': 'text/html' } },
      'http',
      /trouble/,
    ],
    [
      '200 HTML (captive portal)',
      { raw: '<!doctype html><title>Login</title>', headers: { 'content-type': 'text/html' } },
      'schema',
      /proxy or captive portal/,
    ],
    ['drift (amount not a number)', { body: fixture('costs-drift.json') }, 'schema', /changed the usage API/],
    ['404', { status: 404, body: { error: { message: 'Not found' } } }, 'http', /baseUrl/],
  ] as const)('%s → %s with a fix', async (_, reply, kind, fix) => {
    both(reply as Reply)
    const r = await fail(fetch(account()))
    expect(r.error.kind).toBe(kind)
    expect(r.error.fix).toMatch(fix)
  })

  it('drift names the field', async () => {
    both({ body: fixture('costs-drift.json') })
    const r = await fail(fetch(account()))
    expect(r.error.message).toContain('(data[0].results[0].amount.value:')
  })

  it('a failure on page 2 fails the fetch instead of showing half a month', async () => {
    server.on(COSTS, (req) =>
      query(req).get('page')
        ? { status: 503, body: { error: { message: 'busy' } } }
        : { body: fixture('costs-page1.json') },
    )
    server.on(COMPLETIONS, { body: fixture('completions-empty.json') })
    const r = await fail(fetch(account()))
    expect(r.error).toMatchObject({ kind: 'http', httpStatus: 503 })
  })

  it(`a server that never stops paging is cut off after ${MAX_PAGES} pages`, async () => {
    let n = 0
    server.on(COSTS, () => {
      n += 1
      return { body: { object: 'page', data: [], has_more: true, next_page: `page_${n}` } }
    })
    server.on(COMPLETIONS, { body: fixture('completions-empty.json') })
    const r = await fail(fetch(account(), undefined, 5000))
    expect(n).toBe(MAX_PAGES)
    expect(r.error.message).toContain(`after ${MAX_PAGES}`)
  })

  it('has_more without a next_page cursor: an error saying the total is incomplete, no figure', async () => {
    const page1 = fixture('costs-page1.json')
    server.on(COSTS, { body: { ...page1, has_more: true, next_page: null } })
    server.on(COMPLETIONS, { body: fixture('completions-empty.json') })
    const r = await fail(fetch(account()))
    expect(r.error).toMatchObject({ kind: 'schema', message: expect.stringContaining('incomplete') })
    expect(r.error.message).toContain('/v1/organization/costs')
  })

  it('the same cursor twice is a schema error, not a loop', async () => {
    server.on(COSTS, { body: { object: 'page', data: [], has_more: true, next_page: 'page_same' } })
    server.on(COMPLETIONS, { body: fixture('completions-empty.json') })
    const r = await fail(fetch(account()))
    expect(r.error).toMatchObject({ kind: 'schema', message: expect.stringContaining('same next_page') })
  })

  it('timeout → timeout with the network fix', async () => {
    both({ hang: true })
    const r = await fail(fetch(account(), undefined, 300))
    expect(r.error).toMatchObject({ kind: 'timeout', fix: expect.stringContaining('network') })
  })

  it('connection refused → network', async () => {
    const r = await fail(fetch(account({ baseUrl: await refusedUrl() })))
    expect(r.error).toMatchObject({ kind: 'network', fix: expect.stringContaining('network') })
    expect(r.error.message).toContain('ECONNREFUSED')
  })

  it('plain http to a remote host is refused before the key leaves', async () => {
    const r = await fail(fetch(account({ baseUrl: 'http://openai.example.com' })))
    expect(r.error).toMatchObject({ kind: 'config', fix: expect.stringContaining('https') })
  })
})

describe('openai descriptor', () => {
  // Called as the render path calls it: through the interface.
  const descriptor: ProviderDescriptor = openaiDescriptor
  it('discovers OPENAI_ADMIN_KEY and suffixed keys by variable name only', () => {
    const env = {
      OPENAI_ADMIN_KEY: KEY,
      OPENAI_ADMIN_KEY_LAB: OTHER_KEY,
      OPENAI_ADMIN_KEY_EMPTY: '',
      OPENAI_API_KEY: 'x',
    }
    const accounts = descriptor.defaultAccounts(env, '/home/nobody', () => false)
    expect(accounts).toEqual([
      { provider: 'openai', id: 'default', apiKeyEnv: 'OPENAI_ADMIN_KEY' },
      { provider: 'openai', id: 'lab', apiKeyEnv: 'OPENAI_ADMIN_KEY_LAB' },
    ])
    expect(JSON.stringify(accounts)).not.toContain(KEY)
    expect(descriptor.defaultAccounts({}, '/home/nobody', () => true)).toEqual([])
  })

  it('keys live in the environment or a command: no credential files; 15 min default, 5 min floor', () => {
    expect(descriptor.credentialFiles({ provider: 'openai', id: 'x' }, {}, '/h')).toEqual([])
    expect([descriptor.defaultRefreshSeconds, descriptor.minRefreshSeconds]).toEqual([900, 300])
    expect(descriptor.loginCommand).toBeNull()
  })
})

describe('openai secrets', () => {
  it('never shows the key in any form, even when the server echoes it', async () => {
    const key = plantSecret('sk-admin-', 'openai')
    server.on(COSTS, echoingReply([key]))
    server.on(COMPLETIONS, echoingReply([key]))
    const r = await fetch(account(), { OPENAI_TEST_KEY: key })
    expect(r.ok).toBe(false)
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${key}`)
    expectNoSecrets([key], { texts: { result: JSON.stringify(r) } })
  })
})
