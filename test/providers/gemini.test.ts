import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { geminiAdapter } from '../../src/providers/gemini/adapter.js'
import { geminiDescriptor, geminiDir } from '../../src/providers/gemini/descriptor.js'
import { modelLabels } from '../../src/providers/gemini/quota.js'
import type { Account, FetchResult } from '../../src/providers/types.js'
import { FAR_FUTURE_MS, makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, type Reply, refusedUrl, startServer } from '../helpers/server.js'
import { echoingReply, expectNoSecrets, plantSecret } from '../helpers/secrets.js'
import { fetchLoaded } from '../helpers/fetch.js'

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/gemini', name), 'utf8'))
const NOW = new Date('2026-11-22T10:00:00Z')
const LOAD = '/v1internal:loadCodeAssist'
const QUOTA = '/v1internal:retrieveUserQuota'
const TOKEN = '/token'
const ACCESS = 'ya29.a0TEST-access-token-from-file-1a2b3c'
const REFRESH = '1//0gTEST-refresh-token-never-rotates-4d5e6f'
const NEW_ACCESS = 'ya29.c0REFRESHED-token-in-memory-only-9f8e7d'

let server: FakeServer
let home: TempHome
let bodies: Record<string, string[]> = {}
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
beforeEach(() => {
  bodies = {}
  route(LOAD, { body: fixture('load-free-tier.json') })
  route(QUOTA, { body: fixture('quota-free-tier.json') })
  route(TOKEN, { body: fixture('token-refresh.json') })
})
afterEach(() => home?.cleanup())

/** Routes a POST and records its body; a function reply sees how many calls came before. */
function route(path: string, reply: Reply | ((n: number) => Reply)) {
  server.on(`POST ${path}`, (req) => {
    const seen = bodies[path]?.length ?? 0
    let text = ''
    req.on('data', (chunk) => {
      text += chunk
    })
    req.on('end', () => {
      bodies[path] = [...(bodies[path] ?? []), text]
    })
    return { delayMs: 5, ...(typeof reply === 'function' ? reply(seen) : reply) }
  })
}

const jwt = (claims: object) =>
  ['{"alg":"none"}', JSON.stringify(claims), 'sig'].map((p) => Buffer.from(p).toString('base64url')).join('.')

interface LoginOptions {
  access?: string | null
  refresh?: string | null
  expiry?: number | null
  claims?: object | null
  settings?: unknown
  accounts?: unknown
}

/** One temp HOME at a time: a test that sets up twice drops the first. */
function freshHome(): TempHome {
  home?.cleanup()
  home = makeHome()
  return home
}

/** Writes a Gemini CLI home the way gemini-cli does (oauth_creds.json, settings, accounts). */
function writeLogin(dir: string, o: LoginOptions = {}): string {
  mkdirSync(dir, { recursive: true })
  const creds: Record<string, unknown> = {
    access_token: o.access === undefined ? ACCESS : o.access,
    scope: 'https://www.googleapis.com/auth/cloud-platform openid',
    token_type: 'Bearer',
    id_token:
      o.claims === null ? undefined : jwt(o.claims ?? { sub: '1170000000042', email: 'ada@example.com' }),
    expiry_date: o.expiry === undefined ? FAR_FUTURE_MS : o.expiry,
    refresh_token: o.refresh === undefined ? REFRESH : o.refresh,
  }
  const file = join(dir, 'oauth_creds.json')
  writeFileSync(file, JSON.stringify(creds, null, 2), { mode: 0o600 })
  if (o.settings !== undefined) {
    const text = typeof o.settings === 'string' ? o.settings : JSON.stringify(o.settings)
    writeFileSync(join(dir, 'settings.json'), text)
  }
  if (o.accounts !== undefined) writeFileSync(join(dir, 'google_accounts.json'), JSON.stringify(o.accounts))
  return file
}

/** A second Gemini home (`GEMINI_CLI_HOME=<home>/work`), the multi-account layout. */
function setup(o: LoginOptions = {}, extra: Partial<Account> = {}): Account {
  freshHome()
  const dir = join(home.home, 'work', '.gemini')
  writeLogin(dir, o)
  return {
    provider: 'gemini',
    id: 'work',
    key: 'gemini/work',
    label: 'work',
    refreshSeconds: 600,
    configDir: dir,
    baseUrl: server.url,
    ...extra,
  }
}

/** The standard `~/.gemini`, no configDir: fixes then say plain "run `gemini`". */
function setupDefault(o: LoginOptions = {}): Account {
  freshHome()
  writeLogin(join(home.home, '.gemini'), o)
  return {
    provider: 'gemini',
    id: 'default',
    key: 'gemini/default',
    label: 'default',
    refreshSeconds: 600,
    baseUrl: server.url,
  }
}

function fetch(account: Account, env: Record<string, string> = {}, timeoutMs = 2000): Promise<FetchResult> {
  return fetchLoaded(geminiAdapter, account, {
    env: { ...home.env, ...env },
    home: home.home,
    now: () => NOW,
    timeoutMs,
  })
}

async function snapshotOf(account = setup()) {
  const r = await fetch(account)
  if (!r.ok) throw new Error(`expected ok, got ${r.error.message}`)
  return r.snapshot
}

const lastRequest = (path: string) => server.requests.filter((r) => r.path === path).at(-1)
const secretsIn = (r: FetchResult) => /ya29\.|1\/\/0g/.test(JSON.stringify(r))

describe('gemini quota mapping', () => {
  it('free tier: daily model windows, 1970 placeholders hidden, plan and email', async () => {
    const s = await snapshotOf()
    expect(s.windows).toEqual([
      {
        id: 'model:gemini-2.5-flash',
        label: '2.5-flash',
        usedPercent: 25,
        resetsAt: '2026-11-23T06:12:40.000Z',
        windowSeconds: 86400,
      },
      {
        id: 'model:gemini-2.5-flash-lite',
        label: '2.5-flash-lite',
        usedPercent: 0,
        resetsAt: '2026-11-23T07:30:05.000Z',
        windowSeconds: 86400,
      },
      {
        id: 'model:gemini-3-flash-preview',
        label: '3-flash',
        usedPercent: 25,
        resetsAt: '2026-11-23T06:12:40.000Z',
        windowSeconds: 86400,
      },
      {
        id: 'model:gemini-3.1-flash-lite-preview',
        label: '3.1-flash-lite',
        usedPercent: 0,
        resetsAt: '2026-11-23T07:30:05.000Z',
        windowSeconds: 86400,
      },
    ])
    expect([s.plan, s.email, s.spend, s.fetchedAt]).toEqual([
      'Free',
      'ada@example.com',
      [],
      NOW.toISOString(),
    ])
  })

  it('sends the bearer token, gemini-cli metadata, and the returned project to retrieveUserQuota', async () => {
    await snapshotOf()
    expect(lastRequest(LOAD)?.headers.authorization).toBe(`Bearer ${ACCESS}`)
    expect(lastRequest(QUOTA)?.headers.authorization).toBe(`Bearer ${ACCESS}`)
    expect(lastRequest(QUOTA)?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(bodies[LOAD]?.[0] ?? '')).toEqual({
      metadata: { ideType: 'IDE_UNSPECIFIED', platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' },
    })
    expect(JSON.parse(bodies[QUOTA]?.[0] ?? '')).toEqual({ project: 'quiet-harbor-4821' })
    expect(bodies[TOKEN]).toBeUndefined()
  })

  it('a free tier with a Workspace domain (hd claim) is labelled Workspace', async () => {
    const s = await snapshotOf(
      setup({ claims: { sub: '42', email: 'dev@corp.example', hd: 'corp.example' } }),
    )
    expect([s.plan, s.email]).toEqual(['Workspace', 'dev@corp.example'])
  })

  it('standard paid tier: paidTier.name is the plan, the project comes from loadCodeAssist', async () => {
    route(LOAD, { body: fixture('load-standard-paid.json') })
    route(QUOTA, { body: fixture('quota-multi-bucket.json') })
    const s = await snapshotOf()
    expect(s.plan).toBe('Gemini Code Assist Standard')
    expect(JSON.parse(bodies[QUOTA]?.[0] ?? '')).toEqual({ project: 'acme-dev-tools-77' })
  })

  it('several buckets per model: the lowest remaining fraction wins, remainingAmount is ignored', async () => {
    route(QUOTA, { body: fixture('quota-multi-bucket.json') })
    const s = await snapshotOf()
    expect(s.windows.map((w) => [w.id, w.label, w.usedPercent, w.resetsAt])).toEqual([
      ['model:gemini-2.5-pro', '2.5-pro', 64, '2026-11-23T08:00:00.000Z'],
      ['model:gemini-2.5-flash', '2.5-flash', 20, '2026-11-23T08:00:00.000Z'],
      ['model:gemini-2.5-flash-lite', '2.5-flash-lite', 0, '2026-11-23T08:00:00.000Z'],
      // Exhausted with a real reset time is 100 %, unlike the 1970 "not on this tier" placeholder.
      ['model:gemini-3-pro-preview', '3-pro', 100, '2026-11-22T21:15:30.000Z'],
    ])
  })

  it('keeps what parses: a malformed bucket drops only itself, with a note', async () => {
    const { buckets } = fixture('quota-multi-bucket.json')
    route(QUOTA, { body: { buckets: [buckets[2], { ...buckets[3], remainingFraction: 'bad' }] } })
    const s = await snapshotOf()
    expect(s.windows.map((w) => [w.id, w.usedPercent])).toEqual([['model:gemini-2.5-flash', 20]])
    expect(s.notes).toEqual([expect.stringMatching(/^bucket left out \(buckets\[1\]\.remainingFraction: /)])
  })

  it('an empty quota ({}) is a snapshot with no windows, never 0 %', async () => {
    route(QUOTA, { body: fixture('quota-empty.json') })
    const s = await snapshotOf()
    expect([s.windows, s.plan]).toEqual([[], 'Free'])
  })

  it('clamps fractions, accepts numeric strings, skips buckets without a model or fraction', async () => {
    route(QUOTA, {
      body: {
        buckets: [
          { modelId: 'gemini-x', remainingFraction: '0.125', resetTime: '2026-11-23T00:00:00Z' },
          { modelId: 'gemini-y', remainingFraction: 1.5 },
          { modelId: 'gemini-z', remainingFraction: -0.2, resetTime: '2026-11-23T00:00:00+02:00' },
          { remainingFraction: 0.5 },
          { modelId: 'gemini-w' },
        ],
      },
    })
    const s = await snapshotOf()
    expect(s.windows.map((w) => [w.id, w.usedPercent, w.resetsAt])).toEqual([
      ['model:gemini-x', 87.5, '2026-11-23T00:00:00.000Z'],
      ['model:gemini-y', 0, null],
      ['model:gemini-z', 100, '2026-11-22T22:00:00.000Z'],
    ])
  })

  it('labels drop "gemini-" and "-preview" unless two labels would then be equal', () => {
    expect(modelLabels(['gemini-3-pro', 'gemini-3-pro-preview', 'gemini-2.5-flash'])).toEqual([
      '3-pro',
      '3-pro-preview',
      '2.5-flash',
    ])
  })

  it('accepts the project as an {id} object', async () => {
    route(LOAD, {
      body: { ...fixture('load-standard-paid.json'), cloudaicompanionProject: { id: 'obj-proj-9' } },
    })
    await snapshotOf()
    expect(JSON.parse(bodies[QUOTA]?.[0] ?? '')).toEqual({ project: 'obj-proj-9' })
  })

  it('email falls back to google_accounts.json when there is no id_token', async () => {
    const s = await snapshotOf(setup({ claims: null, accounts: { active: 'grace@example.com', old: [] } }))
    expect(s.email).toBe('grace@example.com')
  })
})

describe('gemini project and tier problems', () => {
  it('no project from Google and none configured: a config error naming `project`', async () => {
    route(LOAD, { body: fixture('load-no-project.json') })
    const r = await fetch(setup())
    expect(!r.ok && [r.error.kind, r.error.message, r.error.fix]).toEqual([
      'config',
      expect.stringMatching(/no Google Cloud project/),
      expect.stringMatching(/set `project` for this account/),
    ])
    expect(bodies[QUOTA]).toBeUndefined()
  })

  it('a free tier without a project is told to finish setup in gemini', async () => {
    route(LOAD, { body: { currentTier: { id: 'free-tier', name: 'Gemini Code Assist for individuals' } } })
    const r = await fetch(setup())
    expect(!r.ok && r.error.fix).toMatch(/^run `GEMINI_CLI_HOME=.*\/work gemini` once/)
  })

  it('a configured project is sent to loadCodeAssist and used when Google returns none', async () => {
    route(LOAD, { body: fixture('load-no-project.json') })
    const s = await snapshotOf(setup({}, { project: 'my-licensed-proj' }))
    expect(JSON.parse(bodies[LOAD]?.[0] ?? '').cloudaicompanionProject).toBe('my-licensed-proj')
    expect(JSON.parse(bodies[LOAD]?.[0] ?? '').metadata.duetProject).toBe('my-licensed-proj')
    expect(JSON.parse(bodies[QUOTA]?.[0] ?? '')).toEqual({ project: 'my-licensed-proj' })
    expect(s.plan).toBe('Paid')
  })

  it('GOOGLE_CLOUD_PROJECT is the fallback when the account names no project', async () => {
    route(LOAD, { body: fixture('load-no-project.json') })
    const account = setup()
    const r = await fetch(account, { GOOGLE_CLOUD_PROJECT: 'env-proj-3' })
    expect(r.ok).toBe(true)
    expect(JSON.parse(bodies[QUOTA]?.[0] ?? '')).toEqual({ project: 'env-proj-3' })
  })

  it('a project that is not a string is a config error, before any request', async () => {
    const count = server.requests.length
    const r = await fetch(setup({}, { project: 42 }))
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual(['config', expect.stringMatching(/project/)])
    expect(server.requests.length).toBe(count)
  })

  it('consumer cut-off (200, no currentTier, UNSUPPORTED_CLIENT): migrate to Antigravity', async () => {
    route(LOAD, { body: fixture('load-consumer-shutdown.json') })
    const r = await fetch(setup())
    expect(!r.ok && [r.error.kind, r.error.message, r.error.fix]).toEqual([
      'forbidden',
      expect.stringMatching(/no longer serves Gemini CLI .*cut off on 2026-06-18/),
      expect.stringMatching(/Antigravity/),
    ])
    expect(bodies[QUOTA]).toBeUndefined()
  })

  it('no current tier and no reason: not set up yet', async () => {
    route(LOAD, { body: { allowedTiers: [{ id: 'free-tier' }] } })
    const r = await fetch(setup())
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual([
      'forbidden',
      expect.stringMatching(/not set up for Gemini Code Assist/),
    ])
  })

  it('another ineligibility reason is quoted (control characters removed) with a fix', async () => {
    route(LOAD, {
      body: {
        ineligibleTiers: [{ reasonCode: 'VALIDATION_REQUIRED', reasonMessage: 'Verify\nyour account' }],
      },
    })
    const r = await fetch(setup())
    expect(!r.ok && [r.error.kind, r.error.message, r.error.fix]).toEqual([
      'forbidden',
      'Google says this account cannot use Gemini Code Assist: Verify your account (VALIDATION_REQUIRED)',
      expect.stringMatching(/complete the verification/),
    ])
  })
})

describe('gemini token refresh (in memory only)', () => {
  it('an expired access token is refreshed; usage calls use the new one; nothing is written', async () => {
    const account = setup({ expiry: Date.parse('2026-11-22T09:00:00Z') })
    const dir = account.configDir as string
    const file = join(dir, 'oauth_creds.json')
    const before = readFileSync(file)
    const listing = readdirSync(dir)
    const r = await fetch(account)
    expect(r.ok && r.snapshot.windows.length).toBe(4)
    const form = new URLSearchParams(bodies[TOKEN]?.[0] ?? '')
    expect(Object.fromEntries(form)).toEqual({
      client_id: '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com',
      client_secret: expect.stringMatching(/^GOCSPX-/),
      refresh_token: REFRESH,
      grant_type: 'refresh_token',
    })
    expect(lastRequest(TOKEN)?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(lastRequest(LOAD)?.headers.authorization).toBe(`Bearer ${NEW_ACCESS}`)
    expect(lastRequest(QUOTA)?.headers.authorization).toBe(`Bearer ${NEW_ACCESS}`)
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(readdirSync(dir)).toEqual(listing)
    expect(JSON.stringify(r)).not.toContain(NEW_ACCESS)
    expect(home.writtenFiles()).toEqual([])
  })

  it('refreshes a token that expires within five minutes, once per fetch', async () => {
    const account = setup({ expiry: NOW.getTime() + 2 * 60_000 })
    const count = server.count(TOKEN)
    const r = await fetch(account)
    expect(r.ok).toBe(true)
    expect(server.count(TOKEN)).toBe(count + 1)
  })

  it('a file with only a refresh token works; the email can come from the new id_token', async () => {
    route(TOKEN, {
      body: { ...fixture('token-refresh.json'), id_token: jwt({ sub: '9', email: 'new@example.com' }) },
    })
    const s = await snapshotOf(setup({ access: null, claims: null, expiry: null }))
    expect(s.email).toBe('new@example.com')
    expect(lastRequest(QUOTA)?.headers.authorization).toBe(`Bearer ${NEW_ACCESS}`)
  })

  it('a 401 on a valid-looking token refreshes once and retries', async () => {
    route(LOAD, (n) =>
      n === 0 ? { status: 401, body: fixture('error-401.json') } : { body: fixture('load-free-tier.json') },
    )
    const loads = server.count(LOAD)
    const r = await fetch(setup())
    expect(r.ok).toBe(true)
    expect(server.count(LOAD)).toBe(loads + 2)
    expect(lastRequest(QUOTA)?.headers.authorization).toBe(`Bearer ${NEW_ACCESS}`)
  })

  it('a 401 after a refresh is an auth error, not a loop', async () => {
    route(LOAD, { status: 401, body: fixture('error-401.json') })
    const tokens = server.count(TOKEN)
    const r = await fetch(setupDefault())
    expect(!r.ok && [r.error.kind, r.error.fix, r.error.httpStatus]).toEqual([
      'auth',
      'run `gemini` to log in again',
      401,
    ])
    expect(server.count(TOKEN)).toBe(tokens + 1)
    expect(secretsIn(r)).toBe(false)
  })

  it('invalid_grant: kind auth, "run `gemini` to log in again", no usage call', async () => {
    route(TOKEN, { status: 400, body: fixture('token-invalid-grant.json') })
    const account = setupDefault({ expiry: Date.parse('2026-11-01T00:00:00Z') })
    const file = join(home.home, '.gemini', 'oauth_creds.json')
    const before = readFileSync(file)
    const loads = server.count(LOAD)
    const r = await fetch(account)
    expect(!r.ok && [r.error.kind, r.error.message, r.error.fix]).toEqual([
      'auth',
      'the saved Gemini login was expired or revoked (invalid_grant)',
      'run `gemini` to log in again',
    ])
    expect(server.count(LOAD)).toBe(loads)
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(secretsIn(r)).toBe(false)
  })

  it('the token endpoint failing otherwise keeps its kind', async () => {
    const expired = { expiry: Date.parse('2026-11-01T00:00:00Z') }
    route(TOKEN, { status: 401, body: { error: 'invalid_client' } })
    const a = await fetch(setup(expired))
    expect(!a.ok && [a.error.kind, a.error.message]).toEqual([
      'auth',
      expect.stringMatching(/invalid_client/),
    ])
    route(TOKEN, { status: 503, raw: 'unavailable' })
    const b = await fetch(setup(expired))
    expect(!b.ok && [b.error.kind, b.error.httpStatus]).toEqual(['http', 503])
    route(TOKEN, { body: { token_type: 'Bearer' } })
    const c = await fetch(setup(expired))
    expect(!c.ok && [c.error.kind, c.error.message]).toEqual([
      'schema',
      expect.stringMatching(/access_token/),
    ])
    route(TOKEN, { hang: true })
    const d = await fetch(setup(expired), {}, 300)
    expect(!d.ok && d.error.kind).toBe('timeout')
  })

  it('a provider message echoing the refreshed token is scrubbed', async () => {
    route(LOAD, { status: 403, body: { error: { message: `token ${NEW_ACCESS} lacks a licence` } } })
    const r = await fetch(setup({ expiry: Date.parse('2026-11-01T00:00:00Z') }))
    expect(!r.ok && r.error.message).toMatch(/token \[redacted\] lacks/)
    expect(secretsIn(r)).toBe(false)
  })

  it('expired with no refresh token: auth without any request', async () => {
    const count = server.requests.length
    const r = await fetch(setup({ refresh: null, expiry: Date.parse('2026-11-01T00:00:00Z') }))
    expect(!r.ok && [r.error.kind, r.error.fix]).toEqual([
      'auth',
      expect.stringMatching(/^run `GEMINI_CLI_HOME=.*\/work gemini` to log in again$/),
    ])
    expect(server.requests.length).toBe(count)
  })

  it('the fingerprint follows the Google account, not the token', async () => {
    const a = await fetch(setup())
    const b = await fetch(setup({ expiry: Date.parse('2026-11-01T00:00:00Z') }))
    const c = await fetch(setup({ claims: { sub: 'someone-else' } }))
    expect(a.fingerprint).toMatch(/^[0-9a-f]{12}$/)
    expect(b.fingerprint).toBe(a.fingerprint)
    expect(c.fingerprint).not.toBe(a.fingerprint)
  })
})

describe('gemini HTTP errors', () => {
  const cases: [string, string, Reply, string, RegExp, RegExp | null][] = [
    [
      '403 unsupported client',
      LOAD,
      { status: 403, body: fixture('error-403-unsupported-client.json') },
      'forbidden',
      /^Google no longer serves Gemini CLI/,
      /Antigravity/,
    ],
    [
      '400 naming the cut-off',
      LOAD,
      { status: 400, body: fixture('error-403-unsupported-client.json') },
      'forbidden',
      /cut off on 2026-06-18/,
      /Antigravity/,
    ],
    [
      '403 no license (quota call)',
      QUOTA,
      { status: 403, body: fixture('error-403-no-license.json') },
      'forbidden',
      /^Google says this account has no Gemini Code Assist licence \(#3501\)$/,
      /ask your admin .* Antigravity/,
    ],
    [
      '403 other',
      QUOTA,
      { status: 403, body: fixture('error-403-api-disabled.json') },
      'forbidden',
      /HTTP 403 .*has not been used in project/,
      /can use Gemini Code Assist/,
    ],
    [
      '404',
      LOAD,
      { status: 404, body: { error: { code: 404, message: 'Not Found' } } },
      'http',
      /HTTP 404/,
      /baseUrl/,
    ],
    [
      '400',
      QUOTA,
      { status: 400, body: { error: { message: 'bad project' } } },
      'http',
      /HTTP 400.*bad project/,
      /`project`/,
    ],
    ['500', QUOTA, { status: 500, raw: 'upstream broke' }, 'http', /HTTP 500/, /retries later/],
    [
      'HTML 200',
      LOAD,
      { raw: '<!doctype html><title>Sign in</title>', headers: { 'content-type': 'text/html' } },
      'schema',
      /HTML page/,
      /update quotabar/,
    ],
    [
      'HTML 502',
      QUOTA,
      { status: 502, raw: '<html>bad gateway</html>', headers: { 'content-type': 'text/html' } },
      'http',
      /HTTP 502.*HTML/,
      /retries later/,
    ],
    ['drift: buckets not a list', QUOTA, { body: { buckets: { a: 1 } } }, 'schema', /buckets/, /update/],
    [
      'drift: fraction an object',
      QUOTA,
      { body: { buckets: [{ modelId: 'gemini-x', remainingFraction: { v: 1 } }] } },
      'schema',
      /buckets\[0\]\.remainingFraction/,
      /update/,
    ],
    [
      'drift: currentTier a string',
      LOAD,
      { body: { currentTier: 'free' } },
      'schema',
      /currentTier/,
      /update/,
    ],
    [
      'bad reset date',
      QUOTA,
      { body: { buckets: [{ modelId: 'gemini-x', remainingFraction: 1, resetTime: 'tomorrow' }] } },
      'schema',
      /not a date/,
      /update/,
    ],
    ['truncated body', QUOTA, { raw: '{"buckets": [{"modelId' }, 'schema', /not JSON/, /update/],
  ]
  it.each(cases)('%s', async (_name, path, reply, kind, message, fix) => {
    route(path, reply)
    const r = await fetch(setup({ refresh: null }))
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.kind).toBe(kind)
    expect(r.error.message).toMatch(message)
    expect(r.error.fix ?? '').toMatch(fix ?? /^$/)
    expect(secretsIn(r)).toBe(false)
  })

  it('401 with no refresh token: auth, log in again', async () => {
    route(QUOTA, { status: 401, body: fixture('error-401.json') })
    const r = await fetch(setup({ refresh: null }))
    expect(!r.ok && [r.error.kind, r.error.message, r.error.fix]).toEqual([
      'auth',
      expect.stringMatching(/HTTP 401 .*invalid authentication credentials/),
      expect.stringMatching(/gemini` to log in again$/),
    ])
  })

  it('429 RESOURCE_EXHAUSTED carries Retry-After seconds, and null when absent', async () => {
    route(QUOTA, { status: 429, body: fixture('error-429.json'), headers: { 'retry-after': '900' } })
    const a = await fetch(setup())
    expect(!a.ok && [a.error.kind, a.error.message, a.retryAfterSeconds]).toEqual([
      'rate-limited',
      expect.stringMatching(/Resource has been exhausted/),
      900,
    ])
    expect(!a.ok && a.error.fix).toMatch(/waits/)
    route(QUOTA, { status: 429, body: fixture('error-429.json') })
    const b = await fetch(setup())
    expect(!b.ok && [b.error.kind, b.retryAfterSeconds]).toEqual(['rate-limited', null])
  })

  it('a server that never answers is a timeout', async () => {
    route(LOAD, { hang: true })
    const r = await fetch(setup(), {}, 300)
    expect(!r.ok && [r.error.kind, r.error.fix]).toEqual(['timeout', expect.stringMatching(/network/)])
  })

  it('a refused connection is a network error', async () => {
    const r = await fetch(setup({}, { baseUrl: await refusedUrl() }))
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual([
      'network',
      expect.stringMatching(/ECONNREFUSED/),
    ])
  })

  it('refuses to send the token over plain http to a non-loopback host, token endpoint included', async () => {
    const a = await fetch(setup({}, { baseUrl: 'http://example.invalid:8080' }))
    expect(!a.ok && a.error.kind).toBe('config')
    const b = await fetch(setup({ expiry: 1 }, { baseUrl: 'http://example.invalid:8080' }))
    expect(!b.ok && [b.error.kind, b.error.message]).toEqual(['config', expect.stringMatching(/plain http/)])
  })
})

describe('gemini credentials and settings (read-only)', () => {
  it('missing, truncated and wrong-shape oauth_creds.json', async () => {
    const account = setup()
    const file = join(account.configDir as string, 'oauth_creds.json')
    writeFileSync(file, '{"access_token": "ya29.a0')
    const truncated = await fetch(account)
    expect(!truncated.ok && [truncated.error.kind, truncated.error.message]).toEqual([
      'credentials',
      expect.stringMatching(/not valid JSON/),
    ])
    expect(secretsIn(truncated)).toBe(false)
    writeFileSync(file, '{"token_type": "Bearer", "scope": "openid"}')
    const shape = await fetch(account)
    expect(!shape.ok && shape.error.message).toMatch(/holds no Google login/)
    writeFileSync(file, '[1, 2]')
    const array = await fetch(account)
    expect(!array.ok && array.error.message).toMatch(/holds no Google login/)
    const missing = await fetch({ ...account, configDir: join(home.home, 'nowhere', '.gemini') })
    expect(!missing.ok && [missing.error.kind, missing.error.message, missing.error.fix]).toEqual([
      'credentials',
      expect.stringMatching(/not logged in: no .*oauth_creds\.json/),
      expect.stringMatching(/GEMINI_CLI_HOME=.*nowhere gemini` and choose "Login with Google"/),
    ])
  })

  it('a configDir pointing at the GEMINI_CLI_HOME instead of its .gemini says so', async () => {
    const account = setup()
    const r = await fetch({ ...account, configDir: join(home.home, 'work') })
    expect(!r.ok && [r.error.kind, r.error.fix]).toEqual(['config', `set configDir to ${account.configDir}`])
  })

  it('encrypted storage (no oauth_creds.json) is named as unsupported', async () => {
    freshHome()
    const dir = join(home.home, '.gemini')
    mkdirSync(dir)
    writeFileSync(join(dir, 'gemini-credentials.json'), 'opaque')
    const account = {
      provider: 'gemini',
      id: 'default',
      key: 'gemini/default',
      label: 'd',
      refreshSeconds: 600,
    }
    const r = await fetch(account)
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual([
      'credentials',
      expect.stringMatching(/encrypted storage/),
    ])
  })

  it.each([
    ['v2 API key', { security: { auth: { selectedType: 'gemini-api-key' } } }, 'gemini-api-key'],
    ['v2 Vertex', { security: { auth: { selectedType: 'vertex-ai' } } }, 'vertex-ai'],
    [
      'enforced type wins',
      { security: { auth: { selectedType: 'oauth-personal', enforcedType: 'vertex-ai' } } },
      'vertex-ai',
    ],
    ['v1 legacy', { selectedAuthType: 'gemini-api-key' }, 'gemini-api-key'],
  ])('%s: no quota API for this auth type, no request', async (_name, settings, type) => {
    const count = server.requests.length
    const r = await fetch(setup({ settings }))
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual([
      'config',
      expect.stringContaining(`logs in with ${type}`),
    ])
    expect(server.requests.length).toBe(count)
  })

  it.each([
    [
      'v2 oauth-personal',
      { security: { auth: { selectedType: 'oauth-personal' } }, ui: { theme: 'Default' } },
    ],
    ['v1 oauth-personal', { theme: 'Default', selectedAuthType: 'oauth-personal', mcpServers: {} }],
    [
      'settings with comments',
      '// my settings\n{ "security": { "auth": { "selectedType": "gemini-api-key" } } }',
    ],
  ])('%s: the Google login is used', async (_name, settings) => {
    const r = await fetch(setup({ settings }))
    expect(r.ok).toBe(true)
  })
})

describe('gemini descriptor', () => {
  const env = { HOME: '/home/ada' }
  it('resolves the home: configDir, then $GEMINI_CLI_HOME/.gemini, then ~/.gemini', () => {
    expect(geminiDir({ configDir: '~/g2/.gemini' }, env, '/home/ada')).toBe('/home/ada/g2/.gemini')
    expect(geminiDir({}, { ...env, GEMINI_CLI_HOME: '/srv/gem' }, '/home/ada')).toBe('/srv/gem/.gemini')
    expect(geminiDir({}, env, '/home/ada')).toBe('/home/ada/.gemini')
    expect(geminiDescriptor.credentialFiles({ provider: 'gemini', id: 'x' }, env, '/home/ada')).toEqual([
      '/home/ada/.gemini/oauth_creds.json',
    ])
  })

  it('default accounts: ~/.gemini as default, plus a GEMINI_CLI_HOME one', () => {
    const dirs = new Set(['/home/ada/.gemini', '/home/ada/gemini-work/.gemini'])
    const isDir = (p: string) => dirs.has(p)
    expect(geminiDescriptor.defaultAccounts(env, '/home/ada', isDir)).toEqual([
      { provider: 'gemini', id: 'default', configDir: '/home/ada/.gemini' },
    ])
    expect(
      geminiDescriptor.defaultAccounts({ ...env, GEMINI_CLI_HOME: '~/gemini-work' }, '/home/ada', isDir),
    ).toEqual([
      { provider: 'gemini', id: 'default', configDir: '/home/ada/.gemini' },
      { provider: 'gemini', id: 'work', configDir: '/home/ada/gemini-work/.gemini' },
    ])
    expect(geminiDescriptor.defaultAccounts(env, '/home/ada', () => false)).toEqual([])
  })

  it('polls no faster than every five minutes (daily buckets)', () => {
    expect([geminiDescriptor.defaultRefreshSeconds, geminiDescriptor.minRefreshSeconds]).toEqual([600, 300])
    expect([geminiDescriptor.name, geminiDescriptor.loginCommand]).toEqual(['Gemini', 'gemini'])
  })
})

describe('gemini secrets', () => {
  it('never shows a token in any form, even when the token endpoint echoes the form it was sent', async () => {
    const access = plantSecret('ya29.', 'gemini')
    const refresh = plantSecret('1//0g', 'gemini')
    // Expired: the refresh token goes to the token endpoint, which answers with an echo of it.
    route(TOKEN, echoingReply([access, refresh]))
    const r = await fetch(setup({ access, refresh, expiry: NOW.getTime() - 60_000 }))
    expect(r.ok).toBe(false)
    expect(bodies[TOKEN]?.at(-1)).toContain(encodeURIComponent(refresh))
    expectNoSecrets([access, refresh], { texts: { result: JSON.stringify(r) }, dirs: [home.cacheDir] })
  })
})
