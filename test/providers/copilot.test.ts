import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { copilotAdapter, copilotUserUrl } from '../../src/providers/copilot/adapter.js'
import { copilotDescriptor } from '../../src/providers/copilot/descriptor.js'
import { planLabel } from '../../src/providers/copilot/usage.js'
import type { Account, FetchResult } from '../../src/providers/types.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, refusedUrl, startServer } from '../helpers/server.js'
import { echoingReply, expectNoSecrets, plantSecret } from '../helpers/secrets.js'
import { fetchLoaded } from '../helpers/fetch.js'

const FIXTURES = join(import.meta.dirname, '../fixtures/copilot')
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'))
const NOW = new Date('2026-11-22T10:00:00Z')
const USER = '/copilot_internal/user'
const TOKEN = 'gho_fake_default_github.com_0123456789'

let server: FakeServer
let home: TempHome
let gh: { bin: string; log: string; configDir: string; hostsFile: string }
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => home?.cleanup())

/** A temp HOME with gh's hosts.yml and a fake `gh` first on PATH (it never touches hosts.yml). */
function setup(extra: Partial<Account> = {}): Account {
  home = makeHome()
  const bin = join(home.home, 'bin')
  const configDir = join(home.home, '.config', 'gh')
  mkdirSync(bin, { recursive: true })
  mkdirSync(configDir, { recursive: true })
  copyFileSync(join(FIXTURES, 'gh-fake.sh'), join(bin, 'gh'))
  chmodSync(join(bin, 'gh'), 0o755)
  copyFileSync(join(FIXTURES, 'gh-hosts.yml'), join(configDir, 'hosts.yml'))
  gh = { bin, log: join(home.home, 'gh-calls.log'), configDir, hostsFile: join(configDir, 'hosts.yml') }
  return account(extra)
}

/** The account alone, for a second fetch in the same temp HOME. */
function account(extra: Partial<Account> = {}): Account {
  const base = { provider: 'copilot', id: 'default', key: 'copilot/default', label: 'default' }
  return { ...base, refreshSeconds: 300, baseUrl: server.url, ...extra }
}

function fetch(account: Account, env: Record<string, string> = {}, timeoutMs = 2000): Promise<FetchResult> {
  return fetchLoaded(copilotAdapter, account, {
    env: { ...home.env, PATH: `${gh.bin}:/usr/bin:/bin`, FAKE_GH_LOG: gh.log, ...env },
    home: home.home,
    now: () => NOW,
    timeoutMs,
  })
}

const ghCalls = () => (existsSync(gh.log) ? readFileSync(gh.log, 'utf8').trim().split('\n') : [])

async function snapshotOf(name: string) {
  server.on(USER, { body: fixture(name) })
  const r = await fetch(setup())
  if (!r.ok) throw new Error(`expected ok, got ${r.error.message}`)
  return r.snapshot
}

const DEC_1 = '2026-12-01T00:00:00.000Z'
const NOVEMBER = 30 * 86400

describe('copilot usage mapping', () => {
  it('keeps what parses: a malformed bucket drops only itself, with a note', async () => {
    const body = fixture('user-free-tbb.json')
    const snaps = body.quota_snapshots
    server.on(USER, {
      body: {
        ...body,
        quota_snapshots: {
          ...snaps,
          premium_interactions: { entitlement: 300, percent_remaining: 'bad', unlimited: false },
          chat: { entitlement: 50, percent_remaining: 40, unlimited: false },
        },
      },
    })
    const r = await fetch(setup())
    if (!r.ok) throw new Error(r.error.message)
    expect(r.snapshot.windows.map((w) => [w.id, w.usedPercent])).toEqual([
      ['chat', 60],
      ['completions', 9],
    ])
    expect(r.snapshot.notes).toEqual([
      expect.stringMatching(/^bucket left out \(quota_snapshots\.premium_interactions\.percent_remaining: /),
    ])
  })

  it('Free (legacy): remaining/total counts, reset from limited_user_reset_date', async () => {
    const s = await snapshotOf('user-free-legacy.json')
    expect(s.windows).toEqual([
      {
        id: 'chat',
        label: 'Chat',
        usedPercent: 26,
        resetsAt: '2026-12-09T00:00:00.000Z',
        windowSeconds: NOVEMBER,
      },
      {
        id: 'completions',
        label: 'Completions',
        usedPercent: 25,
        resetsAt: '2026-12-09T00:00:00.000Z',
        windowSeconds: NOVEMBER,
      },
    ])
    expect([s.plan, s.email, s.spend, s.fetchedAt]).toEqual(['Free', 'ada-free', [], NOW.toISOString()])
  })

  it('Free (token billing): no premium meter (has_quota false), numeric strings, unknown buckets ignored', async () => {
    const s = await snapshotOf('user-free-tbb.json')
    expect(s.windows).toEqual([
      { id: 'chat', label: 'Chat', usedPercent: 25, resetsAt: DEC_1, windowSeconds: NOVEMBER },
      { id: 'completions', label: 'Completions', usedPercent: 9, resetsAt: DEC_1, windowSeconds: NOVEMBER },
    ])
    expect([s.plan, s.email]).toEqual(['Free', 'ada-tbb'])
  })

  it('Pro+ premium requests: unlimited chat/completions are absent, reset from quota_reset_date', async () => {
    const s = await snapshotOf('user-pro-plus-prm.json')
    expect(s.windows).toEqual([
      { id: 'premium', label: 'Premium', usedPercent: 42.75, resetsAt: DEC_1, windowSeconds: NOVEMBER },
    ])
    expect([s.plan, s.email, s.spend]).toEqual(['Pro+', null, []])
  })

  it('Pro+ AI credits: the premium window is labelled AI credits', async () => {
    const s = await snapshotOf('user-pro-plus-credits.json')
    expect(s.windows).toEqual([
      { id: 'premium', label: 'AI credits', usedPercent: 64.99, resetsAt: DEC_1, windowSeconds: NOVEMBER },
    ])
    expect([s.plan, s.email, s.spend]).toEqual(['Pro+', 'ada', []])
  })

  it('Business seat with legacy overage: above 100 % and a $0.04-per-request spend meter', async () => {
    const s = await snapshotOf('user-business-prm.json')
    expect(s.windows).toEqual([
      { id: 'premium', label: 'Premium', usedPercent: 115, resetsAt: DEC_1, windowSeconds: NOVEMBER },
    ])
    expect(s.spend).toEqual([
      { id: 'overage', label: 'Premium overage', used: 1.8, limit: null, currency: 'USD', period: 'month' },
    ])
    expect(s.plan).toBe('Business')
  })

  it('over quota (negative remaining): usedPercent above 100', async () => {
    const s = await snapshotOf('user-pro-over-quota.json')
    expect(s.windows.map((w) => [w.id, w.usedPercent])).toEqual([['premium', 100.83]])
    expect(s.plan).toBe('Pro')
  })

  it('org-managed seat: placeholders give no window (not 0 % or 100 %), the plan says why', async () => {
    const s = await snapshotOf('user-business-org-seat.json')
    expect(s.windows).toEqual([])
    expect(s.plan).toBe('Enterprise (managed by your organisation)')
    expect(s.spend).toEqual([
      { id: 'credits', label: 'AI credits', used: 31.87, limit: null, currency: 'USD', period: 'month' },
    ])
  })

  it('unlimited: true with a non-zero entitlement is still unlimited: no window, never a share of it', async () => {
    const body = fixture('user-unlimited.json')
    for (const b of Object.values(body.quota_snapshots) as Record<string, unknown>[]) {
      Object.assign(b, { entitlement: 300, remaining: 120, quota_remaining: 120, percent_remaining: 40 })
    }
    server.on(USER, { body })
    const r = await fetch(setup())
    if (!r.ok) throw new Error(r.error.message)
    expect([r.snapshot.windows, r.snapshot.plan, r.snapshot.spend]).toEqual([[], 'Max (unlimited)', []])
  })

  it('a personal plan with every bucket unlimited: no window, plan marked unlimited', async () => {
    const s = await snapshotOf('user-unlimited.json')
    expect([s.windows, s.plan, s.spend]).toEqual([[], 'Max (unlimited)', []])
  })

  it('no Copilot (can sign up for Free): no windows, plan says so', async () => {
    const s = await snapshotOf('user-no-copilot.json')
    expect([s.windows, s.plan, s.email]).toEqual([[], 'No plan (Free available)', 'ada-none'])
  })

  it('the window is the calendar month before the reset (31 days before 1 January)', async () => {
    server.on(USER, {
      body: {
        copilot_plan: 'individual_pro',
        quota_reset_date: '',
        quota_reset_date_utc: '2027-01-01T00:00:00.000Z',
        quota_snapshots: { premium_interactions: { entitlement: '1500', remaining: '1200' } },
      },
    })
    const r = await fetch(setup())
    expect(r.ok && r.snapshot.windows).toEqual([
      {
        id: 'premium',
        label: 'Premium',
        usedPercent: 20,
        resetsAt: '2027-01-01T00:00:00.000Z',
        windowSeconds: 31 * 86400,
      },
    ])
  })

  it('sends the gh token and the editor headers', async () => {
    server.on(USER, { body: fixture('user-pro-plus-prm.json') })
    const before = server.requests.length
    await fetch(setup())
    const req = server.requests[before]
    expect(req?.path).toBe(USER)
    expect(req?.headers).toMatchObject({
      authorization: `token ${TOKEN}`,
      accept: 'application/json',
      'editor-version': 'vscode/1.96.2',
      'editor-plugin-version': 'copilot-chat/0.26.7',
      'user-agent': 'GitHubCopilotChat/0.26.7',
      'x-github-api-version': '2025-04-01',
    })
    expect(ghCalls()).toEqual(['auth token|'])
  })

  it.each([
    [{ access_type_sku: 'free_limited_copilot', copilot_plan: 'individual' }, 'Free'],
    [{ access_type_sku: 'free_educational_quota' }, 'EDU'],
    [
      { access_type_sku: '', copilot_plan: 'individual', can_signup_for_limited: true },
      'No plan (Free available)',
    ],
    [{ access_type_sku: 'monthly_subscriber_quota', copilot_plan: 'individual' }, 'Pro'],
    [{ copilot_plan: 'individual_pro' }, 'Pro+'],
    [{ copilot_plan: 'individual_max' }, 'Max'],
    [{ copilot_plan: 'individual_edu' }, 'EDU'],
    [{ copilot_plan: 'business' }, 'Business'],
    [{ copilot_plan: 'enterprise' }, 'Enterprise'],
    [{ copilot_plan: 'something_new' }, null],
    [{}, null],
  ])('plan label %j → %s', (u, label) => {
    expect(planLabel(u)).toBe(label)
  })
})

describe('copilot errors', () => {
  const cases: [string, Parameters<FakeServer['on']>[1], string, RegExp, RegExp | null][] = [
    ['401', { status: 401, body: fixture('error-401.json') }, 'auth', /Bad credentials/, /gh auth login/],
    [
      '403 primary rate limit',
      { status: 403, body: fixture('error-403-rate-limit.json'), headers: { 'x-ratelimit-remaining': '0' } },
      'rate-limited',
      /HTTP 403.*API rate limit exceeded/,
      /rate limit/,
    ],
    [
      '403 forbidden',
      { status: 403, body: fixture('error-403-forbidden.json') },
      'forbidden',
      /Resource not accessible/,
      /has Copilot/,
    ],
    ['404', { status: 404, body: fixture('error-404.json') }, 'forbidden', /HTTP 404.*Not Found/, /baseUrl/],
    ['500', { status: 500, raw: 'upstream broke' }, 'http', /HTTP 500/, /GitHub is having trouble/],
    [
      'HTML 200',
      { raw: '<!DOCTYPE html><title>Sign in to Wi-Fi</title>', headers: { 'content-type': 'text/html' } },
      'schema',
      /HTML page/,
      /captive portal/,
    ],
    [
      'HTML 502',
      { status: 502, raw: '<html>bad gateway</html>', headers: { 'content-type': 'text/html' } },
      'http',
      /HTTP 502.*HTML/,
      /retries later/,
    ],
    [
      'schema drift',
      { body: fixture('user-drift.json') },
      'schema',
      /quota_snapshots\.premium_interactions\.percent_remaining/,
      /update/,
    ],
    ['bad date', { body: { quota_reset_date: 'next month' } }, 'schema', /not a date/, /update/],
    ['not an object', { body: ['user'] }, 'schema', /unexpected response/, /update/],
    ['truncated body', { raw: '{"login": "ad' }, 'schema', /not JSON/, /update/],
  ]
  it.each(cases)('%s', async (_name, reply, kind, message, fix) => {
    server.on(USER, reply)
    const r = await fetch(setup())
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.kind).toBe(kind)
    expect(r.error.message).toMatch(message)
    expect(r.error.fix).toMatch(fix ?? /.^/)
    expect(JSON.stringify(r)).not.toContain(TOKEN)
  })

  it('401 for a second gh account names the login to sign in as', async () => {
    server.on(USER, { status: 401, body: fixture('error-401.json') })
    const r = await fetch(setup({ githubUser: 'ada-work' }))
    expect(!r.ok && [r.error.kind, r.error.httpStatus, r.error.fix]).toEqual([
      'auth',
      401,
      'run `gh auth login` and sign in as ada-work (gh 2.40+ keeps several accounts; `gh auth status` lists them) to log in again',
    ])
  })

  it('429 secondary rate limit carries Retry-After seconds, and null when absent', async () => {
    server.on(USER, {
      status: 429,
      body: fixture('error-429-secondary.json'),
      headers: { 'retry-after': '60' },
    })
    const a = await fetch(setup())
    expect(!a.ok && [a.error.kind, a.retryAfterSeconds, a.error.message]).toEqual([
      'rate-limited',
      60,
      expect.stringMatching(/secondary rate limit/),
    ])
    server.on(USER, { status: 429, body: fixture('error-429-secondary.json') })
    const b = await fetch(setup())
    expect(!b.ok && [b.error.kind, b.retryAfterSeconds]).toEqual(['rate-limited', null])
  })

  it('a server that never answers is a timeout', async () => {
    server.on(USER, { hang: true })
    const r = await fetch(setup(), {}, 300)
    expect(!r.ok && [r.error.kind, r.error.fix]).toEqual(['timeout', expect.stringMatching(/network/)])
  })

  it('a refused connection is a network error', async () => {
    const r = await fetch(setup({ baseUrl: await refusedUrl() }))
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual([
      'network',
      expect.stringMatching(/ECONNREFUSED/),
    ])
  })

  it('refuses to send the token over plain http to a non-loopback host', async () => {
    const r = await fetch(setup({ baseUrl: 'http://example.invalid:8080' }))
    expect(!r.ok && [r.error.kind, r.error.fix]).toEqual(['config', expect.stringMatching(/https/)])
  })
})

describe('copilot token from gh (read-only, never echoed)', () => {
  it('passes --user and --hostname to gh and uses the GHE API origin from baseUrl', async () => {
    server.on(USER, { body: fixture('user-pro-plus-prm.json') })
    const before = server.requests.length
    const r = await fetch(setup({ githubUser: 'octo-worker', hostname: 'octocorp.ghe.com' }))
    expect(r.ok).toBe(true)
    expect(ghCalls()).toEqual(['auth token --hostname octocorp.ghe.com --user octo-worker|'])
    expect(server.requests[before]?.headers.authorization).toBe(
      'token gho_fake_octo-worker_octocorp.ghe.com_0123456789',
    )
  })

  it('GHE.com without baseUrl goes to api.<host>; github.com to api.github.com', () => {
    const base = { provider: 'copilot', id: 'x', key: 'copilot/x', label: 'x', refreshSeconds: 300 }
    expect(copilotUserUrl(base, { githubUser: null, hostname: 'octocorp.ghe.com' })).toBe(
      'https://api.octocorp.ghe.com/copilot_internal/user',
    )
    expect(copilotUserUrl(base, { githubUser: 'ada', hostname: 'github.com' })).toBe(
      'https://api.github.com/copilot_internal/user',
    )
  })

  it('one token per gh user: different fingerprints, the same login gives the same one', async () => {
    server.on(USER, { body: fixture('user-pro-plus-prm.json') })
    const a = await fetch(setup({ githubUser: 'ada' }))
    const b = await fetch(account({ githubUser: 'ada-work' }))
    const a2 = await fetch(account({ githubUser: 'ada' }))
    expect(a.fingerprint).toMatch(/^[0-9a-f]{12}$/)
    expect(a.fingerprint).not.toBe(b.fingerprint)
    expect(a2.fingerprint).toBe(a.fingerprint)
  })

  it('configDir is handed to gh as GH_CONFIG_DIR', async () => {
    server.on(USER, { body: fixture('user-pro-plus-prm.json') })
    const account = setup({ configDir: '~/.config/gh-work' })
    await fetch(account)
    expect(ghCalls()).toEqual([`auth token|${join(home.home, '.config/gh-work')}`])
  })

  it('gh missing from PATH → credentials error telling the user to install it; no request', async () => {
    const count = server.requests.length
    const account = setup()
    const r = await fetch(account, { PATH: join(home.home, 'empty') })
    expect(!r.ok && r.error).toEqual({
      kind: 'credentials',
      message: 'GitHub CLI (gh) not found on PATH',
      fix: 'install GitHub CLI (https://cli.github.com) and run `gh auth login`',
      httpStatus: null,
    })
    expect(server.requests.length).toBe(count)
  })

  it('gh failing for that user → credentials error with the login fix, nothing gh printed', async () => {
    const count = server.requests.length
    const r = await fetch(setup({ githubUser: 'nobody' }))
    expect(!r.ok && r.error).toEqual({
      kind: 'credentials',
      message: '`gh auth token --user nobody` failed (exit 1): no gh login for nobody',
      fix: 'run `gh auth login` and sign in as nobody (gh 2.40+ keeps several accounts; `gh auth status` lists them)',
      httpStatus: null,
    })
    const fail = await fetch(account({ hostname: 'octocorp.ghe.com' }), { FAKE_GH_MODE: 'fail' })
    expect(!fail.ok && [fail.error.message, fail.error.fix]).toEqual([
      '`gh auth token --hostname octocorp.ghe.com` failed (exit 4): no gh login on octocorp.ghe.com',
      'run `gh auth login --hostname octocorp.ghe.com`',
    ])
    expect(JSON.stringify(fail)).not.toMatch(/SECRET|gho_/)
    expect(server.requests.length).toBe(count)
  })

  it.each([
    ['empty', /printed something that is not a token/],
    ['noise', /printed something that is not a token/],
    ['big', /printed too much/],
  ])('gh printing %s is a credentials error that does not echo the output', async (mode, message) => {
    const r = await fetch(setup(), { FAKE_GH_MODE: mode })
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual(['credentials', expect.stringMatching(message)])
    expect(!r.ok && r.error.message).not.toMatch(/Welcome|aaaa/)
  })

  it('gh that hangs (a locked keyring) is killed after the timeout', async () => {
    const r = await fetch(setup(), { FAKE_GH_MODE: 'hang' }, 300)
    expect(!r.ok && [r.error.kind, r.error.fix]).toEqual(['timeout', expect.stringMatching(/gh auth token/)])
  })

  it("gh's hosts.yml is byte-identical after fetches", async () => {
    server.on(USER, { body: fixture('user-pro-plus-prm.json') })
    const account = setup({ githubUser: 'ada-work' })
    const before = readFileSync(gh.hostsFile)
    const mtime = statSync(gh.hostsFile).mtimeMs
    await fetch(account)
    server.on(USER, { status: 401, body: fixture('error-401.json') })
    await fetch(account)
    expect(readFileSync(gh.hostsFile).equals(before)).toBe(true)
    expect(statSync(gh.hostsFile).mtimeMs).toBe(mtime)
  })

  it('a githubUser that could be read as a flag is a config error; gh is not run', async () => {
    const r = await fetch(setup({ githubUser: '--hostname=evil.example' }))
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual(['config', expect.stringMatching(/githubUser/)])
    const h = await fetch(account({ hostname: 'https://evil.example/' }))
    expect(!h.ok && [h.error.kind, h.error.message]).toEqual(['config', expect.stringMatching(/hostname/)])
    expect(ghCalls()).toEqual([])
  })
})

describe('copilot token from apiKeyEnv / apiKeyCommand (precedence over gh)', () => {
  it('apiKeyEnv wins over gh', async () => {
    server.on(USER, { body: fixture('user-pro-plus-prm.json') })
    const before = server.requests.length
    const r = await fetch(setup({ apiKeyEnv: 'MY_COPILOT_TOKEN' }), {
      MY_COPILOT_TOKEN: 'gho_from_env_4444444444',
    })
    expect(r.ok).toBe(true)
    expect(server.requests[before]?.headers.authorization).toBe('token gho_from_env_4444444444')
    expect(ghCalls()).toEqual([])
  })

  it('an unset apiKeyEnv is final: no gh fallback, no request', async () => {
    const count = server.requests.length
    const r = await fetch(setup({ apiKeyEnv: 'MY_COPILOT_TOKEN' }))
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual(['credentials', '$MY_COPILOT_TOKEN is not set'])
    expect(ghCalls()).toEqual([])
    expect(server.requests.length).toBe(count)
  })

  it('apiKeyCommand supplies the token; a rejected one says where it came from', async () => {
    server.on(USER, { status: 401, body: fixture('error-401.json') })
    const before = server.requests.length
    const r = await fetch(setup({ apiKeyCommand: 'printf gho_from_command_55555555' }))
    expect(server.requests[before]?.headers.authorization).toBe('token gho_from_command_55555555')
    expect(!r.ok && [r.error.kind, r.error.fix]).toEqual([
      'auth',
      'the token in apiKeyCommand was rejected; replace it',
    ])
    expect(JSON.stringify(r)).not.toContain('gho_from_command')
  })

  it('a forbidden PAT gets told to use a gh token', async () => {
    server.on(USER, { status: 403, body: fixture('error-403-forbidden.json') })
    const r = await fetch(setup({ apiKeyEnv: 'GH_PAT' }), { GH_PAT: 'ghp_classic_pat_666666666' })
    expect(!r.ok && r.error.fix).toMatch(/\$GH_PAT .*gh auth token/)
  })
})

describe('copilot descriptor (no I/O, no gh)', () => {
  const base = { provider: 'copilot', id: 'default' }
  it('credentialFiles: GH_CONFIG_DIR, then XDG_CONFIG_HOME/gh, then ~/.config/gh, or configDir', () => {
    const files = (acct: object, env: Record<string, string>) =>
      copilotDescriptor.credentialFiles({ ...base, ...acct }, env, '/home/ada')
    expect(files({}, { GH_CONFIG_DIR: '/cfg/gh', XDG_CONFIG_HOME: '/xdg' })).toEqual(['/cfg/gh/hosts.yml'])
    expect(files({}, { XDG_CONFIG_HOME: '/xdg' })).toEqual(['/xdg/gh/hosts.yml'])
    expect(files({}, {})).toEqual(['/home/ada/.config/gh/hosts.yml'])
    expect(files({ configDir: '~/gh-work' }, { HOME: '/home/ada' })).toEqual(['/home/ada/gh-work/hosts.yml'])
    expect(files({ apiKeyEnv: 'GH_TOKEN' }, {})).toEqual([])
  })

  it('defaultAccounts: one `default` account when gh has a hosts.yml', () => {
    const seen: string[] = []
    const exists = (p: string) => {
      seen.push(p)
      return p === '/home/ada/.config/gh/hosts.yml'
    }
    expect(copilotDescriptor.defaultAccounts({}, '/home/ada', exists)).toEqual([
      { provider: 'copilot', id: 'default' },
    ])
    expect(copilotDescriptor.defaultAccounts({ GH_CONFIG_DIR: '/nowhere' }, '/home/ada', exists)).toEqual([])
    expect(seen).toEqual(['/home/ada/.config/gh/hosts.yml', '/nowhere/hosts.yml'])
  })

  it('names and refresh intervals', () => {
    expect(copilotDescriptor).toMatchObject({
      id: 'copilot',
      name: 'Copilot',
      loginCommand: 'gh auth login',
      defaultRefreshSeconds: 300,
      minRefreshSeconds: 60,
    })
  })
})

describe('copilot secrets', () => {
  it('never shows the token in any form, even when the server echoes it', async () => {
    const token = plantSecret('gho_', 'copilot')
    server.on(USER, echoingReply([token]))
    const r = await fetch(setup({ apiKeyEnv: 'MY_COPILOT_TOKEN' }), { MY_COPILOT_TOKEN: token })
    expect(r.ok).toBe(false)
    expect(server.requests.at(-1)?.headers.authorization).toBe(`token ${token}`)
    expectNoSecrets([token, TOKEN], { texts: { result: JSON.stringify(r) } })
  })
})
