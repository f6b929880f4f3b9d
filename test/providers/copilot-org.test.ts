import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { copilotOrgAdapter } from '../../src/providers/copilot-org/adapter.js'
import { apiUrl } from '../../src/providers/copilot-org/api.js'
import { copilotOrgDescriptor } from '../../src/providers/copilot-org/descriptor.js'
import type { Account, FetchResult, ProviderDescriptor } from '../../src/providers/types.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, type Reply, refusedUrl, startServer } from '../helpers/server.js'
import { echoingReply, expectNoSecrets, plantSecret } from '../helpers/secrets.js'
import { fetchLoaded } from '../helpers/fetch.js'

const FIXTURES = join(import.meta.dirname, '../fixtures/copilot-org')
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'))
const NOW = new Date('2026-08-04T15:30:00Z')
const GH_TOKEN = 'gho_TESTTOKEN_from_gh_0123456789abcdef'
const PAT = 'ghp_TESTPAT_acme_admin_0123456789abcdefgh'
const paths = (org: string) => ({
  seats: `/orgs/${org}/copilot/billing`,
  credits: `/organizations/${org}/settings/billing/ai_credit/usage`,
  premium: `/organizations/${org}/settings/billing/premium_request/usage`,
})
const ACME = paths('acme')

let server: FakeServer
let home: TempHome
let gh: { bin: string; log: string }
let seen: { path: string; query: URLSearchParams; headers: IncomingMessage['headers'] }[]
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
beforeEach(() => {
  home = makeHome()
  const bin = join(home.home, 'bin')
  mkdirSync(bin)
  copyFileSync(join(FIXTURES, 'gh-fake.sh'), join(bin, 'gh'))
  chmodSync(join(bin, 'gh'), 0o755)
  gh = { bin, log: join(home.home, 'gh-calls.log') }
  seen = []
  server.requests.length = 0
})
afterEach(() => home.cleanup())

const ghCalls = () => (existsSync(gh.log) ? readFileSync(gh.log, 'utf8').trim().split('\n') : [])

function route(path: string, reply: Reply | ((req: IncomingMessage) => Reply)) {
  server.on(path, (req) => {
    seen.push({ path, query: new URL(req.url ?? '/', 'http://x').searchParams, headers: req.headers })
    return typeof reply === 'function' ? reply(req) : reply
  })
}

function serveOrg(p = ACME, o: { seats?: Reply; credits?: Reply; premium?: Reply } = {}) {
  route(p.seats, o.seats ?? { body: fixture('billing-business.json') })
  route(p.credits, o.credits ?? { body: fixture('ai-credit-usage.json') })
  route(p.premium, o.premium ?? { body: fixture('premium-request-usage.json') })
}

function account(extra: Partial<Account> = {}): Account {
  return {
    provider: 'copilot-org',
    id: 'acme',
    key: 'copilot-org/acme',
    label: 'acme',
    refreshSeconds: 1800,
    org: 'acme',
    baseUrl: server.url,
    ...extra,
  }
}

function fetch(a: Account, env: Record<string, string> = {}, timeoutMs = 2000) {
  return fetchLoaded(copilotOrgAdapter, a, {
    env: { ...home.env, PATH: `${gh.bin}:/usr/bin:/bin`, FAKE_GH_LOG: gh.log, ...env },
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

describe('copilot-org seats and money', () => {
  it('seats in the plan text, this month in USD; no premium window without a quota', async () => {
    serveOrg()
    const r = await ok(fetch(account()))
    expect(r.snapshot.plan).toBe('Business · 25 seats (3 inactive this cycle, 1 pending)')
    expect(r.snapshot.windows).toEqual([])
    expect(r.snapshot.spend).toEqual([
      {
        id: 'credits',
        label: 'AI credits used',
        used: 86.205,
        limit: null,
        currency: 'USD',
        period: 'month',
      },
      {
        id: 'premium-requests',
        label: 'Premium requests',
        used: 14,
        limit: null,
        currency: 'USD',
        period: 'month',
        requests: 350,
      },
      {
        id: 'billed',
        label: 'Billed beyond included',
        used: 17,
        limit: null,
        currency: 'USD',
        period: 'month',
      },
    ])
    expect(seen.map((s) => s.path).sort()).toEqual([ACME.credits, ACME.premium, ACME.seats].sort())
    for (const s of seen) {
      expect(s.headers.authorization).toBe(`Bearer ${GH_TOKEN}`)
      expect(s.headers.accept).toBe('application/vnd.github+json')
      expect(s.headers['x-github-api-version']).toBe('2022-11-28')
      expect(s.headers['user-agent']).toBe('quotabar')
    }
    for (const s of seen.filter((x) => x.path !== ACME.seats)) {
      expect([s.query.get('year'), s.query.get('month')]).toEqual(['2026', '8'])
    }
    // The retired metrics API (404 since 2026-04-02) is never called.
    expect(server.requests.filter((q) => /\/copilot\/metrics$/.test(q.path))).toEqual([])
    expect(ghCalls()).toEqual(['auth token|'])
  })

  it('an org on token billing only: no premium-request meter, a real $0 billed', async () => {
    serveOrg(ACME, { premium: { body: fixture('premium-request-usage-empty.json') } })
    const r = await ok(fetch(account()))
    expect(r.snapshot.spend.map((m) => [m.id, m.used])).toEqual([
      ['credits', 86.205],
      ['billed', 15],
    ])
  })

  it('an empty AI-credit report early in the month reads $0, not unknown', async () => {
    serveOrg(ACME, {
      credits: { body: fixture('ai-credit-usage-empty.json') },
      premium: { body: fixture('premium-request-usage-empty.json') },
    })
    const r = await ok(fetch(account()))
    expect(r.snapshot.spend.map((m) => [m.id, m.used])).toEqual([
      ['credits', 0],
      ['billed', 0],
    ])
  })

  it('an item with a quantity but no amount and no price is not free: $0.01 a credit, $0.04 a request', async () => {
    const item = (unitType: string, grossQuantity: number) => ({
      product: 'copilot',
      unitType,
      grossQuantity,
    })
    serveOrg(ACME, {
      credits: { body: { usageItems: [item('ai-credits', 1234)] } },
      premium: { body: { usageItems: [item('requests', 50)] } },
    })
    const r = await ok(fetch(account()))
    expect(r.snapshot.spend.map((m) => [m.id, m.used])).toEqual([
      ['credits', 12.34],
      ['premium-requests', 2],
      ['billed', 0],
    ])
  })

  it('reports that answer 404 (no enhanced billing) leave the money unknown but keep the seats', async () => {
    const missing = { status: 404, body: fixture('error-404.json') }
    serveOrg(ACME, { credits: missing, premium: missing })
    const r = await ok(fetch(account()))
    expect(r.snapshot.spend).toEqual([])
    expect(r.snapshot.plan).toBe('Business · 25 seats (3 inactive this cycle, 1 pending)')
  })

  it('two org accounts with their own tokens show their own seats and money', async () => {
    serveOrg()
    const globex = paths('globex')
    serveOrg(globex, {
      seats: { body: fixture('billing-enterprise.json') },
      credits: { body: fixture('ai-credit-usage-small.json') },
      premium: { status: 404, body: fixture('error-404.json') },
    })
    const env = { ACME_TOKEN: PAT, GLOBEX_TOKEN: 'ghp_TESTPAT_globex_9876543210zyxwvutsr' }
    const a = await ok(fetch(account({ apiKeyEnv: 'ACME_TOKEN' }), env))
    const g = await ok(fetch(account({ id: 'globex', org: 'globex', apiKeyEnv: 'GLOBEX_TOKEN' }), env))
    expect(a.snapshot.plan).toBe('Business · 25 seats (3 inactive this cycle, 1 pending)')
    expect(g.snapshot.plan).toBe('Enterprise · 140 seats')
    expect(a.snapshot.spend[0]?.used).toBe(86.205)
    expect(g.snapshot.spend.map((m) => [m.id, m.used])).toEqual([
      ['credits', 8.1225],
      ['billed', 0],
    ])
    expect(
      seen.filter((s) => s.path.includes('globex')).every((s) => s.headers.authorization?.includes('globex')),
    ).toBe(true)
    expect(a.fingerprint).not.toBe(g.fingerprint)
    expect(ghCalls()).toEqual([])
  })
})

describe('copilot-org token sources', () => {
  it('$GITHUB_TOKEN is used before gh', async () => {
    serveOrg()
    await ok(fetch(account(), { GITHUB_TOKEN: PAT }))
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${PAT}`)
    expect(ghCalls()).toEqual([])
  })

  it('an apiKeyEnv that is not set is an error of its own: no fallback to gh', async () => {
    serveOrg()
    const r = await fetch(account({ apiKeyEnv: 'ACME_TOKEN' }))
    expect(!r.ok && r.error).toMatchObject({ kind: 'credentials', message: '$ACME_TOKEN is not set' })
    expect(ghCalls()).toEqual([])
    expect(seen).toEqual([])
  })

  it('hostname goes to gh as --hostname; configDir as GH_CONFIG_DIR', async () => {
    serveOrg()
    await ok(fetch(account({ hostname: 'octocorp.ghe.com', configDir: '~/.config/gh-admin' })))
    expect(ghCalls()).toEqual([
      `auth token --hostname octocorp.ghe.com|${join(home.home, '.config/gh-admin')}`,
    ])
  })

  it('gh without a login → credentials error with the login fix; nothing gh printed', async () => {
    const r = await fetch(account(), { FAKE_GH_FAIL: '1' })
    expect(!r.ok && r.error).toMatchObject({ kind: 'credentials', fix: 'run `gh auth login`' })
    expect(JSON.stringify(r)).not.toContain('no oauth token')
  })

  it.each([
    ['no org', {}, /copilot-org accounts need "org"/],
    ['a bad org', { org: '-acme' }, /a GitHub organisation login/],
  ])('%s → config error, no request', async (_, extra, message) => {
    const r = await fetch(account({ org: undefined, ...extra }))
    expect(!r.ok && r.error).toMatchObject({ kind: 'config', message: expect.stringMatching(message) })
    expect(seen).toEqual([])
  })
})

describe('copilot-org errors', () => {
  const fail = async (r: Promise<FetchResult>) => {
    const res = await r
    if (res.ok) throw new Error('expected a failure')
    expect(JSON.stringify(res)).not.toContain(GH_TOKEN)
    expect(JSON.stringify(res)).not.toContain(PAT)
    return res
  }

  it('401 with a gh token → auth: log in with gh again', async () => {
    serveOrg(ACME, { seats: { status: 401, body: fixture('error-401.json') } })
    const r = await fail(fetch(account()))
    expect(r.error).toMatchObject({
      kind: 'auth',
      httpStatus: 401,
      fix: 'run `gh auth login` to log in again',
    })
  })

  it('401 with $GITHUB_TOKEN → replace that token', async () => {
    serveOrg(ACME, { seats: { status: 401, body: fixture('error-401.json') } })
    const r = await fail(fetch(account(), { GITHUB_TOKEN: PAT }))
    expect(r.error.fix).toBe('the token in $GITHUB_TOKEN was rejected; replace it')
  })

  it('403 on seats for a gh token names the missing scope and the gh command that adds it', async () => {
    serveOrg(ACME, { seats: { status: 403, body: fixture('error-403-no-admin.json') } })
    const r = await fail(fetch(account()))
    expect(r.error.kind).toBe('forbidden')
    expect(r.error.message).toMatch(
      /^no admin access to acme's Copilot billing: HTTP 403 .*Resource not accessible/,
    )
    expect(r.error.fix).toContain('`gh auth refresh -s manage_billing:copilot`')
    expect(r.error.fix).toContain('owners and billing managers')
  })

  it('403 on seats for a PAT names the classic scopes and the fine-grained permission', async () => {
    serveOrg(ACME, { seats: { status: 403, body: fixture('error-403-no-admin.json') } })
    const r = await fail(fetch(account(), { GITHUB_TOKEN: PAT }))
    expect(r.error.fix).toMatch(
      /`manage_billing:copilot` \(or `read:org`\).*"GitHub Copilot Business" \(read\)/,
    )
  })

  it('403 on a billing report (seats fine) names the Administration permission', async () => {
    serveOrg(ACME, { credits: { status: 403, body: fixture('error-403-no-admin.json') } })
    const r = await fail(fetch(account(), { GITHUB_TOKEN: PAT }))
    expect(r.error.kind).toBe('forbidden')
    expect(r.error.fix).toMatch(/"Administration" \(read\)/)
  })

  it('404 on seats (a plain member, or a misspelt org) → forbidden, check the org name', async () => {
    serveOrg(ACME, { seats: { status: 404, body: fixture('error-404.json') } })
    const r = await fail(fetch(account()))
    expect(r.error).toMatchObject({ kind: 'forbidden', httpStatus: 404 })
    expect(r.error.message).toMatch(
      /^acme: no such organisation, no Copilot Business\/Enterprise, or no admin access/,
    )
    expect(r.error.fix).toMatch(/^check the org name/)
  })

  it('403 with a rate-limit message → rate-limited', async () => {
    serveOrg(ACME, { seats: { status: 403, body: fixture('error-403-rate-limit.json') } })
    const r = await fail(fetch(account()))
    expect(r.error.kind).toBe('rate-limited')
  })

  it.each([
    ['with Retry-After', { 'retry-after': '60' }, 60],
    ['without Retry-After', undefined, null],
  ])('429 %s → rate-limited', async (_, headers, retry) => {
    serveOrg(ACME, {
      premium: { status: 429, headers, body: { message: 'You have exceeded a secondary rate limit.' } },
    })
    const r = await fail(fetch(account()))
    expect(r.error).toMatchObject({ kind: 'rate-limited', httpStatus: 429 })
    expect(r.retryAfterSeconds).toBe(retry)
  })

  it.each([
    ['500', { status: 500, body: { message: 'Server Error' } }, 'http', /trouble/],
    [
      'HTML 502',
      { status: 502, raw: '<html>Unicorn!</html>', headers: { 'content-type': 'text/html' } },
      'http',
      /trouble/,
    ],
    [
      'HTML 200',
      { raw: '<html><title>Sign in</title></html>', headers: { 'content-type': 'text/html' } },
      'schema',
      /captive portal/,
    ],
    ['drift', { body: { seat_breakdown: { total: 'many' } } }, 'schema', /changed the billing API/],
  ] as const)('%s on seats → %s', async (_, reply, kind, fix) => {
    serveOrg(ACME, { seats: reply as Reply })
    const r = await fail(fetch(account()))
    expect(r.error.kind).toBe(kind)
    expect(r.error.fix).toMatch(fix)
  })

  it('a report without usageItems is drift, named by field: only its meter goes, with a note', async () => {
    serveOrg(ACME, { credits: { body: { timePeriod: { year: 2026 } } } })
    const r = await ok(fetch(account()))
    expect(r.snapshot.plan).toBe('Business · 25 seats (3 inactive this cycle, 1 pending)')
    // The billed total needs both reports: without one it is unknown, never a smaller figure.
    expect(r.snapshot.spend.map((m) => [m.id, m.used])).toEqual([['premium-requests', 14]])
    expect(r.snapshot.notes).toEqual([expect.stringMatching(/^AI credits left out .*usageItems/)])
  })

  it('timeout → timeout', async () => {
    serveOrg(ACME, { seats: { hang: true } })
    const r = await fail(fetch(account(), {}, 300))
    expect(r.error).toMatchObject({ kind: 'timeout', fix: expect.stringContaining('network') })
  })

  it('connection refused → network', async () => {
    const r = await fail(fetch(account({ baseUrl: await refusedUrl() })))
    expect(r.error).toMatchObject({ kind: 'network', message: expect.stringContaining('ECONNREFUSED') })
  })
})

describe('copilot-org descriptor', () => {
  // Called as the render path calls it: through the interface.
  const descriptor: ProviderDescriptor = copilotOrgDescriptor
  it('no default accounts (the org must be named); 30 min default, 15 min floor', () => {
    expect(descriptor.defaultAccounts({}, '/h', () => true)).toEqual([])
    expect([descriptor.defaultRefreshSeconds, descriptor.minRefreshSeconds]).toEqual([1800, 900])
  })

  it('GitHub.com, a GHE.com host (api.<host>) and baseUrl (origin only) give the API origin', () => {
    const path = '/orgs/acme/copilot/billing'
    expect(apiUrl({ org: 'acme', hostname: null, baseUrl: undefined }, path)).toBe(
      `https://api.github.com${path}`,
    )
    expect(apiUrl({ org: 'acme', hostname: 'github.com', baseUrl: undefined }, path)).toBe(
      `https://api.github.com${path}`,
    )
    expect(apiUrl({ org: 'acme', hostname: 'octocorp.ghe.com', baseUrl: undefined }, path)).toBe(
      `https://api.octocorp.ghe.com${path}`,
    )
    expect(
      apiUrl({ org: 'acme', hostname: 'octocorp.ghe.com', baseUrl: 'http://127.0.0.1:9' }, `${path}?x=1`),
    ).toBe(`http://127.0.0.1:9${path}?x=1`)
  })

  it('the gh login file is the credential unless a key source is configured', () => {
    const a = { provider: 'copilot-org', id: 'acme', org: 'acme' }
    expect(descriptor.credentialFiles(a, {}, '/h')).toEqual(['/h/.config/gh/hosts.yml'])
    expect(descriptor.credentialFiles({ ...a, apiKeyEnv: 'T' }, {}, '/h')).toEqual([])
  })
})

describe('copilot-org secrets', () => {
  it('never shows the token in any form, even when the server echoes it', async () => {
    const token = plantSecret('ghp_', 'org')
    serveOrg(ACME, { seats: echoingReply([token]) })
    const r = await fetch(account(), { GITHUB_TOKEN: token })
    expect(r.ok).toBe(false)
    expect(seen.find((s) => s.path === ACME.seats)?.headers.authorization).toBe(`Bearer ${token}`)
    expectNoSecrets([token, GH_TOKEN], { texts: { result: JSON.stringify(r) } })
  })
})

describe('copilot-org usage metrics reports', () => {
  const REPORTS = '/orgs/acme/copilot/metrics/reports'
  const raw = (name: string) => readFileSync(join(FIXTURES, name), 'utf8')
  /** The fixture's signed links, pointed at the local server (loopback http is allowed). */
  const links = (name: string) => {
    const body = fixture(name)
    body.download_links = body.download_links.map((l: string) =>
      l.replace('https://copilot-reports.github.com', server.url),
    )
    return body
  }
  function serveReports(o: { month?: Reply; day?: Reply } = {}) {
    route(`${REPORTS}/organization-28-day/latest`, o.month ?? { body: links('metrics-report-28day.json') })
    route(`${REPORTS}/organization-1-day`, o.day ?? { body: links('metrics-report-1day.json') })
    route('/reports/org-28d/000000.json', {
      raw: raw('metrics-28d-part0.ndjson'),
      headers: { 'content-type': 'application/x-ndjson' },
    })
    route('/reports/org-28d/000001.json', { raw: raw('metrics-28d-part1.json') })
    route('/reports/org-1d/000000.json', { raw: raw('metrics-1d.json') })
  }

  it('sums requests and tokens over day_totals of every 28-day file (NDJSON or JSON) and the 1-day file', async () => {
    serveOrg()
    serveReports()
    const r = await ok(fetch(account()))
    const reports = r.snapshot.spend.filter((s) => s.id.startsWith('metrics-'))
    expect(reports).toEqual([
      {
        id: 'metrics-28d',
        label: 'Copilot, 28 days (2026-07-06 – 2026-08-02)',
        used: 120 + 80 + 50 + 250,
        limit: null,
        currency: 'requests',
        period: 'total',
        tokens: 180000 + 120000 + 69000 + 450000,
      },
      {
        id: 'metrics-1d',
        label: 'Copilot, 2026-08-02',
        used: 250,
        limit: null,
        currency: 'requests',
        period: 'total',
        tokens: 450000,
      },
    ])
    // Seats and credits are still there beside them.
    expect(r.snapshot.spend.map((s) => s.id)).toEqual([
      'credits',
      'premium-requests',
      'billed',
      'metrics-28d',
      'metrics-1d',
    ])
    expect(r.snapshot.notes).toBeUndefined()
    // The 1-day report is asked for the 28-day report's last day.
    expect(seen.find((s) => s.path.endsWith('organization-1-day'))?.query.get('day')).toBe('2026-08-02')
  })

  it('the report calls carry the token; the signed downloads carry no credential at all', async () => {
    serveOrg()
    serveReports()
    await ok(fetch(account()))
    const meta = seen.filter((s) => s.path.startsWith(REPORTS))
    expect(meta).toHaveLength(2)
    for (const s of meta) expect(s.headers.authorization).toBe(`Bearer ${GH_TOKEN}`)
    const blobs = seen.filter((s) => s.path.startsWith('/reports/'))
    expect(blobs.map((s) => s.path).sort()).toEqual([
      '/reports/org-1d/000000.json',
      '/reports/org-28d/000000.json',
      '/reports/org-28d/000001.json',
    ])
    for (const s of blobs) {
      expect(s.headers.authorization).toBeUndefined()
      expect(s.headers.cookie).toBeUndefined()
      expect(JSON.stringify(s.headers)).not.toContain(GH_TOKEN)
      // The signature rides in the query string, as GitHub signed it.
      expect(s.query.get('sig')).toMatch(/^REDACTED\d$/)
    }
  })

  it('"Copilot usage metrics" policy off is a clear state: a note, seats and credits still shown', async () => {
    serveOrg()
    const policy: Reply = { status: 403, body: fixture('metrics-error-403-policy.json') }
    serveReports({ month: policy, day: policy })
    const r = await ok(fetch(account()))
    expect(r.snapshot.spend.map((s) => s.id)).toEqual(['credits', 'premium-requests', 'billed'])
    expect(r.snapshot.notes).toEqual([
      'usage metrics, 28 days: the "Copilot usage metrics" policy is off for this organisation (an owner can turn it on)',
      'usage metrics, 2026-08-03: the "Copilot usage metrics" policy is off for this organisation (an owner can turn it on)',
    ])
  })

  it('empty download_links is "no data yet", not an error and not zero requests', async () => {
    serveOrg()
    serveReports({
      month: { body: fixture('metrics-report-28day-no-data.json') },
      day: { body: { download_links: [], report_day: '2026-08-03' } },
    })
    const r = await ok(fetch(account()))
    expect(r.snapshot.spend.some((s) => s.id.startsWith('metrics-'))).toBe(false)
    expect(r.snapshot.notes).toEqual([
      'usage metrics, 28 days: no data yet',
      'usage metrics, 2026-08-03: no data yet',
    ])
  })

  it('a download link that is not https (nor loopback) is never fetched', async () => {
    serveOrg()
    const month = fixture('metrics-report-28day.json')
    month.download_links = ['http://copilot-reports.example.com/reports/x.json?sig=abc']
    serveReports({ month: { body: month }, day: { status: 404, body: fixture('error-404.json') } })
    const r = await ok(fetch(account()))
    expect(r.snapshot.notes).toEqual([
      'usage metrics, 28 days left out (a download link that is not https was refused)',
    ])
    expect(seen.some((s) => s.path.startsWith('/reports/'))).toBe(false)
  })

  it('an expired signed link (403 from the blob host) drops only that report, with a note', async () => {
    serveOrg()
    serveReports()
    route('/reports/org-1d/000000.json', {
      status: 403,
      raw: '<Error><Code>AuthenticationFailed</Code></Error>',
    })
    const r = await ok(fetch(account()))
    expect(r.snapshot.spend.map((s) => s.id)).toContain('metrics-28d')
    expect(r.snapshot.spend.map((s) => s.id)).not.toContain('metrics-1d')
    expect(r.snapshot.notes).toEqual(['usage metrics, 2026-08-02 left out (its download failed: HTTP 403)'])
  })

  it('records of another shape are skipped and counted; a 429 on a report is the account cooldown', async () => {
    serveOrg()
    serveReports()
    route('/reports/org-1d/000000.json', {
      raw: '{"day_totals": "soon"}\n{"day_totals": [{"request_count": 7}]}\nnot json\n',
    })
    const r = await ok(fetch(account()))
    expect(r.snapshot.spend.find((s) => s.id === 'metrics-1d')).toMatchObject({ used: 7, tokens: 0 })
    expect(r.snapshot.notes).toEqual(['Copilot, 2026-08-02: 2 report records of another shape skipped'])
    serveReports({
      month: { status: 429, body: { message: 'slow down' }, headers: { 'retry-after': '600' } },
    })
    const limited = await fetch(account())
    expect(limited.ok).toBe(false)
    if (!limited.ok)
      expect(limited).toMatchObject({ error: { kind: 'rate-limited' }, retryAfterSeconds: 600 })
  })
})
