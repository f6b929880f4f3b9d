import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { codexAdapter } from '../../src/providers/codex/adapter.js'
import { codexDescriptor } from '../../src/providers/codex/descriptor.js'
import { classifyLength, planLabel } from '../../src/providers/codex/windows.js'
import type { Account, FetchResult } from '../../src/providers/types.js'
import { FAR_FUTURE_MS, makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, refusedUrl, startServer } from '../helpers/server.js'
import { echoingReply, expectNoSecrets, plantSecret } from '../helpers/secrets.js'

const FIXTURES = join(import.meta.dirname, '../fixtures/codex')
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'))
const rollout = (name: string) => readFileSync(join(FIXTURES, 'sessions', name), 'utf8')
const NOW = new Date('2026-11-22T10:00:00Z')
const NOW_S = NOW.getTime() / 1000
const USAGE = '/backend-api/wham/usage'
const RESET_CREDITS = '/backend-api/wham/rate-limit-reset-credits'
const ACCOUNT = '7c0ffee0-1234-4abc-9def-0123456789ab'
const USER = 'user-QuotabarTest01'
const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString()
const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12)
const FINGERPRINT = shortHash(`${ACCOUNT}/${USER}`)

// Unsigned JWTs built here: the adapter only base64url-decodes the payload.
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
const jwt = (claims: object) => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.${b64('unsigned')}`

interface AuthOptions {
  exp?: number
  plan?: string
  accessToken?: string
  accountId?: string | null
}

function authJson(o: AuthOptions = {}) {
  const claim = {
    chatgpt_account_id: o.accountId ?? null,
    chatgpt_plan_type: o.plan ?? 'plus',
    chatgpt_user_id: USER,
  }
  if (o.accountId === undefined) claim.chatgpt_account_id = ACCOUNT
  const access =
    o.accessToken ??
    jwt({
      iss: 'https://auth.openai.com',
      exp: o.exp ?? FAR_FUTURE_MS / 1000,
      'https://api.openai.com/auth': claim,
      'https://api.openai.com/profile': { email: 'ada@example.org' },
    })
  // id tokens live an hour; their expiry must not matter.
  const id = jwt({ exp: NOW_S - 86400, email: 'ada@example.org', 'https://api.openai.com/auth': claim })
  return {
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: {
      id_token: id,
      access_token: access,
      refresh_token: 'rt_quotabar_test_refresh',
      account_id: claim.chatgpt_account_id,
    },
    last_refresh: '2026-11-20T08:00:00.123456Z',
  }
}

let server: FakeServer
let home: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => home?.cleanup())

function setup(auth: unknown = authJson(), dirName = '.codex-work'): Account {
  home = makeHome()
  const dir = join(home.home, dirName)
  mkdirSync(dir, { recursive: true })
  if (auth !== null) {
    const text = typeof auth === 'string' ? auth : JSON.stringify(auth, null, 2)
    writeFileSync(join(dir, 'auth.json'), text, { mode: 0o600 })
  }
  return {
    provider: 'codex',
    id: 'work',
    key: 'codex/work',
    label: 'work',
    refreshSeconds: 300,
    configDir: dir,
    baseUrl: server.url,
  }
}

const dirOf = (a: Account) => a.configDir as string
const tokenOf = (a: Account) =>
  JSON.parse(readFileSync(join(dirOf(a), 'auth.json'), 'utf8')).tokens.access_token

/** Writes `<dir>/sessions/YYYY/MM/DD/rollout-<name>.jsonl` with a chosen mtime. */
function addRollout(a: Account, day: string, name: string, content: string, mtime = NOW): string {
  const folder = join(dirOf(a), 'sessions', ...day.split('-'))
  mkdirSync(folder, { recursive: true })
  const file = join(folder, `rollout-${day}T00-00-00-${name}.jsonl`)
  writeFileSync(file, content)
  utimesSync(file, mtime, mtime)
  return file
}

const tokenLine = (timestamp: string | number, rateLimits: unknown) =>
  JSON.stringify({
    timestamp,
    type: 'event_msg',
    payload: { type: 'token_count', info: null, rate_limits: rateLimits },
  })

function fetch(account: Account, env: Record<string, string> = {}, timeoutMs = 2000): Promise<FetchResult> {
  return codexAdapter.fetchUsage(account, {
    env: { ...home.env, ...env },
    home: home.home,
    now: () => NOW,
    timeoutMs,
  })
}

async function okFetch(account: Account, env: Record<string, string> = {}, timeoutMs = 2000) {
  const r = await fetch(account, env, timeoutMs)
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`)
  return r
}

/** The endpoint failed (or was not asked): the logs' numbers come as the failure's fallback. */
async function logFetch(account: Account, env: Record<string, string> = {}, timeoutMs = 2000) {
  const r = await fetch(account, env, timeoutMs)
  if (r.ok) throw new Error('expected the endpoint to fail with a log fallback')
  if (!r.fallback) throw new Error(`expected a log fallback, got only ${r.error.kind}: ${r.error.message}`)
  return { ...r, snapshot: r.fallback }
}

async function snapshotOf(body: unknown, account = setup()) {
  server.on(USAGE, { body })
  return (await okFetch(account)).snapshot
}

describe('codex wham/usage mapping', () => {
  it('maps 5h + weekly, a named model limit and the code review limit; endpoint plan wins', async () => {
    const account = setup()
    server.on(USAGE, { body: fixture('usage-pro.json') })
    const r = await okFetch(account)
    expect(r.snapshot).toEqual({
      fetchedAt: NOW.toISOString(),
      plan: 'Pro',
      email: 'ada@example.org',
      windows: [
        { id: 'session', label: '5h', usedPercent: 23, resetsAt: iso(1795350600), windowSeconds: 18000 },
        { id: 'weekly', label: '7d', usedPercent: 47, resetsAt: iso(1795600800), windowSeconds: 604800 },
        {
          id: 'session:gpt-5-9-codex-nova',
          label: 'GPT-5.9-Codex-Nova 5h',
          usedPercent: 8,
          resetsAt: iso(1795353600),
          windowSeconds: 18000,
        },
        {
          id: 'weekly:gpt-5-9-codex-nova',
          label: 'GPT-5.9-Codex-Nova 7d',
          usedPercent: 2,
          resetsAt: iso(1795641600),
          windowSeconds: 604800,
        },
        {
          id: 'weekly:review',
          label: 'Review 7d',
          usedPercent: 12,
          resetsAt: iso(1795773600),
          windowSeconds: 604800,
        },
      ],
      spend: [],
    })
    expect(r.fingerprint).toBe(FINGERPRINT)
  })

  it('a weekly-only plan puts the week in the primary slot: it is weekly, not session', async () => {
    const s = await snapshotOf(fixture('usage-plus-weekly-only.json'))
    expect(s.windows).toEqual([
      { id: 'weekly', label: '7d', usedPercent: 64, resetsAt: iso(1795541600), windowSeconds: 604800 },
    ])
    expect(s.plan).toBe('Plus')
  })

  it('the sparse shape: resets from reset_after_seconds, lengths guessed and left null', async () => {
    const s = await snapshotOf(fixture('usage-sparse.json'))
    expect(s.windows).toEqual([
      {
        id: 'session',
        label: '5h',
        usedPercent: 17,
        resetsAt: '2026-11-22T11:30:00.000Z',
        windowSeconds: null,
      },
      { id: 'weekly', label: '7d', usedPercent: 6, resetsAt: iso(NOW_S + 400000), windowSeconds: null },
      {
        id: 'session:gpt-5-9-codex-nova',
        label: 'GPT-5.9-Codex-Nova 5h',
        usedPercent: 21,
        resetsAt: iso(NOW_S + 14000),
        windowSeconds: null,
      },
      {
        id: 'weekly:gpt-5-9-codex-nova',
        label: 'GPT-5.9-Codex-Nova 7d',
        usedPercent: 9,
        resetsAt: iso(NOW_S + 500000),
        windowSeconds: null,
      },
    ])
    expect(s.plan).toBe('Pro')
  })

  it('the sparse shape takes window lengths from the logs when a reset time matches', async () => {
    const account = setup()
    addRollout(
      account,
      '2026-11-22',
      'hint',
      `${tokenLine('2026-11-22T09:50:00.000Z', {
        limit_id: 'codex',
        primary: { used_percent: 15, window_minutes: 300, resets_at: NOW_S + 5400 + 20 },
        secondary: { used_percent: 6, window_minutes: 10080, resets_at: NOW_S + 400000 - 30 },
      })}\n`,
    )
    const s = await snapshotOf(fixture('usage-sparse.json'), account)
    expect(s.windows.map((w) => [w.id, w.windowSeconds])).toEqual([
      ['session', 18000],
      ['weekly', 604800],
      ['session:gpt-5-9-codex-nova', null],
      ['weekly:gpt-5-9-codex-nova', null],
    ])
    // A lone window resetting within 5 h is guessed weekly, unless the logs know better.
    const lone = { rate_limit: { primary_window: { used_percent: 40, reset_after_seconds: 5400 } } }
    expect((await snapshotOf(lone, account)).windows[0]).toMatchObject({
      id: 'session',
      windowSeconds: 18000,
    })
    const guessed = await snapshotOf(lone)
    expect(guessed.windows).toEqual([
      {
        id: 'weekly',
        label: '7d',
        usedPercent: 40,
        resetsAt: '2026-11-22T11:30:00.000Z',
        windowSeconds: null,
      },
    ])
  })

  it('a business plan with rate_limit null: no windows, the spend pool, credits on the plan', async () => {
    const s = await snapshotOf(fixture('usage-business-null-rate-limit.json'))
    expect(s.windows).toEqual([])
    expect(s.spend).toEqual([
      {
        id: 'spend-limit',
        label: 'Spend limit',
        used: 250,
        limit: 250,
        currency: 'credits',
        period: 'month',
      },
    ])
    expect(s.plan).toBe('Business (87.25 credits)')
  })

  it('limit reached with a workspace spend control', async () => {
    const s = await snapshotOf(fixture('usage-team-limit-reached.json'))
    expect(s.windows).toEqual([
      { id: 'weekly', label: '7d', usedPercent: 100, resetsAt: iso(1795401600), windowSeconds: 604800 },
    ])
    expect(s.spend).toEqual([
      {
        id: 'spend-limit',
        label: 'Spend limit',
        used: 123.45678901234,
        limit: 2000,
        currency: 'credits',
        period: 'month',
      },
    ])
    expect(s.plan).toBe('Team')
  })

  it('other lengths become daily, monthly and window:<n>s; percentages are clamped', async () => {
    const s = await snapshotOf(fixture('usage-other-lengths.json'))
    expect(s.windows).toEqual([
      { id: 'daily', label: '1d', usedPercent: 30, resetsAt: iso(1795345200), windowSeconds: 86400 },
      { id: 'monthly', label: 'month', usedPercent: 55, resetsAt: iso(1796205600), windowSeconds: 2592000 },
      {
        id: 'window:10800s:review',
        label: 'Review 3h',
        usedPercent: 100,
        resetsAt: iso(1795342200),
        windowSeconds: 10800,
      },
    ])
    expect(s.plan).toBe('Enterprise (unlimited credits)')
  })

  it('keeps what parses: a malformed window or limit drops only itself, with a note', async () => {
    const good = { used_percent: 58, limit_window_seconds: 604800, reset_at: NOW_S + 86400 }
    const s = await snapshotOf({
      plan_type: 'plus',
      rate_limit: { primary_window: { ...good, used_percent: 'bad' }, secondary_window: good },
      additional_rate_limits: [
        { limit_name: 'Spark', rate_limit: { primary_window: { ...good, used_percent: 7 } } },
        { limit_name: 'Broken', rate_limit: 'nope' },
      ],
    })
    expect(s.windows.map((w) => [w.id, w.usedPercent])).toEqual([
      ['weekly', 58],
      ['weekly:spark', 7],
    ])
    expect(s.notes).toEqual([
      expect.stringMatching(/^window left out \(rate_limit\.primary_window\.used_percent: .*number/),
      expect.stringMatching(/^limit left out \(additional_rate_limits\[1\]\.rate_limit: /),
    ])
  })

  it('a window without used_percent is absent, never 0 %; the JWT plan is the fallback', async () => {
    const s = await snapshotOf({
      rate_limit: {
        primary_window: { used_percent: null, limit_window_seconds: 18000 },
        secondary_window: null,
      },
      credits: null,
    })
    expect(s).toMatchObject({ windows: [], spend: [], plan: 'Plus' })
  })

  it('banked reset credits: the count from wam/usage, the soonest unredeemed expiry from its list', async () => {
    const account = setup()
    const body = {
      ...fixture('usage-plus-weekly-only.json'),
      rate_limit_reset_credits: { available_count: 2, applicable_available_count: 0 },
    }
    server.on(USAGE, { body })
    server.on(RESET_CREDITS, { body: fixture('reset-credits.json') })
    const before = server.count(RESET_CREDITS)
    const s = (await okFetch(account)).snapshot
    expect(s.balances).toEqual([
      {
        id: 'reset-credits',
        label: 'Reset credits (0 usable now)',
        amount: 2,
        currency: 'resets',
        // The redeemed credit's earlier date does not count.
        expiresAt: '2026-12-10T00:00:00.000Z',
      },
    ])
    expect(server.count(RESET_CREDITS)).toBe(before + 1)
    const req = server.requests.filter((r) => r.path === RESET_CREDITS).at(-1)
    expect(req?.headers.authorization).toBe(`Bearer ${tokenOf(account)}`)
    expect(req?.headers['chatgpt-account-id']).toBe(ACCOUNT)
  })

  it('all banked resets usable: the plain label', async () => {
    const body = {
      ...fixture('usage-pro.json'),
      rate_limit_reset_credits: { available_count: 1, applicable_available_count: 1 },
    }
    server.on(RESET_CREDITS, { body: fixture('reset-credits.json') })
    const s = await snapshotOf(body)
    expect(s.balances?.[0]).toMatchObject({ label: 'Reset credits', amount: 1 })
  })

  it.each([
    ['a 500', { status: 500, body: { error: 'boom' } }],
    ['a 429', { status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '60' } }],
    ['a drifted list', { body: { credits: [{ expires_at: 'soon' }] } }],
  ])(
    'the reset-credit list failing (%s) keeps the count without a date and the usage ok',
    async (_, reply) => {
      server.on(RESET_CREDITS, reply)
      const s = await snapshotOf(fixture('usage-plus-weekly-only.json'))
      expect(s.windows.map((w) => w.id)).toEqual(['weekly'])
      expect(s.balances).toEqual([
        {
          id: 'reset-credits',
          label: 'Reset credits (0 usable now)',
          amount: 1,
          currency: 'resets',
          expiresAt: null,
        },
      ])
    },
  )

  it('no banked resets (count 0, or the field absent): no meter and no second request', async () => {
    const before = server.count(RESET_CREDITS)
    const zero = {
      ...fixture('usage-pro.json'),
      rate_limit_reset_credits: { available_count: 0, applicable_available_count: 0 },
    }
    expect((await snapshotOf(zero)).balances).toBeUndefined()
    expect((await snapshotOf(fixture('usage-pro.json'))).balances).toBeUndefined()
    expect(server.count(RESET_CREDITS)).toBe(before)
  })

  it('a negative or fractional reset count is a schema error naming the field', async () => {
    const account = setup()
    server.on(USAGE, {
      body: { ...fixture('usage-pro.json'), rate_limit_reset_credits: { available_count: 1.5 } },
    })
    const r = await fetch(account)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'schema' })
    if (!r.ok) expect(r.error.message).toContain('rate_limit_reset_credits.available_count')
  })

  it('sends the bearer token, the account header and a codex-like User-Agent', async () => {
    const account = setup()
    server.on(USAGE, { body: fixture('usage-pro.json') })
    const before = server.requests.length
    await okFetch(account)
    const req = server.requests[before]
    expect(req?.path).toBe(USAGE)
    expect(req?.headers.authorization).toBe(`Bearer ${tokenOf(account)}`)
    expect(req?.headers['chatgpt-account-id']).toBe(ACCOUNT)
    expect(req?.headers.originator).toBe('codex_cli_rs')
    expect(req?.headers['user-agent']).toMatch(/^codex_cli_rs\/\d+\.\d+\.\d+/)
  })

  it('no account id anywhere: no account header, fingerprint from the user id', async () => {
    const account = setup(authJson({ accountId: null }))
    server.on(USAGE, { body: fixture('usage-pro.json') })
    const before = server.requests.length
    const r = await okFetch(account)
    expect(server.requests[before]?.headers['chatgpt-account-id']).toBeUndefined()
    expect(r.fingerprint).toBe(shortHash(`/${USER}`))
  })

  it.each([
    ['plus', 'Plus'],
    ['prolite', 'Pro Lite'],
    ['self_serve_business_usage_based', 'Business (usage-based)'],
    ['free_workspace', 'Free Workspace'],
    ['quorum', 'Quorum'],
    ['', null],
    [null, null],
  ])('plan label %s → %s', (planType, label) => {
    expect(planLabel(planType)).toBe(label)
  })

  it.each([
    [18000, 'session', '5h'],
    [17940, 'session', '5h'],
    [604740, 'weekly', '7d'],
    [86400, 'daily', '1d'],
    [2678400, 'monthly', 'month'],
    [7200, 'window:7200s', '2h'],
    [5400, 'window:5400s', '90m'],
  ])('length %i s → %s', (seconds, id, label) => {
    expect(classifyLength(seconds)).toMatchObject({ id, label })
  })
})

describe('codex endpoint errors (no logs to fall back on)', () => {
  const cases: [string, Parameters<FakeServer['on']>[1], string, RegExp, RegExp][] = [
    [
      '401 expired',
      { status: 401, body: fixture('error-401-expired.json') },
      'auth',
      /token is expired/,
      /run `CODEX_HOME=.* codex` to log in again/,
    ],
    [
      '403 invalidated token',
      { status: 403, body: fixture('error-403-invalidated.json') },
      'auth',
      /HTTP 403.*invalidated/,
      /log in again/,
    ],
    [
      '403 Cloudflare page',
      {
        status: 403,
        raw: '<!DOCTYPE html><title>Attention Required!</title>',
        headers: { 'content-type': 'text/html' },
      },
      'forbidden',
      /HTTP 403.*HTML/,
      /Cloudflare/,
    ],
    ['404', { status: 404, raw: 'not here' }, 'http', /HTTP 404/, /baseUrl/],
    ['500', { status: 500, raw: 'upstream broke' }, 'http', /HTTP 500/, /tries again later/],
    [
      'HTML 502',
      { status: 502, raw: '<html>bad gateway</html>', headers: { 'content-type': 'text/html' } },
      'http',
      /HTTP 502.*HTML/,
      /tries again/,
    ],
    [
      'HTML 200',
      { raw: '<!doctype html><title>Just a moment...</title>', headers: { 'content-type': 'text/html' } },
      'schema',
      /HTML page/,
      /Cloudflare/,
    ],
    [
      'schema drift',
      { body: fixture('usage-drift.json') },
      'schema',
      /rate_limit\.primary_window\.used_percent/,
      /update/,
    ],
    [
      'bad reset_at',
      { body: { rate_limit: { primary_window: { used_percent: 3, reset_at: 1e20 } } } },
      'schema',
      /not a unix time/,
      /update/,
    ],
    [
      'limits not a list',
      { body: { additional_rate_limits: { spark: {} } } },
      'schema',
      /additional_rate_limits/,
      /update/,
    ],
    ['not an object', { body: [1, 2] }, 'schema', /unexpected response/, /update/],
    ['truncated body', { raw: '{"rate_limit": {"primary_win' }, 'schema', /not JSON/, /update/],
  ]
  it.each(cases)('%s', async (_name, reply, kind, message, fix) => {
    const account = setup()
    server.on(USAGE, reply)
    const r = await fetch(account)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.kind).toBe(kind)
    expect(r.error.message).toMatch(message)
    expect(r.error.fix).toMatch(fix)
    expect(r.error.message).not.toContain(tokenOf(account))
    expect(r.fingerprint).toBe(FINGERPRINT)
  })

  it('a body that echoes the token has it redacted', async () => {
    const account = setup()
    server.on(USAGE, { status: 401, body: { error: { message: `bad token ${tokenOf(account)}` } } })
    const r = await fetch(account)
    expect(!r.ok && r.error.message).toMatch(/\[redacted\]/)
    expect(!r.ok && r.error.message).not.toContain(tokenOf(account))
  })

  it('429 carries Retry-After seconds, and null when absent; logs never mask it', async () => {
    const account = setup()
    addRollout(account, '2026-11-22', 'current', rollout('rollout-current.jsonl'))
    server.on(USAGE, { status: 429, body: fixture('error-429.json'), headers: { 'retry-after': '900' } })
    const a = await fetch(account)
    expect(!a.ok && [a.error.kind, a.retryAfterSeconds, a.error.message]).toEqual([
      'rate-limited',
      900,
      expect.stringMatching(/slow down/),
    ])
    server.on(USAGE, { status: 429, body: fixture('error-429.json') })
    const b = await fetch(account)
    expect(!b.ok && b.retryAfterSeconds).toBe(null)
  })

  it('a server that never answers is a timeout', async () => {
    const account = setup()
    server.on(USAGE, { hang: true })
    const r = await fetch(account, {}, 300)
    expect(!r.ok && [r.error.kind, r.error.fix]).toEqual(['timeout', expect.stringMatching(/network/)])
  })

  it('a refused connection is a network error', async () => {
    const account = { ...setup(), baseUrl: await refusedUrl() }
    const r = await fetch(account)
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual([
      'network',
      expect.stringMatching(/ECONNREFUSED/),
    ])
  })

  it('refuses to send the token over plain http to a non-loopback host, even with logs', async () => {
    const account = { ...setup(), baseUrl: 'http://example.invalid:8080' }
    addRollout(account, '2026-11-22', 'current', rollout('rollout-current.jsonl'))
    const r = await fetch(account)
    expect(!r.ok && r.error.kind).toBe('config')
  })

  it('caps the response size', async () => {
    const account = setup()
    server.on(USAGE, { raw: JSON.stringify({ rate_limit: null, pad: 'x'.repeat(1_200_000) }) })
    const r = await fetch(account)
    expect(!r.ok && r.error.message).toMatch(/larger than/)
  })
})

describe('codex session-log fallback', () => {
  it('current format (401 from the endpoint): newest codex line, other limit ids, line time', async () => {
    const account = setup()
    const auth = join(dirOf(account), 'auth.json')
    const file = addRollout(account, '2026-11-22', 'current', rollout('rollout-current.jsonl'))
    const before = [readFileSync(auth), readFileSync(file)]
    server.on(USAGE, { status: 401, body: fixture('error-401-expired.json') })
    const r = await logFetch(account)
    expect(r.fingerprint).toBe(FINGERPRINT)
    expect(r.snapshot).toEqual({
      fetchedAt: '2026-11-22T09:41:12.345Z',
      plan: 'Plus (12.50 credits)',
      email: 'ada@example.org',
      windows: [
        { id: 'session', label: '5h', usedPercent: 34.5, resetsAt: iso(1795350600), windowSeconds: 18000 },
        { id: 'weekly', label: '7d', usedPercent: 58, resetsAt: iso(1795600800), windowSeconds: 604800 },
        {
          id: 'session:gpt-5-9-codex-nova',
          label: 'GPT-5.9-Codex-Nova 5h',
          usedPercent: 11,
          resetsAt: iso(1795352400),
          windowSeconds: 18000,
        },
        {
          id: 'weekly:gpt-5-9-codex-nova',
          label: 'GPT-5.9-Codex-Nova 7d',
          usedPercent: 3,
          resetsAt: iso(1795641600),
          windowSeconds: 604800,
        },
      ],
      spend: [],
    })
    expect(readFileSync(auth).equals(before[0] as Buffer)).toBe(true)
    expect(readFileSync(file).equals(before[1] as Buffer)).toBe(true)
  })

  it('late-2025 format (connection refused): resets_in_seconds counts from the line time', async () => {
    const account = { ...setup(), baseUrl: await refusedUrl() }
    addRollout(account, '2025-10-28', 'late', rollout('rollout-late-2025.jsonl'))
    const r = await logFetch(account)
    expect(r.snapshot).toEqual({
      fetchedAt: '2025-10-28T16:20:00.000Z',
      plan: 'Plus',
      email: 'ada@example.org',
      windows: [
        {
          id: 'session',
          label: '5h',
          usedPercent: 42.5,
          resetsAt: '2025-10-28T17:26:40.000Z',
          windowSeconds: 18000,
        },
        {
          id: 'weekly',
          label: '7d',
          usedPercent: 88,
          resetsAt: '2025-10-31T13:46:40.000Z',
          windowSeconds: 604800,
        },
      ],
      spend: [],
    })
  })

  it('an epoch-millisecond timestamp (a number) dates the line like an ISO string', async () => {
    const account = { ...setup(), baseUrl: await refusedUrl() }
    const at = Date.parse('2026-11-22T09:30:00Z')
    const limits = {
      limit_id: 'codex',
      primary: { used_percent: 21, window_minutes: 300, resets_in_seconds: 3600 },
      secondary: { used_percent: 40, window_minutes: 10080, resets_at: (at + 86_400_000) / 1000 },
    }
    addRollout(account, '2026-11-22', 'ms', `${tokenLine(at, limits)}\n`)
    const r = await logFetch(account)
    expect(r.snapshot.fetchedAt).toBe('2026-11-22T09:30:00.000Z')
    expect(r.snapshot.windows.map((w) => [w.id, w.usedPercent, w.resetsAt])).toEqual([
      ['session', 21, '2026-11-22T10:30:00.000Z'],
      ['weekly', 40, '2026-11-23T09:30:00.000Z'],
    ])
  })

  it('reset times in epoch milliseconds are read as milliseconds, in the logs and the endpoint', async () => {
    const account = { ...setup(), baseUrl: await refusedUrl() }
    const reset = Date.parse('2026-11-22T14:00:00Z')
    const limits = { primary: { used_percent: 5, window_minutes: 300, resets_at: reset } }
    addRollout(account, '2026-11-22', 'ms-reset', `${tokenLine('2026-11-22T09:30:00Z', limits)}\n`)
    expect((await logFetch(account)).snapshot.windows[0]?.resetsAt).toBe('2026-11-22T14:00:00.000Z')
    const window = { used_percent: 9, limit_window_seconds: 18000, reset_at: reset }
    const s = await snapshotOf({ plan_type: 'plus', rate_limit: { primary_window: window } })
    expect(s.windows[0]?.resetsAt).toBe('2026-11-22T14:00:00.000Z')
  })

  it('Sept-2025 flat format (403 Cloudflare page): windows without reset times', async () => {
    const account = setup()
    addRollout(account, '2025-09-19', 'flat', rollout('rollout-flat-2025-09.jsonl'))
    server.on(USAGE, { status: 403, raw: '<html>challenge</html>', headers: { 'content-type': 'text/html' } })
    const r = await logFetch(account)
    expect(r.snapshot.fetchedAt).toBe('2025-09-19T07:30:45.000Z')
    expect(r.snapshot.windows).toEqual([
      { id: 'session', label: '5h', usedPercent: 7.5, resetsAt: null, windowSeconds: 18000 },
      { id: 'weekly', label: '7d', usedPercent: 2.25, resetsAt: null, windowSeconds: 604800 },
    ])
  })

  it('Sept-2025 flat format with reset_after fields, relative to the line time', async () => {
    const account = setup()
    const line = tokenLine('2025-09-20T12:00:00.000Z', {
      primary_used_percent: 50,
      secondary_used_percent: 20,
      primary_window_minutes: 300,
      secondary_window_minutes: 10080,
      primary_reset_after_seconds: 600,
      secondary_reset_after_seconds: 86400,
    })
    addRollout(account, '2025-09-20', 'flat2', `${line}\n`)
    server.on(USAGE, { status: 502, raw: 'bad gateway' })
    const r = await logFetch(account)
    expect(r.snapshot.windows.map((w) => [w.id, w.usedPercent, w.resetsAt])).toEqual([
      ['session', 50, '2025-09-20T12:10:00.000Z'],
      ['weekly', 20, '2025-09-21T12:00:00.000Z'],
    ])
  })

  it('weekly-only log line (timeout): week in the primary slot is weekly', async () => {
    const account = setup()
    addRollout(account, '2026-11-20', 'weekly', rollout('rollout-weekly-only.jsonl'))
    server.on(USAGE, { hang: true })
    const r = await logFetch(account, {}, 300)
    expect(r.snapshot).toMatchObject({
      fetchedAt: '2026-11-20T21:06:10.500Z',
      plan: 'Go',
      windows: [
        { id: 'weekly', label: '7d', usedPercent: 71, resetsAt: iso(1795541600), windowSeconds: 604800 },
      ],
    })
  })

  it('the most recently written file wins, even from an older day folder', async () => {
    const account = { ...setup(), baseUrl: await refusedUrl() }
    addRollout(
      account,
      '2026-11-22',
      'current',
      rollout('rollout-current.jsonl'),
      new Date('2026-11-22T09:42:30Z'),
    )
    addRollout(
      account,
      '2026-11-20',
      'resumed',
      rollout('rollout-weekly-only.jsonl'),
      new Date('2026-11-22T09:59:00Z'),
    )
    const r = await logFetch(account)
    expect(r.snapshot.fetchedAt).toBe('2026-11-20T21:06:10.500Z')
  })

  it('files with only rate_limits: null lines are skipped for an older one', async () => {
    const account = { ...setup(), baseUrl: await refusedUrl() }
    addRollout(
      account,
      '2025-10-28',
      'late',
      rollout('rollout-late-2025.jsonl'),
      new Date('2025-10-28T16:21:00Z'),
    )
    const empty = `${tokenLine('2026-11-22T09:00:00.000Z', null)}\n${tokenLine('2026-11-22T09:01:00.000Z', null)}\n`
    addRollout(account, '2026-11-22', 'empty', empty)
    const r = await logFetch(account)
    expect(r.snapshot.fetchedAt).toBe('2025-10-28T16:20:00.000Z')
  })

  it('reads at most the 3 newest files', async () => {
    const account = setup()
    server.on(USAGE, { status: 500, raw: 'down' })
    addRollout(
      account,
      '2025-10-28',
      'late',
      rollout('rollout-late-2025.jsonl'),
      new Date('2025-10-28T16:21:00Z'),
    )
    for (const n of [1, 2, 3]) {
      addRollout(
        account,
        `2026-11-1${n}`,
        `nothing${n}`,
        `${tokenLine(`2026-11-1${n}T09:00:00.000Z`, null)}\n`,
      )
    }
    const r = await fetch(account)
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual(['http', expect.stringMatching(/HTTP 500/)])
  })

  it('reads only the last 256 KiB of a file', async () => {
    const other = setup()
    server.on(USAGE, { status: 500, raw: 'down' })
    const filler = `${JSON.stringify({ timestamp: '2026-11-22T09:00:00.000Z', type: 'response_item', payload: { text: 'y'.repeat(1000) } })}\n`
    addRollout(other, '2026-11-22', 'long', rollout('rollout-late-2025.jsonl') + filler.repeat(300))
    const long = await fetch(other)
    expect(!long.ok && long.error.kind).toBe('http')
  })

  it('no logs at all: the endpoint error stands', async () => {
    const account = setup()
    mkdirSync(join(dirOf(account), 'sessions', '2026', '11', '22'), { recursive: true })
    server.on(USAGE, { status: 401, body: fixture('error-401-expired.json') })
    const r = await fetch(account)
    expect(!r.ok && r.error.kind).toBe('auth')
  })

  it('an expired access token uses the logs without any request', async () => {
    const account = setup(authJson({ exp: NOW_S - 60 }))
    addRollout(account, '2026-11-22', 'current', rollout('rollout-current.jsonl'))
    const count = server.requests.length
    const r = await logFetch(account)
    expect(r.snapshot.fetchedAt).toBe('2026-11-22T09:41:12.345Z')
    expect(r.fingerprint).toBe(FINGERPRINT)
    expect(server.requests.length).toBe(count)
  })

  it('a keyring login (no auth.json) uses the logs; without logs it says why', async () => {
    const account = setup(null)
    writeFileSync(
      join(dirOf(account), 'config.toml'),
      'model = "gpt-5.9"\ncli_auth_credentials_store = "keyring"\n',
    )
    const bare = await fetch(account)
    expect(!bare.ok && [bare.error.kind, bare.error.message, bare.error.fix]).toEqual([
      'credentials',
      expect.stringMatching(/keyring/),
      expect.stringMatching(/cli_auth_credentials_store = "file"/),
    ])
    addRollout(account, '2026-11-20', 'weekly', rollout('rollout-weekly-only.jsonl'))
    const r = await logFetch(account)
    expect(r).toMatchObject({ fingerprint: null, snapshot: { plan: 'Go', email: null } })
  })
})

describe('codex credentials (read-only, no network)', () => {
  it('an expired login without logs is kind auth with the fix, no request, file untouched', async () => {
    const account = setup(authJson({ exp: NOW_S - 60 }))
    const file = join(dirOf(account), 'auth.json')
    const before = readFileSync(file)
    const count = server.requests.length
    const r = await fetch(account)
    expect(!r.ok && [r.error.kind, r.error.message, r.error.fix]).toEqual([
      'auth',
      'Codex login expired',
      expect.stringMatching(/^run `CODEX_HOME=.*\.codex-work codex` to log in again/),
    ])
    expect(server.requests.length).toBe(count)
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('the default home gets the plain `codex` fix', async () => {
    const account = setup(authJson({ exp: NOW_S - 60 }), '.codex')
    const r = await fetch({ ...account, configDir: undefined })
    expect(!r.ok && r.error.fix).toBe('run `codex` to log in again (quotabar never refreshes Codex tokens)')
  })

  it('an API-key-only login has no plan quota: no request, no log fallback', async () => {
    const account = setup(fixture('auth-apikey.json'))
    addRollout(account, '2026-11-22', 'current', rollout('rollout-current.jsonl'))
    const count = server.requests.length
    const r = await fetch(account)
    expect(!r.ok && [r.error.kind, r.error.message, r.error.fix]).toEqual([
      'credentials',
      'API-key logins have no plan quota',
      expect.stringMatching(/codex login/),
    ])
    expect(server.requests.length).toBe(count)
    const legacy = await fetch(setup({ OPENAI_API_KEY: 'sk-proj-quotabar-legacy-0123456789' }))
    expect(!legacy.ok && legacy.error.message).toBe('API-key logins have no plan quota')
  })

  it.each([
    ['missing', null, /not logged in: no .*auth\.json/],
    ['truncated', '{"tokens": {"access_to', /not valid JSON/],
    ['an array', '[1, 2]', /does not look like a Codex login/],
    ['a number token', '{"tokens": {"access_token": 42}}', /does not look like a Codex login/],
    ['no access token', '{"tokens": {"refresh_token": "rt_x"}}', /holds no ChatGPT login/],
    ['nothing', '{}', /holds no ChatGPT login/],
  ])('%s auth.json', async (_name, text, message) => {
    const account = setup(text)
    const count = server.requests.length
    const r = await fetch(account)
    expect(!r.ok && [r.error.kind, r.error.message, r.error.fix]).toEqual([
      'credentials',
      expect.stringMatching(message),
      expect.stringMatching(/run `CODEX_HOME=.* codex login`/),
    ])
    expect(server.requests.length).toBe(count)
  })

  it('legacy files without auth_mode, and camelCase copies, still work', async () => {
    const legacy = authJson()
    const { auth_mode: _, ...noMode } = legacy
    expect((await snapshotOf(fixture('usage-pro.json'), setup(noMode))).plan).toBe('Pro')
    const t = legacy.tokens
    const camel = { tokens: { idToken: t.id_token, accessToken: t.access_token, accountId: t.account_id } }
    const account = setup(camel)
    server.on(USAGE, { body: fixture('usage-plus-weekly-only.json') })
    const before = server.requests.length
    const r = await okFetch(account)
    expect(server.requests[before]?.headers['chatgpt-account-id']).toBe(ACCOUNT)
    expect(r).toMatchObject({ fingerprint: FINGERPRINT, snapshot: { email: 'ada@example.org' } })
  })

  it('an opaque (non-JWT) access token is sent as is; identity comes from the id_token', async () => {
    const account = setup(authJson({ accessToken: 'opaque-access-token-0123456789' }))
    server.on(USAGE, { body: fixture('usage-plus-weekly-only.json') })
    const before = server.requests.length
    const r = await okFetch(account)
    expect(server.requests[before]?.headers.authorization).toBe('Bearer opaque-access-token-0123456789')
    expect(r.fingerprint).toBe(FINGERPRINT)
  })

  it('the fingerprint is the hashed account, never the token', async () => {
    const account = setup()
    server.on(USAGE, { body: fixture('usage-pro.json') })
    const r = await okFetch(account)
    expect(r.fingerprint).toMatch(/^[0-9a-f]{12}$/)
    expect(JSON.stringify(r)).not.toContain(tokenOf(account))
    expect(JSON.stringify(r)).not.toContain('rt_quotabar_test_refresh')
  })
})

describe('codex descriptor', () => {
  it('names, intervals and the credential file per home', () => {
    expect(codexDescriptor).toMatchObject({ id: 'codex', name: 'Codex', loginCommand: 'codex' })
    expect([codexDescriptor.defaultRefreshSeconds, codexDescriptor.minRefreshSeconds]).toEqual([300, 120])
    const env = { HOME: '/home/ada' }
    expect(
      codexDescriptor.credentialFiles(
        { provider: 'codex', id: 'w', configDir: '~/.codex-work' },
        env,
        '/home/ada',
      ),
    ).toEqual(['/home/ada/.codex-work/auth.json'])
    expect(codexDescriptor.credentialFiles({ provider: 'codex', id: 'd' }, env, '/home/ada')).toEqual([
      '/home/ada/.codex/auth.json',
    ])
    expect(
      codexDescriptor.credentialFiles(
        { provider: 'codex', id: 'e' },
        { ...env, CODEX_HOME: '/srv/cx' },
        '/home/ada',
      ),
    ).toEqual(['/srv/cx/auth.json'])
  })

  it.each([
    ['only ~/.codex', {}, ['/home/ada/.codex'], [['default', '/home/ada/.codex']]],
    [
      'plus CODEX_HOME',
      { CODEX_HOME: '/home/ada/.codex-work' },
      ['/home/ada/.codex', '/home/ada/.codex-work'],
      [
        ['default', '/home/ada/.codex'],
        ['work', '/home/ada/.codex-work'],
      ],
    ],
    [
      'CODEX_HOME is ~/.codex',
      { CODEX_HOME: '/home/ada/.codex/' },
      ['/home/ada/.codex'],
      [['default', '/home/ada/.codex']],
    ],
    [
      'CODEX_HOME not a directory',
      { CODEX_HOME: '/nope' },
      ['/home/ada/.codex'],
      [['default', '/home/ada/.codex']],
    ],
    [
      'CODEX_HOME named .codex elsewhere',
      { CODEX_HOME: '/srv/team/.codex' },
      ['/srv/team/.codex'],
      [['env', '/srv/team/.codex']],
    ],
    ['nothing', {}, [], []],
  ])('default accounts: %s', (_name, env, dirs, expected) => {
    const isDir = (p: string) => dirs.includes(p)
    const accounts = codexDescriptor.defaultAccounts({ HOME: '/home/ada', ...env }, '/home/ada', isDir)
    expect(accounts.map((a) => [a.id, a.configDir])).toEqual(expected)
    expect(accounts.every((a) => a.provider === 'codex')).toBe(true)
  })
})

describe('codex secrets', () => {
  it('never shows the token in any form, even when the server echoes it', async () => {
    const token = plantSecret('', 'codex')
    const account = setup(authJson({ accessToken: token }))
    server.on(USAGE, echoingReply([token]))
    const r = await fetch(account)
    expect(r.ok).toBe(false)
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${token}`)
    expectNoSecrets([token, 'rt_quotabar_test_refresh'], { texts: { result: JSON.stringify(r) } })
  })
})
