import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { inspectCredential } from '../../src/accounts/credential-info.js'
import { antigravityAdapter } from '../../src/providers/antigravity/adapter.js'
import { antigravityDescriptor as untypedDescriptor } from '../../src/providers/antigravity/descriptor.js'
import type { Account, FetchResult, ProviderDescriptor } from '../../src/providers/types.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, startServer } from '../helpers/server.js'
import { echoingReply, expectNoSecrets, plantSecret } from '../helpers/secrets.js'

const descriptor: ProviderDescriptor = untypedDescriptor
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/antigravity', name), 'utf8'))
const NOW = new Date('2026-07-14T10:00:00Z')
const QUOTA = '/v1internal:retrieveUserQuotaSummary'
const ACCESS = 'ya29.antigravity-test-access-token'
const REFRESH = '1//antigravity-test-refresh-token'

let server: FakeServer
let home: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => home?.cleanup())

/** Writes `<home>/<dir>/antigravity-cli/antigravity-oauth-token` and returns the account and file. */
function login(token: unknown, dir = '.gemini'): { account: Account; file: string } {
  home = makeHome()
  const folder = join(home.home, dir, 'antigravity-cli')
  mkdirSync(folder, { recursive: true })
  const file = join(folder, 'antigravity-oauth-token')
  writeFileSync(file, typeof token === 'string' ? token : JSON.stringify(token), { mode: 0o600 })
  const account: Account = {
    provider: 'antigravity',
    id: 'default',
    key: 'antigravity/default',
    label: 'default',
    refreshSeconds: 600,
    baseUrl: server.url,
    ...(dir === '.gemini' ? {} : { configDir: join(home.home, dir) }),
  }
  return { account, file }
}

const valid = (expiry: unknown = '2026-07-14T10:45:00.123456789Z') => ({
  token: { access_token: ACCESS, token_type: 'Bearer', refresh_token: REFRESH, expiry },
})

function fetchUsage(account: Account): Promise<FetchResult> {
  return antigravityAdapter.fetchUsage(account, {
    env: home.env,
    home: home.home,
    now: () => NOW,
    timeoutMs: 2000,
  })
}

async function ok(account: Account) {
  const r = await fetchUsage(account)
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`)
  return r
}

describe('antigravity quota summary', () => {
  it('paid: a 5-hour and a weekly window per group, used = 100 × (1 − remainingFraction)', async () => {
    const { account } = login(valid())
    server.on(`POST ${QUOTA}`, { body: fixture('retrieve_user_quota_summary.paid_2026-07.json') })
    const r = await ok(account)
    expect(r.snapshot.windows).toEqual([
      {
        id: 'weekly:gemini',
        label: 'Gemini 7d',
        usedPercent: expect.closeTo(100 * (1 - 0.9977627), 9),
        resetsAt: '2026-07-21T09:33:43.000Z',
        windowSeconds: 604800,
      },
      {
        id: 'session:gemini',
        label: 'Gemini 5h',
        usedPercent: expect.closeTo(100 * (1 - 0.986576), 9),
        resetsAt: '2026-07-14T14:33:43.000Z',
        windowSeconds: 18000,
      },
      {
        id: 'weekly:3p',
        label: 'Claude and GPT 7d',
        usedPercent: 0,
        resetsAt: '2026-07-21T10:22:10.000Z',
        windowSeconds: 604800,
      },
      {
        id: 'session:3p',
        label: 'Claude and GPT 5h',
        usedPercent: 0,
        resetsAt: '2026-07-14T15:22:10.000Z',
        windowSeconds: 18000,
      },
    ])
    expect(r.snapshot.plan).toBeNull()
    const req = server.requests.filter((x) => x.path === QUOTA).at(-1)
    expect(req?.method).toBe('POST')
    expect(req?.headers.authorization).toBe(`Bearer ${ACCESS}`)
  })

  it('free: weekly buckets only, plan Free', async () => {
    const { account } = login(valid())
    server.on(`POST ${QUOTA}`, { body: fixture('retrieve_user_quota_summary.free_2026-07.json') })
    const r = await ok(account)
    expect(r.snapshot.windows.map((w) => [w.id, w.label, Math.round(w.usedPercent * 100) / 100])).toEqual([
      ['weekly:gemini', 'Gemini 7d', 5.29],
      ['weekly:3p', 'Claude and GPT 7d', 6.19],
    ])
    expect(r.snapshot.plan).toBe('Free')
  })

  it('an unknown window kind or a bucket without a fraction is absent, never 0 %', async () => {
    const { account } = login(valid())
    server.on(`POST ${QUOTA}`, {
      body: {
        groups: [
          {
            displayName: 'Gemini Models',
            buckets: [
              { bucketId: 'gemini-daily', window: 'daily', remainingFraction: 0.5 },
              { bucketId: 'gemini-weekly', window: 'weekly' },
            ],
          },
        ],
      },
    })
    expect((await ok(account)).snapshot.windows).toEqual([])
  })

  it('a fingerprint from the refresh token: the same login across access-token renewals', async () => {
    const a = login(valid())
    server.on(`POST ${QUOTA}`, { body: fixture('retrieve_user_quota_summary.free_2026-07.json') })
    const first = (await ok(a.account)).fingerprint
    writeFileSync(a.file, JSON.stringify({ token: { ...valid().token, access_token: 'ya29.renewed' } }))
    expect((await ok(a.account)).fingerprint).toBe(first)
    expect(JSON.stringify(first)).not.toContain(REFRESH)
  })
})

describe('antigravity login (read-only, never refreshed here)', () => {
  it('an expired token: kind auth, "open Antigravity", no request, the file untouched', async () => {
    const { account, file } = login(valid('2026-07-14T09:59:00Z'))
    const before = statSync(file).mtimeMs
    const count = server.requests.length
    const r = await fetchUsage(account)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'auth', message: 'the Antigravity login expired' })
    if (!r.ok) expect(r.error.fix).toContain('open Antigravity')
    expect(server.requests.length).toBe(count)
    expect(statSync(file).mtimeMs).toBe(before)
  })

  it('Go zero time and a missing expiry mean no known expiry; epoch seconds work too', async () => {
    server.on(`POST ${QUOTA}`, { body: fixture('retrieve_user_quota_summary.free_2026-07.json') })
    await ok(login(valid('0001-01-01T00:00:00Z')).account)
    await ok(login({ token: { access_token: ACCESS } }).account)
    const r = await fetchUsage(login(valid(NOW.getTime() / 1000 - 60)).account)
    expect(r.ok).toBe(false)
  })

  it('configDir names another home; no file there is a credentials error naming the path', async () => {
    const { account } = login(valid(), 'agy-work')
    server.on(`POST ${QUOTA}`, { body: fixture('retrieve_user_quota_summary.free_2026-07.json') })
    await ok(account)
    const r = await fetchUsage({ ...account, configDir: join(home.home, 'nowhere') })
    expect(r.ok).toBe(false)
    if (!r.ok)
      expect(r.error.message).toContain(
        join(home.home, 'nowhere', 'antigravity-cli', 'antigravity-oauth-token'),
      )
  })

  it('a damaged file is a credentials error', async () => {
    const r = await fetchUsage(login('{"token":').account)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.kind).toBe('credentials')
  })

  it('401 is auth with the same fix, 403 forbidden, 429 keeps Retry-After; the token never shows', async () => {
    const { account } = login(valid())
    const envelope = (code: number, status: string) => ({
      error: { code, message: `denied ${ACCESS}`, status },
    })
    server.on(`POST ${QUOTA}`, { status: 401, body: envelope(401, 'UNAUTHENTICATED') })
    const auth = await fetchUsage(account)
    expect(auth.ok).toBe(false)
    if (!auth.ok)
      expect(auth.error).toMatchObject({ kind: 'auth', fix: expect.stringContaining('open Antigravity') })
    expect(JSON.stringify(auth)).not.toContain(ACCESS)
    server.on(`POST ${QUOTA}`, { status: 403, body: envelope(403, 'PERMISSION_DENIED') })
    const forbidden = await fetchUsage(account)
    if (!forbidden.ok) expect(forbidden.error.kind).toBe('forbidden')
    server.on(`POST ${QUOTA}`, {
      status: 429,
      body: envelope(429, 'RESOURCE_EXHAUSTED'),
      headers: { 'retry-after': '30' },
    })
    const limited = await fetchUsage(account)
    expect(limited.ok).toBe(false)
    if (!limited.ok) expect(limited.retryAfterSeconds).toBe(30)
  })

  it('doctor sees the file, its expiry and a fingerprint, never the token', async () => {
    const { account, file } = login(valid())
    const info = await inspectCredential(account, {
      env: home.env,
      home: home.home,
      now: () => NOW,
      timeoutMs: 2000,
    })
    expect(info).toMatchObject({ found: true, source: file, expiresAt: '2026-07-14T10:45:00.123Z' })
    expect(info.fingerprint).toMatch(/^sha256:[0-9a-f]{8}$/)
    expect(JSON.stringify(info)).not.toContain(ACCESS)
  })
})

describe('antigravity descriptor', () => {
  it('the default account when ~/.gemini has the login; the token file is watched; floor 300 s', () => {
    const file = '/h/.gemini/antigravity-cli/antigravity-oauth-token'
    expect(descriptor.defaultAccounts({}, '/h', (p) => p === file)).toEqual([
      { provider: 'antigravity', id: 'default', configDir: '/h/.gemini' },
    ])
    expect(descriptor.defaultAccounts({}, '/h', () => false)).toEqual([])
    expect(descriptor.credentialFiles({ provider: 'antigravity', id: 'd' }, {}, '/h')).toEqual([file])
    expect(descriptor).toMatchObject({ loginCommand: 'agy', minRefreshSeconds: 300 })
  })
})

describe('antigravity secrets', () => {
  it('never shows a token in any form, even when the server echoes it', async () => {
    const access = plantSecret('ya29.', 'antigravity')
    const { account } = login({ token: { ...valid().token, access_token: access } })
    server.on(`POST ${QUOTA}`, echoingReply([access]))
    const r = await fetchUsage(account)
    expect(r.ok).toBe(false)
    expectNoSecrets([access, REFRESH], { texts: { result: JSON.stringify(r) } })
  })
})
