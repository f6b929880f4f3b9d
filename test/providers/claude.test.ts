import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { claudeAdapter } from '../../src/providers/claude/adapter.js'
import { planLabel } from '../../src/providers/claude/credentials.js'
import type { Account, FetchResult } from '../../src/providers/types.js'
import { type FakeServer, refusedUrl, startServer } from '../helpers/server.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { echoingReply, expectNoSecrets, plantSecret } from '../helpers/secrets.js'

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/claude', name), 'utf8'))
const NOW = new Date('2026-11-22T10:00:00Z')
const USAGE = '/api/oauth/usage'

let server: FakeServer
let home: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => home?.cleanup())

function setup(opts: Parameters<TempHome['claudeLogin']>[1] = {}): Account {
  home = makeHome()
  const dir = join(home.home, '.claude-work')
  home.claudeLogin(dir, opts)
  return {
    provider: 'claude',
    id: 'work',
    key: 'claude/work',
    label: 'work',
    refreshSeconds: 300,
    configDir: dir,
    baseUrl: server.url,
  }
}

function fetch(account: Account, env: Record<string, string> = {}, timeoutMs = 2000): Promise<FetchResult> {
  return claudeAdapter.fetchUsage(account, {
    env: { ...home.env, ...env },
    home: home.home,
    now: () => NOW,
    timeoutMs,
  })
}

async function snapshotOf(name: string) {
  server.on(USAGE, { body: fixture(name) })
  const r = await fetch(setup())
  if (!r.ok) throw new Error(`expected ok, got ${r.error.message}`)
  return r.snapshot
}

describe('claude usage mapping', () => {
  it('maps the full 2026 shape: windows, limits[] model caps, spend in EUR; ignores codenames', async () => {
    const s = await snapshotOf('usage-full.json')
    expect(s.windows).toEqual([
      {
        id: 'session',
        label: '5h',
        usedPercent: 37,
        resetsAt: '2026-11-22T13:40:00.004Z',
        windowSeconds: 18000,
      },
      {
        id: 'weekly',
        label: '7d',
        usedPercent: 61,
        resetsAt: '2026-11-26T08:00:00.004Z',
        windowSeconds: 604800,
      },
      {
        id: 'weekly:lyric',
        label: 'Lyric',
        usedPercent: 83,
        resetsAt: '2026-11-26T08:00:00.004Z',
        windowSeconds: 604800,
      },
    ])
    expect(s.spend).toEqual([
      { id: 'extra', label: 'Extra usage', used: 12.34, limit: 50, currency: 'EUR', period: 'month' },
    ])
    expect(s.plan).toBe('Max 5x')
    expect(s.fetchedAt).toBe(NOW.toISOString())
  })

  it('uses the legacy per-model keys only when limits[] is absent', async () => {
    const s = await snapshotOf('usage-legacy.json')
    expect(s.windows.map((w) => [w.id, w.usedPercent, w.resetsAt])).toEqual([
      ['session', 8, '2026-11-22T12:59:59.912Z'],
      ['weekly', 41, '2026-11-25T03:59:59.912Z'],
      ['weekly:opus', 0, null],
    ])
    expect(s.spend).toEqual([])
  })

  it('keeps a not-started window with no reset time, and no spend when extra usage is off', async () => {
    const s = await snapshotOf('usage-sparse.json')
    expect(s.windows[0]).toMatchObject({ id: 'session', usedPercent: 0, resetsAt: null })
    expect(s.spend).toEqual([])
  })

  it('null windows are absent, never 0 % or 100 %', async () => {
    const s = await snapshotOf('usage-all-null.json')
    expect(s.windows).toEqual([])
    expect(s.spend).toEqual([])
  })

  const limitsOnly = [
    { kind: 'session', group: 'session', percent: 44, resets_at: '2026-11-22T13:40:00Z', scope: null },
    { kind: 'weekly_all', group: 'weekly', percent: 71, resets_at: '2026-11-26T08:00:00Z', scope: null },
  ]
  const limitWindows = [
    {
      id: 'session',
      label: '5h',
      usedPercent: 44,
      resetsAt: '2026-11-22T13:40:00.000Z',
      windowSeconds: 18000,
    },
    {
      id: 'weekly',
      label: '7d',
      usedPercent: 71,
      resetsAt: '2026-11-26T08:00:00.000Z',
      windowSeconds: 604800,
    },
  ]

  it('session and weekly come from limits[] when the flat keys are absent', async () => {
    server.on(USAGE, { body: { limits: limitsOnly } })
    const r = await fetch(setup())
    if (!r.ok) throw new Error(r.error.message)
    expect(r.snapshot.windows).toEqual(limitWindows)
  })

  it('a flat window whose utilization is null is not reported: limits[] has the number', async () => {
    const flatNull = { utilization: null, resets_at: '2026-11-22T13:40:00Z' }
    server.on(USAGE, { body: { five_hour: flatNull, seven_day: { ...flatNull }, limits: limitsOnly } })
    const r = await fetch(setup())
    if (!r.ok) throw new Error(r.error.message)
    expect(r.snapshot.windows).toEqual(limitWindows)
  })

  it('keeps what parses: a malformed window drops only itself, with a note; the others still show', async () => {
    const body = fixture('usage-full.json')
    body.five_hour.utilization = 'bad'
    body.limits[2].percent = 'bad'
    server.on(USAGE, { body })
    const r = await fetch(setup())
    if (!r.ok) throw new Error(r.error.message)
    expect(r.snapshot.windows.map((w) => [w.id, w.usedPercent])).toEqual([
      ['session', 37], // from limits[]: the flat key was dropped
      ['weekly', 61],
    ])
    expect(r.snapshot.spend.map((x) => x.id)).toEqual(['extra'])
    expect(r.snapshot.notes).toEqual([
      expect.stringMatching(/^window left out \(five_hour\.utilization: .*number/),
      expect.stringMatching(/^limit left out \(limits\[2\]\.percent: .*number/),
    ])
  })

  it('enterprise accounts get a spend meter in minor units', async () => {
    const s = await snapshotOf('usage-enterprise.json')
    expect(s.windows).toEqual([])
    expect(s.spend).toEqual([
      { id: 'extra', label: 'Extra usage', used: 987.65, limit: 1500, currency: 'USD', period: 'month' },
    ])
  })

  it('a disabled extra usage is not shown even with a limit', async () => {
    const s = await snapshotOf('usage-extra-disabled.json')
    expect(s.spend).toEqual([])
    expect(s.windows[0]?.usedPercent).toBe(100)
  })

  it('sends the bearer token, beta header and a Claude Code User-Agent', async () => {
    server.on(USAGE, { body: fixture('usage-sparse.json') })
    const before = server.requests.length
    await fetch(setup({ token: 'sk-ant-oat01-header-check-cccccccc' }))
    const req = server.requests[before]
    expect(req?.headers.authorization).toBe('Bearer sk-ant-oat01-header-check-cccccccc')
    expect(req?.headers['anthropic-beta']).toBe('oauth-2025-04-20')
    expect(req?.headers['user-agent']).toMatch(/^claude-code\/\d+\.\d+\.\d+$/)
  })
})

describe('claude errors', () => {
  const cases: [string, Parameters<FakeServer['on']>[1], string, RegExp][] = [
    ['401 invalid', { status: 401, body: fixture('error-401-invalid.json') }, 'auth', /Invalid bearer token/],
    [
      '401 expired',
      { status: 401, body: fixture('error-401-expired.json') },
      'auth',
      /OAuth token has expired/,
    ],
    ['403 scope', { status: 403, body: fixture('error-403-scope.json') }, 'forbidden', /scope requirement/],
    ['500', { status: 500, raw: 'upstream broke' }, 'http', /HTTP 500/],
    [
      'HTML 200',
      { raw: '<!doctype html><title>Just a moment...</title>', headers: { 'content-type': 'text/html' } },
      'schema',
      /HTML page/,
    ],
    [
      'HTML 503',
      { status: 503, raw: '<html>down</html>', headers: { 'content-type': 'text/html' } },
      'http',
      /HTTP 503.*HTML/,
    ],
    ['schema drift', { body: fixture('usage-drift.json') }, 'schema', /five_hour\.utilization/],
    ['bad date', { body: { five_hour: { utilization: 3, resets_at: 'soon' } } }, 'schema', /not a date/],
    ['not an object', { body: [1, 2] }, 'schema', /unexpected response/],
    ['truncated body', { raw: '{"five_hour": {"utiliz' }, 'schema', /not JSON/],
  ]
  it.each(cases)('%s', async (_name, reply, kind, message) => {
    server.on(USAGE, reply)
    const r = await fetch(setup())
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.kind).toBe(kind)
    expect(r.error.message).toMatch(message)
    expect(r.error.message).not.toContain('sk-ant-')
  })

  it.each([301, 302, 307, 308])(
    'a %i redirect is refused: not followed, the token never goes to its target',
    async (status) => {
      const other = await startServer()
      try {
        other.on('/steal', { body: fixture('usage-full.json') })
        server.on(USAGE, { status, headers: { location: `${other.url}/steal` }, body: {} })
        const r = await fetch(setup())
        expect(r.ok).toBe(false)
        if (r.ok) return
        expect(r.error).toMatchObject({ kind: 'http', httpStatus: status })
        expect(r.error.message).toMatch(/redirected .*not followed/)
        expect(other.requests).toEqual([])
      } finally {
        await other.close()
      }
    },
  )

  it('401 tells the user to run claude, with the config dir when it is not the default', async () => {
    server.on(USAGE, { status: 401, body: fixture('error-401-expired.json') })
    const account = setup()
    const r = await fetch(account)
    expect(!r.ok && r.error.fix).toBe(
      `run \`CLAUDE_CONFIG_DIR=${account.configDir} claude\` to log in again (quotabar never refreshes Claude Code tokens)`,
    )
    const standard = await fetch(account, { CLAUDE_CONFIG_DIR: account.configDir as string })
    expect(!standard.ok && standard.error.fix).toMatch(/^run `claude` to log in again/)
  })

  it('429 carries Retry-After seconds, and null when absent', async () => {
    server.on(USAGE, { status: 429, body: fixture('error-429.json'), headers: { 'retry-after': '1600' } })
    const a = await fetch(setup())
    expect(!a.ok && [a.error.kind, a.retryAfterSeconds]).toEqual(['rate-limited', 1600])
    server.on(USAGE, { status: 429, body: fixture('error-429.json') })
    const b = await fetch(setup())
    expect(!b.ok && b.retryAfterSeconds).toBe(null)
  })

  it('a server that never answers is a timeout', async () => {
    server.on(USAGE, { hang: true })
    const r = await fetch(setup(), {}, 300)
    expect(!r.ok && r.error.kind).toBe('timeout')
  })

  it('a refused connection is a network error', async () => {
    const account = { ...setup(), baseUrl: await refusedUrl() }
    const r = await fetch(account)
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual([
      'network',
      expect.stringMatching(/ECONNREFUSED/),
    ])
  })

  it('refuses to send the token over plain http to a non-loopback host', async () => {
    const account = { ...setup(), baseUrl: 'http://example.invalid:8080' }
    const r = await fetch(account)
    expect(!r.ok && r.error.kind).toBe('config')
  })

  it('caps the response size', async () => {
    server.on(USAGE, { raw: JSON.stringify({ five_hour: null, pad: 'x'.repeat(1_200_000) }) })
    const r = await fetch(setup())
    expect(!r.ok && r.error.message).toMatch(/larger than/)
  })
})

describe('claude credentials (read-only, no network)', () => {
  it('an expired login is reported without a request, and the file is untouched', async () => {
    const account = setup({ expiresAt: Date.parse('2026-11-01T00:00:00Z') })
    const file = join(account.configDir as string, '.credentials.json')
    const before = readFileSync(file)
    const count = server.requests.length
    const r = await fetch(account)
    expect(!r.ok && [r.error.kind, r.error.fix]).toEqual([
      'auth',
      expect.stringMatching(/CLAUDE_CONFIG_DIR=.* claude/),
    ])
    expect(server.requests.length).toBe(count)
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('an inference-only token says why usage cannot be read', async () => {
    const r = await fetch(setup({ scopes: ['user:inference'] }))
    expect(!r.ok && [r.error.kind, r.error.message]).toEqual([
      'forbidden',
      expect.stringMatching(/inference-only/),
    ])
  })

  it('missing and truncated credentials files', async () => {
    const account = setup()
    const file = join(account.configDir as string, '.credentials.json')
    writeFileSync(file, '{"claudeAiOauth": {"accessTo')
    const truncated = await fetch(account)
    expect(!truncated.ok && truncated.error.message).toMatch(/not valid JSON/)
    const missing = await fetch({ ...account, configDir: join(home.home, 'nowhere') })
    expect(!missing.ok && [missing.error.kind, missing.error.message]).toEqual([
      'credentials',
      expect.stringMatching(/not logged in/),
    ])
  })

  it('a file with only MCP tokens is not a login', async () => {
    const account = setup()
    writeFileSync(join(account.configDir as string, '.credentials.json'), '{"mcpOAuth": {"x": {}}}')
    const r = await fetch(account)
    expect(!r.ok && r.error.message).toMatch(/no Claude login/)
  })

  it('identity comes from .claude.json: email on the snapshot, uuid as fingerprint', async () => {
    server.on(USAGE, { body: fixture('usage-sparse.json') })
    const r = await fetch(setup({ uuid: 'uuid-1234', email: 'ada@example.com' }))
    expect(r.ok && [r.snapshot.email, r.fingerprint]).toEqual(['ada@example.com', 'uuid-1234'])
  })

  it('CLAUDE_CODE_OAUTH_TOKEN is a fallback for the default login only', async () => {
    home = makeHome()
    server.on(USAGE, { status: 403, body: fixture('error-403-scope.json') })
    const base = {
      provider: 'claude',
      key: 'claude/default',
      label: 'default',
      refreshSeconds: 300,
      baseUrl: server.url,
    }
    const count = server.requests.length
    const r = await fetch(
      { ...base, id: 'default' },
      { CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-env-token-dddddddd' },
    )
    expect(!r.ok && r.error.fix).toMatch(/inference-only/)
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer sk-ant-oat01-env-token-dddddddd')
    const other = await fetch(
      { ...base, id: 'other', configDir: join(home.home, '.claude-other') },
      { CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-env-token-dddddddd' },
    )
    expect(!other.ok && other.error.kind).toBe('credentials')
    expect(server.requests.length).toBe(count + 1)
  })

  it.each([
    ['max', 'default_claude_max_20x', 'Max 20x'],
    ['max', null, 'Max'],
    ['pro', 'default_claude_ai', 'Pro'],
    [null, 'default_claude_max_5x', 'Max 5x'],
    [null, 'claude_team_tier', 'Team'],
    [null, null, null],
  ])('plan label %s / %s → %s', (sub, tier, label) => {
    expect(planLabel(sub, tier)).toBe(label)
  })
})

describe('claude secrets', () => {
  it('never shows the token in any form, even when the server echoes it', async () => {
    const token = plantSecret('sk-ant-oat01-', 'claude')
    const account = setup({ token })
    const refresh = 'sk-ant-ort01-test-refresh-bbbbbbbbbbbbbbbb'
    server.on(USAGE, echoingReply([token]))
    const r = await fetch(account)
    expect(r.ok).toBe(false)
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${token}`)
    expectNoSecrets([token, refresh], { texts: { result: JSON.stringify(r) }, dirs: [home.cacheDir] })
  })
})
