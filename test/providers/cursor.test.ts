import { copyFileSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import initSqlJs, { type SqlJsStatic, type SqlValue } from 'sql.js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cursorAdapter } from '../../src/providers/cursor/adapter.js'
import { decodeItem, tokenFromSecret } from '../../src/providers/cursor/credentials.js'
import { cursorDescriptor, stateDbPath } from '../../src/providers/cursor/descriptor.js'
import { readKeyValues } from '../../src/providers/cursor/sqlite.js'
import { planLabel } from '../../src/providers/cursor/usage.js'
import type { Account, FetchResult } from '../../src/providers/types.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, refusedUrl, startServer } from '../helpers/server.js'
import { echoingReply, expectNoSecrets, FORMS } from '../helpers/secrets.js'

const FIXTURES = join(import.meta.dirname, '../fixtures/cursor')
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'))
const NOW = new Date('2026-11-22T10:00:00Z')
const NOW_S = NOW.getTime() / 1000
const SUMMARY = '/api/usage-summary'
const LEGACY = '/api/usage'

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
/** An unsigned JWT shaped like Cursor's session token (spec §3.1). */
const jwt = (claims: Record<string, unknown>) =>
  `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: 'https://authentication.cursor.sh', aud: 'https://cursor.com', type: 'session', ...claims })}.FAKESIG`
const TOKEN = jwt({ sub: 'google-oauth2|user_01TESTCURSORAAAA', exp: NOW_S + 30 * 86400 })
const USER = 'user_01TESTCURSORAAAA'

const LOGIN: Record<string, SqlValue> = {
  'cursorAuth/accessToken': TOKEN,
  'cursorAuth/refreshToken': TOKEN,
  'cursorAuth/cachedEmail': 'dev@example.test',
  'cursorAuth/cachedSignUpType': 'Auth_0',
  'cursorAuth/stripeMembershipType': 'pro',
  'cursorAuth/stripeSubscriptionStatus': 'active',
}

let SQL: SqlJsStatic
let server: FakeServer
let home: TempHome
beforeAll(async () => {
  SQL = await initSqlJs()
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => home?.cleanup())

interface DbOptions {
  pragmas?: string[]
  /** Unrelated rows, some large enough to spill into overflow pages, as real databases have. */
  noise?: number
  table?: string
  /** The table's column definitions, and statements run after it is created. */
  columns?: string
  extra?: string[]
}

/** A real SQLite file as Cursor (VS Code) writes it: ItemTable and cursorDiskKV key/value tables. */
function writeDb(file: string, items: Record<string, SqlValue>, o: DbOptions = {}): void {
  const db = new SQL.Database()
  for (const p of o.pragmas ?? []) db.run(`PRAGMA ${p}`)
  const table = o.table ?? 'ItemTable'
  db.run(`CREATE TABLE ${table} (${o.columns ?? 'key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB'})`)
  for (const sql of o.extra ?? []) db.run(sql)
  db.run('CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)')
  const noise = o.noise ?? 300
  for (let i = 0; i < noise; i++) {
    db.run(`INSERT INTO ${table} VALUES (?, ?)`, [`workbench.state.${i}`, 'v'.repeat((i * 97) % 6000)])
    db.run('INSERT INTO cursorDiskKV VALUES (?, ?)', [
      `bubbleId:${i}`,
      JSON.stringify({ text: 'b'.repeat(i) }),
    ])
  }
  for (const [k, v] of Object.entries(items)) db.run(`INSERT INTO ${table} VALUES (?, ?)`, [k, v])
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, db.export())
  db.close()
}

function setup(items: Record<string, SqlValue> = LOGIN, o: DbOptions = {}): Account {
  home = makeHome()
  const dir = join(home.home, 'cursor-profiles', 'work')
  writeDb(stateDbPath(dir), items, o)
  return {
    provider: 'cursor',
    id: 'work',
    key: 'cursor/work',
    label: 'work',
    refreshSeconds: 600,
    configDir: dir,
    baseUrl: server.url,
  }
}

const lastRequest = (path: string) => server.requests.filter((r) => r.path === path).at(-1)
const dbOf = (a: Account) => stateDbPath(a.configDir as string)

function fetch(account: Account, env: Record<string, string> = {}, timeoutMs = 2000): Promise<FetchResult> {
  return cursorAdapter.fetchUsage(account, {
    env: { ...home.env, ...env },
    home: home.home,
    now: () => NOW,
    timeoutMs,
  })
}

async function snapshotOf(summary: string, legacy: string | null = null, items = LOGIN) {
  server.on(SUMMARY, { body: fixture(summary) })
  server.on(LEGACY, legacy ? { body: fixture(legacy) } : { status: 404, body: { error: 'Not found' } })
  const r = await fetch(setup(items))
  if (!r.ok) throw new Error(`expected ok, got ${r.error.message}`)
  return r.snapshot
}

describe('cursor usage mapping', () => {
  it('pro: the plan total is the monthly window, reset at the end of the billing cycle', async () => {
    const s = await snapshotOf('summary-pro.json')
    expect(s.windows).toEqual([
      {
        id: 'monthly',
        label: 'Plan',
        usedPercent: 63.5,
        resetsAt: '2026-12-03T08:15:00.000Z',
        windowSeconds: 30 * 86400,
      },
    ])
    expect(s.spend).toEqual([])
    expect([s.plan, s.email, s.fetchedAt]).toEqual(['Pro', 'dev@example.test', NOW.toISOString()])
  })

  it('free: nothing metered (limit 0) gives no window and no spend, never 0 %', async () => {
    const s = await snapshotOf('summary-free.json')
    expect([s.windows, s.spend, s.plan]).toEqual([[], [], 'Free'])
  })

  it('pro over plan: 100 % plus on-demand spend in dollars against its cap', async () => {
    const s = await snapshotOf('summary-pro-on-demand.json')
    expect(s.windows.map((w) => [w.id, w.usedPercent, w.resetsAt])).toEqual([
      ['monthly', 100, '2026-11-28T00:00:00.000Z'],
    ])
    expect(s.spend).toEqual([
      { id: 'on-demand', label: 'On-demand', used: 23.45, limit: 40, currency: 'USD', period: 'month' },
    ])
    expect(s.plan).toBe('Pro+')
  })

  it('team: the member cap drives the window; the pool and team on-demand are spend meters', async () => {
    const s = await snapshotOf('summary-team.json')
    expect(s.windows).toEqual([
      {
        id: 'monthly',
        label: 'Your limit',
        usedPercent: (4321 / 15000) * 100,
        resetsAt: '2026-12-01T00:00:00.000Z',
        windowSeconds: 30 * 86400,
      },
    ])
    expect(s.spend).toEqual([
      { id: 'team-pool', label: 'Team pool', used: 8800, limit: 11000, currency: 'USD', period: 'month' },
      {
        id: 'team-on-demand',
        label: 'Team on-demand',
        used: 120.5,
        limit: 2500,
        currency: 'USD',
        period: 'month',
      },
    ])
    expect(s.plan).toBe('Enterprise')
  })

  it('only a team pool (numbers as strings): the pool is the window', async () => {
    const s = await snapshotOf('summary-pool-only.json')
    expect(s.windows.map((w) => [w.label, w.usedPercent])).toEqual([['Team pool', 82.5]])
    expect(s.spend.map((x) => [x.id, x.used, x.limit])).toEqual([['team-pool', 3300, 4000]])
  })

  it('without a total, the mean of the Auto and API lanes; uncapped on-demand has no limit', async () => {
    const s = await snapshotOf('summary-lanes-only.json')
    expect(s.windows[0]?.usedPercent).toBeCloseTo(26.3, 10)
    expect(s.spend).toEqual([
      { id: 'on-demand', label: 'On-demand', used: 1.5, limit: null, currency: 'USD', period: 'month' },
    ])
    expect(s.plan).toBe('Pro') // from the app's cached membership
  })

  it('without percentages, plan cents; no cycle start means no window length', async () => {
    const s = await snapshotOf('summary-cents-only.json')
    expect(s.windows).toEqual([
      {
        id: 'monthly',
        label: 'Plan',
        usedPercent: 22.5,
        resetsAt: '2026-12-03T08:15:00.000Z',
        windowSeconds: null,
      },
    ])
    expect(s.plan).toBe('Ultra')
  })

  it('money blocks that report used 0 while limit − remaining is positive: the delta is the spend', async () => {
    const body = {
      billingCycleStart: '2026-11-01T00:00:00.000Z',
      billingCycleEnd: '2026-12-01T00:00:00.000Z',
      membershipType: 'enterprise',
      individualUsage: {
        onDemand: { enabled: true, used: 0, limit: 4000, remaining: 1550 },
        overall: { enabled: true, used: 0, limit: 15000, remaining: 12000 },
      },
      teamUsage: {
        pooled: { enabled: true, used: 0, limit: 11000, remaining: 2200 },
        // A larger `used` wins over the delta: the delta only fills in a spend reported as zero.
        onDemand: { enabled: true, used: 900, limit: 2500, remaining: 2000 },
      },
    }
    server.on(SUMMARY, { body })
    server.on(LEGACY, { status: 404, body: { error: 'Not found' } })
    const r = await fetch(setup())
    if (!r.ok) throw new Error(r.error.message)
    expect(r.snapshot.windows.map((w) => [w.label, w.usedPercent])).toEqual([['Your limit', 20]])
    expect(r.snapshot.spend.map((x) => [x.id, x.used, x.limit])).toEqual([
      ['on-demand', 24.5, 40],
      ['team-pool', 88, 110],
      ['team-on-demand', 9, 25],
    ])
  })

  it('keeps what parses: a malformed money block drops only itself, with a note', async () => {
    const body = fixture('summary-team.json')
    body.teamUsage.pooled.used = 'bad'
    server.on(SUMMARY, { body })
    server.on(LEGACY, { status: 404, body: { error: 'Not found' } })
    const r = await fetch(setup())
    if (!r.ok) throw new Error(r.error.message)
    expect(r.snapshot.windows.map((w) => w.label)).toEqual(['Your limit'])
    expect(r.snapshot.spend.map((x) => x.id)).toEqual(['team-on-demand'])
    expect(r.snapshot.notes).toEqual([expect.stringMatching(/^meter left out \(teamUsage\.pooled\.used: /)])
  })

  it('a legacy request plan: the request quota replaces the plan percentages', async () => {
    const s = await snapshotOf('summary-pro.json', 'legacy-requests.json')
    expect(s.windows).toEqual([
      {
        id: 'monthly',
        label: 'Requests',
        usedPercent: 62.4,
        resetsAt: '2026-11-30T09:30:00.000Z',
        windowSeconds: 30 * 86400,
      },
    ])
    const req = lastRequest(LEGACY)
    expect(req?.headers.cookie).toBe(`WorkosCursorSessionToken=${USER}%3A%3A${TOKEN}`)
  })

  it('legacy counters without a cap (usage-based plans) are ignored', async () => {
    const s = await snapshotOf('summary-pro.json', 'legacy-usage-based.json')
    expect(s.windows.map((w) => [w.label, w.usedPercent])).toEqual([['Plan', 63.5]])
  })

  it.each([
    ['500', { status: 500, raw: 'boom' }],
    ['HTML', { raw: '<html>login</html>', headers: { 'content-type': 'text/html' } }],
    ['drift', { body: { 'gpt-4': { maxRequestUsage: 'many' } } }],
    ['hang', { hang: true }],
  ])('a failing legacy counter (%s) does not fail the refresh', async (_name, reply) => {
    server.on(SUMMARY, { body: fixture('summary-pro.json') })
    server.on(LEGACY, reply)
    const r = await fetch(setup(), {}, 400)
    expect(r.ok && r.snapshot.windows[0]?.usedPercent).toBe(63.5)
  })

  it('sends the session cookie built from the JWT sub, and the user id to the legacy counter', async () => {
    server.on(SUMMARY, { body: fixture('summary-pro.json') })
    const before = server.requests.length
    let query = ''
    server.on(LEGACY, (req) => {
      query = new URL(req.url ?? '/', 'http://x').search
      return { status: 404, body: {} }
    })
    await fetch(setup())
    const req = server.requests.slice(before).find((r) => r.path === SUMMARY)
    expect(req?.headers.cookie).toBe(`WorkosCursorSessionToken=${USER}%3A%3A${TOKEN}`)
    expect(req?.headers.accept).toBe('application/json')
    expect(query).toBe(`?user=${USER}`)
  })

  it.each([
    ['pro', 'Pro'],
    ['pro_plus', 'Pro+'],
    ['free_trial', 'Free trial'],
    ['enterprise', 'Enterprise'],
    ['team_plan', 'Team Plan'],
    ['', null],
    [null, null],
  ])('plan label %s → %s', (membership, label) => {
    expect(planLabel(membership)).toBe(label)
  })
})

describe('cursor errors', () => {
  const cases: [string, Parameters<FakeServer['on']>[1], string, RegExp, RegExp | null][] = [
    [
      '401',
      { status: 401, body: fixture('error-401.json') },
      'auth',
      /HTTP 401/,
      /^open Cursor .*and log in again$/,
    ],
    ['403', { status: 403, raw: '' }, 'auth', /HTTP 403/, /open Cursor/],
    ['404', { status: 404, body: { error: 'Not found' } }, 'http', /HTTP 404/, /quotabar update/],
    ['500', { status: 500, raw: 'upstream broke' }, 'http', /HTTP 500/, /tries again later/],
    [
      'HTML 503',
      { status: 503, raw: '<html>down</html>', headers: { 'content-type': 'text/html' } },
      'http',
      /HTTP 503.*HTML/,
      /tries again later/,
    ],
    [
      'HTML 200',
      {
        raw: '<!doctype html><title>Vercel Security Checkpoint</title>',
        headers: { 'content-type': 'text/html' },
      },
      'schema',
      /HTML page/,
      /proxy/,
    ],
    [
      'schema drift',
      { body: fixture('summary-drift.json') },
      'schema',
      /individualUsage\.plan\.totalPercentUsed/,
      /changed its usage format/,
    ],
    ['bad date', { body: { billingCycleEnd: 'next month' } }, 'schema', /not a date/, /usage format/],
    ['not an object', { body: [1, 2] }, 'schema', /unexpected response/, /usage format/],
    ['truncated body', { raw: '{"individualUsage": {"pl' }, 'schema', /not JSON/, /usage format/],
  ]
  it.each(cases)('%s', async (_name, reply, kind, message, fix) => {
    server.on(SUMMARY, reply)
    server.on(LEGACY, { status: 404, raw: '' })
    const r = await fetch(setup())
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect([r.error.kind, r.error.message, r.error.fix]).toEqual([
      kind,
      expect.stringMatching(message),
      fix ? expect.stringMatching(fix) : null,
    ])
    expect(JSON.stringify(r)).not.toContain(TOKEN.split('.')[1])
    expect(r.fingerprint).toMatch(/^[0-9a-f]{12}$/)
  })

  it('429 carries Retry-After seconds, and null when absent', async () => {
    server.on(SUMMARY, {
      status: 429,
      body: { error: 'Too many requests' },
      headers: { 'retry-after': '120' },
    })
    const a = await fetch(setup())
    expect(!a.ok && [a.error.kind, a.retryAfterSeconds]).toEqual(['rate-limited', 120])
    server.on(SUMMARY, { status: 429, body: { error: 'Too many requests' } })
    const b = await fetch(setup())
    expect(!b.ok && [b.error.kind, b.retryAfterSeconds]).toEqual(['rate-limited', null])
  })

  it('a server that never answers is a timeout', async () => {
    server.on(SUMMARY, { hang: true })
    const r = await fetch(setup(), {}, 300)
    expect(!r.ok && [r.error.kind, r.error.fix]).toEqual(['timeout', expect.stringMatching(/network/)])
  })

  it('a refused connection is a network error', async () => {
    const r = await fetch({ ...setup(), baseUrl: await refusedUrl() })
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual([
      'network',
      expect.stringMatching(/ECONNREFUSED/),
    ])
  })

  it('refuses to send the session over plain http to a non-loopback host', async () => {
    const count = server.requests.length
    const r = await fetch({ ...setup(), baseUrl: 'http://example.invalid:8080' })
    expect(!r.ok && r.error.kind).toBe('config')
    expect(server.requests.length).toBe(count)
  })
})

describe('cursor session from state.vscdb (read-only, no refresh)', () => {
  const ok = () => server.on(SUMMARY, { body: fixture('summary-pro.json') })

  it('the database is byte-identical after a fetch and no -wal/-shm/-journal file appears', async () => {
    ok()
    const account = setup()
    const file = dbOf(account)
    const before = readFileSync(file)
    const names = readdirSync(dirname(file))
    const r = await fetch(account)
    expect(r.ok).toBe(true)
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(readdirSync(dirname(file))).toEqual(names)
  })

  it('an expired JWT is reported without a request; the same login keeps its fingerprint', async () => {
    const count = server.requests.length
    const expired = jwt({ sub: 'google-oauth2|user_01TESTCURSORAAAA', exp: NOW_S - 3600 })
    const r = await fetch(setup({ ...LOGIN, 'cursorAuth/accessToken': expired }))
    expect(!r.ok && [r.error.kind, r.error.message, r.error.fix]).toEqual([
      'auth',
      'Cursor session expired',
      expect.stringMatching(/cursor --user-data-dir .*cursor-profiles\/work` and log in again/),
    ])
    expect(server.requests.length).toBe(count)
    ok()
    const fresh = await fetch(setup())
    expect(fresh.fingerprint).toBe(r.fingerprint)
  })

  it('a token with less than a minute left counts as expired', async () => {
    const soon = jwt({ sub: 'auth0|user_soon', exp: NOW_S + 59 })
    const r = await fetch(setup({ 'cursorAuth/accessToken': soon }))
    expect(!r.ok && r.error.kind).toBe('auth')
  })

  it('a missing database: Cursor not installed or not logged in', async () => {
    const account = { ...setup(), configDir: join(home.home, 'nowhere') }
    const r = await fetch(account)
    expect(!r.ok && [r.error.kind, r.error.message, r.fingerprint]).toEqual([
      'credentials',
      expect.stringMatching(
        /not installed or not logged in: no .*nowhere\/User\/globalStorage\/state\.vscdb/,
      ),
      null,
    ])
  })

  it.each([
    ['no token key', { 'cursorAuth/cachedEmail': 'x@example.test' }, {}],
    ['an empty token', { 'cursorAuth/accessToken': '  ' }, {}],
    ['a NULL token', { 'cursorAuth/accessToken': null }, {}],
    ['no ItemTable at all', LOGIN, { table: 'OtherTable' }],
  ])('a database with %s is not a login', async (_name, items, o) => {
    const count = server.requests.length
    const r = await fetch(setup(items, o))
    expect(!r.ok && [r.error.kind, r.error.message, r.error.fix]).toEqual([
      'credentials',
      expect.stringMatching(/not logged in to Cursor: .* holds no session/),
      expect.stringMatching(/log in$/),
    ])
    expect(server.requests.length).toBe(count)
  })

  it('a truncated or foreign file is reported, not thrown', async () => {
    const account = setup()
    const file = dbOf(account)
    const bytes = readFileSync(file)
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)))
    const truncated = await fetch(account)
    expect(!truncated.ok && [truncated.error.kind, truncated.error.message]).toEqual([
      'credentials',
      expect.stringMatching(/cannot read .*state\.vscdb \(page \d+ (out of range|is truncated)\)/),
    ])
    writeFileSync(file, '{"not": "sqlite"}'.repeat(20))
    const foreign = await fetch(account)
    expect(!foreign.ok && foreign.error.message).toMatch(/not a SQLite database/)
    writeFileSync(file, '')
    const empty = await fetch(account)
    expect(!empty.ok && empty.error.message).toMatch(/holds no session/)
  })

  it.each([
    ['not a JWT', 'opaque-session-value', /is not a JWT/],
    ['claims that are not JSON', 'aaa.bm90IGpzb24.sig', /is not a JWT/],
    ['no sub', jwt({ exp: NOW_S + 3600 }), /names no user/],
  ])('a token that is %s', async (_name, token, message) => {
    const r = await fetch(setup({ 'cursorAuth/accessToken': token }))
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual(['credentials', expect.stringMatching(message)])
  })

  it('BLOB values in UTF-16LE and UTF-8 are decoded', async () => {
    ok()
    const r = await fetch(
      setup({
        'cursorAuth/accessToken': new Uint8Array(Buffer.from(TOKEN, 'utf16le')),
        'cursorAuth/cachedEmail': new Uint8Array(Buffer.from('blob@example.test', 'utf8')),
      }),
    )
    expect(r.ok && r.snapshot.email).toBe('blob@example.test')
    expect(server.requests.at(-1)?.headers.cookie).toContain(`%3A%3A${TOKEN}`)
    expect(decodeItem(new Uint8Array([0xff, 0xfe, 0x61, 0x00]))).toBe('a')
    expect(decodeItem(42)).toBe('42')
  })

  it('finds the default data dir under XDG_CONFIG_HOME, then the macOS one', async () => {
    ok()
    home = makeHome()
    const base = { provider: 'cursor', id: 'default', key: 'cursor/default', label: 'default' }
    const account = { ...base, refreshSeconds: 600, baseUrl: server.url }
    const missing = await fetch(account)
    expect(!missing.ok && missing.error.message).toMatch(
      /\.config\/Cursor\/User\/globalStorage\/state\.vscdb/,
    )
    expect(!missing.ok && missing.error.fix).toBe('open Cursor and log in')
    writeDb(stateDbPath(join(home.home, 'Library', 'Application Support', 'Cursor')), LOGIN)
    const mac = await fetch(account)
    expect(mac.ok && mac.snapshot.email).toBe('dev@example.test')
  })

  it('a token from apiKeyEnv: a bare JWT or the WorkosCursorSessionToken cookie value', async () => {
    ok()
    const other = jwt({ sub: 'github|user_02SECONDACCOUNT', exp: NOW_S + 86400 })
    const account = { ...setup(), apiKeyEnv: 'CURSOR_WORK_SESSION' }
    const r = await fetch(account, { CURSOR_WORK_SESSION: `user_02SECONDACCOUNT%3A%3A${other}` })
    expect(r.ok && [r.snapshot.email, r.snapshot.plan]).toEqual([null, 'Pro'])
    expect(lastRequest(SUMMARY)?.headers.cookie).toBe(
      `WorkosCursorSessionToken=user_02SECONDACCOUNT%3A%3A${other}`,
    )
    const unset = await fetch(account)
    expect(!unset.ok && [unset.error.kind, unset.error.message]).toEqual([
      'credentials',
      '$CURSOR_WORK_SESSION is not set',
    ])
    server.on(SUMMARY, { status: 401, body: fixture('error-401.json') })
    const rejected = await fetch(account, { CURSOR_WORK_SESSION: other })
    expect(!rejected.ok && rejected.error.fix).toMatch(/\$CURSOR_WORK_SESSION/)
  })

  it.each([
    ['eyJ.a.b', 'eyJ.a.b'],
    ['user_1%3A%3AeyJ.a.b', 'eyJ.a.b'],
    ['WorkosCursorSessionToken=user_1::eyJ.a.b\n', 'eyJ.a.b'],
  ])('tokenFromSecret(%j)', (secret, token) => {
    expect(tokenFromSecret(secret)).toBe(token)
  })
})

describe('cursor WAL-mode database (a real SQLite log)', () => {
  function walAccount(): Account {
    home = makeHome()
    const dir = join(home.home, 'wal-profile')
    const target = dirname(stateDbPath(dir))
    mkdirSync(target, { recursive: true })
    for (const f of ['state.vscdb', 'state.vscdb-wal'])
      copyFileSync(join(FIXTURES, 'wal', f), join(target, f))
    return {
      provider: 'cursor',
      id: 'w',
      key: 'cursor/w',
      label: 'w',
      refreshSeconds: 600,
      configDir: dir,
      baseUrl: server.url,
    }
  }
  const cookieUser = () =>
    /WorkosCursorSessionToken=(user_[a-z_]+)%3A%3A/.exec(String(server.requests.at(-1)?.headers.cookie))?.[1]

  it('reads the newest committed login from the log, and leaves both files untouched', async () => {
    server.on(SUMMARY, { body: fixture('summary-pro.json') })
    const account = walAccount()
    const file = dbOf(account)
    const before = [readFileSync(file), readFileSync(`${file}-wal`)]
    const r = await fetch(account)
    expect(r.ok && r.snapshot.email).toBe('first@example.test')
    expect(cookieUser()).toBe('user_wal_second')
    expect(readFileSync(file).equals(before[0] as Buffer)).toBe(true)
    expect(readFileSync(`${file}-wal`).equals(before[1] as Buffer)).toBe(true)
    expect(readdirSync(dirname(file)).sort()).toEqual(['state.vscdb', 'state.vscdb-wal'])
  })

  it('a torn last frame or a bad checksum ends the log at the previous commit', async () => {
    server.on(SUMMARY, { body: fixture('summary-pro.json') })
    const account = walAccount()
    const wal = `${dbOf(account)}-wal`
    const bytes = readFileSync(wal)
    truncateSync(wal, bytes.length - 1)
    await fetch(account)
    expect(cookieUser()).toBe('user_wal_first')
    const flipped = Buffer.from(bytes)
    const frame = 24 + 4096
    const fifth = 32 + 4 * frame + 24 + 100
    flipped[fifth] = (flipped[fifth] ?? 0) ^ 0xff
    writeFileSync(wal, flipped)
    await fetch(account)
    expect(cookieUser()).toBe('user_wal_first')
  })

  it('without a usable log the main file is read: its login has expired', async () => {
    const account = walAccount()
    const wal = `${dbOf(account)}-wal`
    writeFileSync(wal, Buffer.alloc(4096, 7))
    const count = server.requests.length
    const r = await fetch(account)
    expect(!r.ok && [r.error.kind, r.error.fix]).toEqual(['auth', expect.stringMatching(/--user-data-dir/)])
    expect(server.requests.length).toBe(count)
  })
})

describe('the page reader agrees with SQLite', () => {
  it.each([
    ['4096-byte pages', ['page_size=4096']],
    ['512-byte pages', ['page_size=512']],
    ['64 KiB pages', ['page_size=65536']],
    ['UTF-16LE text', ["encoding='UTF-16le'"]],
    ['UTF-16BE text, auto-vacuum', ["encoding='UTF-16be'", 'auto_vacuum=FULL']],
    [
      'an explicit UNIQUE index',
      [],
      'key TEXT, value BLOB',
      ['CREATE UNIQUE INDEX by_key ON ItemTable (key ASC)'],
    ],
    ['no index: every row is read', [], 'key TEXT, value BLOB'],
    [
      'a NOCASE key: its index is not in byte order, so it is not used',
      [],
      'key TEXT UNIQUE COLLATE NOCASE, value BLOB',
    ],
  ])(
    '%s: every row, including overflow chains, after deletes',
    (_name, pragmas, columns?: string, extra?: string[]) => {
      home = makeHome()
      const file = join(home.home, 'oracle.vscdb')
      const items: Record<string, SqlValue> = {
        'ünïcödé/key': 'välue ✓',
        '\u{1F600} after \uFFFD in UTF-8, before it in UTF-16': 'emoji',
        '\uFFFD': 'replacement',
        'cursorAuth/n': 7,
        blob: new Uint8Array([0, 1, 255]),
      }
      for (let i = 0; i < 700; i++) items[`k/${i}`] = `${i}:`.padEnd((i * 131) % 9000, 'é')
      // Keys long enough to spill an index cell into overflow pages (index cells keep less locally).
      for (let i = 0; i < 40; i++) items[`long/${i}/`.padEnd(200 + i * 97, 'x')] = i
      writeDb(file, items, { pragmas, noise: 50, columns, extra })
      const db = new SQL.Database(readFileSync(file))
      db.run("DELETE FROM ItemTable WHERE key LIKE 'k/%3'")
      // Keys that are not text sort before (NULL, numbers) or after (BLOB) every text key.
      db.run("INSERT INTO ItemTable VALUES (NULL, 1), (x'00ff', 2), (CAST(1.5 AS REAL), 3)")
      writeFileSync(file, db.export())
      const rows = (db.exec('SELECT key, value FROM ItemTable')[0]?.values ?? []).filter(
        ([key]) => typeof key === 'string',
      )
      db.close()
      const got = readKeyValues(file, 'ItemTable', [...rows.map((r) => String(r[0])), 'absent', 'k/3', ''])
      expect(got.size).toBe(rows.length)
      for (const [key, value] of rows) expect(got.get(String(key))).toEqual(value)
      expect(got.has('k/3')).toBe(false)
    },
  )

  it('finds the login through the key index without reading the rest of the table', () => {
    home = makeHome()
    // The same damage to every leaf page of ItemTable that holds no login row: a reader that
    // scans the table fails on it, one that descends the key index never reads those pages.
    const damaged = (columns: string) => {
      const file = join(home.home, `${columns.length}.vscdb`)
      writeDb(file, LOGIN, { noise: 3000, columns, pragmas: ['page_size=4096'] })
      const bytes = readFileSync(file)
      let hit = 0
      for (let at = 4096; at < bytes.length; at += 4096) {
        const page = bytes.subarray(at, at + 4096)
        if (page[0] === 0x0d && !page.includes('cursorAuth/') && page.includes('workbench.state.')) {
          page[0] = 0xff
          hit++
        }
      }
      writeFileSync(file, bytes)
      expect(hit).toBeGreaterThan(20)
      return file
    }
    const indexed = damaged('key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB')
    const got = readKeyValues(indexed, 'ItemTable', Object.keys(LOGIN))
    expect(Object.fromEntries(got)).toEqual(LOGIN)
    expect(() => readKeyValues(damaged('key TEXT, value BLOB'), 'ItemTable', Object.keys(LOGIN))).toThrow(
      /not a table b-tree page/,
    )
  })
})

describe('cursor descriptor', () => {
  it('points at state.vscdb in the configured or default data dirs', () => {
    const env = { XDG_CONFIG_HOME: '/x/cfg' }
    expect(
      cursorDescriptor.credentialFiles(
        { provider: 'cursor', id: 'a', configDir: '~/cw' },
        { HOME: '/h' },
        '/h',
      ),
    ).toEqual(['/h/cw/User/globalStorage/state.vscdb'])
    expect(cursorDescriptor.credentialFiles({ provider: 'cursor', id: 'a' }, env, '/h')).toEqual([
      '/x/cfg/Cursor/User/globalStorage/state.vscdb',
      '/h/Library/Application Support/Cursor/User/globalStorage/state.vscdb',
    ])
  })

  it('discovers the default account only where Cursor has a globalStorage dir', () => {
    const dirs = new Set(['/h/Library/Application Support/Cursor/User/globalStorage'])
    expect(cursorDescriptor.defaultAccounts({}, '/h', (p) => dirs.has(p))).toEqual([
      { provider: 'cursor', id: 'default', configDir: '/h/Library/Application Support/Cursor' },
    ])
    expect(cursorDescriptor.defaultAccounts({}, '/h', () => false)).toEqual([])
  })

  it('polls no faster than every 5 minutes', () => {
    expect([cursorDescriptor.defaultRefreshSeconds, cursorDescriptor.minRefreshSeconds]).toEqual([600, 300])
  })
})

describe('cursor secrets', () => {
  it.each(FORMS)('never shows the session, even when the server echoes it (%s)', async (form) => {
    server.on(SUMMARY, echoingReply([TOKEN], 400, form))
    server.on(LEGACY, echoingReply([TOKEN], 400, form))
    const r = await fetch(setup())
    expect(r.ok).toBe(false)
    expectNoSecrets([TOKEN], { texts: { result: JSON.stringify(r) } })
  })
})
