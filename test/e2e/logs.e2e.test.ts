import { cpSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli, tooltipText, waybarText } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, startServer } from '../helpers/server.js'

// The built binary with a temp HOME: a Claude login with transcripts (test/fixtures/logs/claude,
// today $0.105566 API-equivalent) against a local usage server, and an OpenCode data dir.
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'logs')
const NOW = '2026-08-12T12:00:00.000Z'
const TOKEN = 'sk-ant-oat01-logs-e2e-token-3333333333333'
const USAGE = '/api/oauth/usage'

let server: FakeServer
let h: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => h?.cleanup())

function setup() {
  h = makeHome()
  const claude = join(h.home, '.claude-work')
  h.claudeLogin(claude, { token: TOKEN })
  cpSync(join(FIXTURES, 'claude', 'projects'), join(claude, 'projects'), { recursive: true })
  const opencode = join(h.home, 'oc-data')
  cpSync(join(FIXTURES, 'opencode'), opencode, { recursive: true })
  h.writeConfig({
    accounts: [
      { provider: 'claude', id: 'work', configDir: claude, baseUrl: server.url },
      { provider: 'opencode', id: 'oc', configDir: opencode },
    ],
    refresh: { timeoutSeconds: 2 },
    logs: { timezone: 'UTC' },
  })
  server.on(USAGE, {
    body: {
      five_hour: { utilization: 40, resets_at: '2026-08-12T14:00:00.000000+00:00' },
      seven_day: { utilization: 12, resets_at: '2026-08-17T08:00:00+00:00' },
    },
  })
  return { env: { ...h.env, QUOTABAR_NOW: NOW }, claude }
}

const cli = async (args: string[], env: Record<string, string>, code = 0) => {
  const r = await runCli(args, env)
  expect(r.code, r.stderr).toBe(code)
  return r
}

describe('local usage logs, end to end', () => {
  it('the refresh puts today / block / week meters on the account; json and the tooltip show them', async () => {
    const { env } = setup()
    await cli(['refresh'], env)
    const doc = JSON.parse((await cli(['-f', 'json', '--no-refresh'], env)).stdout)
    const work = doc.accounts.find((a: { key: string }) => a.key === 'claude/work')
    expect(work.status).toBe('ok')
    expect(work.windows.map((w: { usedPercent: number }) => w.usedPercent)).toEqual([40, 12])
    expect(work.spend).toEqual([
      {
        id: 'today',
        label: 'API-equivalent (1 unpriced)',
        used: 0.105566,
        limit: null,
        currency: 'USD',
        period: 'day',
        tokens: 86128,
        requests: 6,
        estimated: true,
      },
      {
        id: 'block',
        label: 'API-equivalent (1 unpriced)',
        used: 0.102566,
        limit: null,
        currency: 'USD',
        period: 'block',
        tokens: 83928,
        requests: 4,
        estimated: true,
      },
      {
        id: 'week',
        label: 'API-equivalent (1 unpriced)',
        used: 1.020566,
        limit: null,
        currency: 'USD',
        period: 'week',
        tokens: 337128,
        requests: 7,
        estimated: true,
      },
    ])
    const oc = doc.accounts.find((a: { key: string }) => a.key === 'opencode/oc')
    // sonnet-4-6 with OpenCode's own cost 0.05 + gpt-5.5 priced here (0.132)
    expect(oc.spend.find((s: { id: string }) => s.id === 'today')).toMatchObject({
      used: 0.182,
      requests: 2,
      estimated: true,
      label: 'Local logs',
    })
    const bar = JSON.parse((await cli(['-f', 'waybar', '--no-refresh'], env)).stdout)
    const read = tooltipText(bar.tooltip)
    // Too long for one tooltip line: the last part goes on the row below (tooltipText joins rows with a space).
    expect(read).toMatch(/API-equivalent \(1 unpriced\) {2}~\$0\.11 today · 86\.1k tokens +6 requests/)
    expect(read).toMatch(
      /API-equivalent \(1 unpriced\) {2}~\$0\.10 this 5h block · 83\.9k tokens +4 requests/,
    )
    expect(waybarText(bar.text)).toContain('work 40%')
    for (const f of h.writtenFiles()) expect(readFileSync(f, 'utf8')).not.toContain(TOKEN)
  })

  it('the first render starts the refresh that reads the logs (never the render itself)', async () => {
    const { env } = setup()
    const o = JSON.parse((await cli(['-f', 'json'], env)).stdout)
    const work = o.accounts.find((a: { key: string }) => a.key === 'claude/work')
    expect(work.spend.map((s: { id: string }) => s.id)).toEqual(['today', 'block', 'week'])
  })

  it('quotabar report includes an admin-API account from its cached spend, marked as API-reported', async () => {
    const { env, claude } = setup()
    h.writeConfig({
      accounts: [
        { provider: 'claude', id: 'work', configDir: claude, baseUrl: server.url },
        { provider: 'openai', id: 'org', apiKeyEnv: 'QUOTABAR_TEST_UNSET_KEY' },
      ],
      logs: { timezone: 'UTC' },
    })
    const spend = [
      {
        id: 'today',
        label: 'OpenAI API',
        used: 0.4,
        limit: null,
        currency: 'USD',
        period: 'day',
        tokens: 12000,
        requests: 9,
      },
      { id: 'month', label: 'OpenAI API', used: 12.5, limit: null, currency: 'USD', period: 'month' },
    ]
    const entry = {
      v: 1,
      key: 'openai/org',
      fingerprint: null,
      credentialStamp: '',
      snapshot: { fetchedAt: NOW, plan: null, email: null, windows: [], spend },
      lastAttemptAt: NOW,
      error: null,
      retryAt: null,
      cooldown: false,
      failures: 0,
      rateLimitStrikes: 0,
    }
    mkdirSync(join(h.cacheDir, 'accounts'), { recursive: true })
    writeFileSync(join(h.cacheDir, 'accounts', 'openai~org.json'), JSON.stringify(entry))
    const json = JSON.parse((await cli(['report', '--json', '--days', '1'], env)).stdout)
    expect(
      json.rows.map((r: { key: string; source: string; cost: number; period?: string }) => [
        r.key,
        r.source,
        r.cost,
        r.period,
      ]),
    ).toEqual([
      ['openai/org', 'api', 0.4, 'day'],
      ['claude/work', 'logs', 0.105566, undefined],
    ])
    const text = (await cli(['report', '--days', '1'], env)).stdout
    expect(text).toMatch(/openai\/org \(API, today\) +— +— +— +— +9 +\$0\.40 +79%/)
  })

  it('quotabar report: a table, --json rows, --by model, and usage errors', async () => {
    const { env } = setup()
    const json = JSON.parse((await cli(['report', '--json', '--days', '1'], env)).stdout)
    expect(json).toMatchObject({
      from: '2026-08-12',
      to: '2026-08-12',
      timeZone: 'UTC',
      by: 'account',
      logsEnabled: true,
    })
    expect(
      json.rows.map((r: { key: string; cost: number; source: string }) => [r.key, r.cost, r.source]),
    ).toEqual([
      ['opencode/oc', 0.182, 'logs'],
      ['claude/work', 0.105566, 'logs'],
    ])
    expect(json.reasons['claude/work']).toMatchObject({ duplicate: 4, 'sidechain-replay': 1 })
    expect(json.scan['claude/work']).toMatchObject({ files: 3, filesRead: 3 })
    // A second run reads nothing new.
    const again = JSON.parse((await cli(['report', '--json', '--days', '1'], env)).stdout)
    expect(again.scan['claude/work']).toMatchObject({ filesRead: 0, bytesRead: 0 })
    const text = (await cli(['report', 'claude', '--by', 'model', '--verbose'], env)).stdout
    expect(text).toContain('Usage 2026-08-06 – 2026-08-12 (last 7 days, UTC) by model')
    expect(text).toMatch(/claude-sonnet-4-5-20250929 +250\.0k +1\.0k +0 +0 +1 +~\$0\.92 +88%/)
    expect(text).toContain('1  sidechain-replay — ')
    const bad = await cli(['report', '--days', '0'], env, 2)
    expect(bad.stderr).toContain('--days must be a whole number of days from 1 to 3660')
    const tz = { ...env }
    h.writeConfig({
      accounts: [{ provider: 'claude', id: 'w', configDir: join(h.home, '.claude-work') }],
      logs: { timezone: 'Mars/Olympus' },
    })
    expect((await cli(['report'], tz, 1)).stderr).toContain('logs.timezone "Mars/Olympus" is not a time zone')
  })

  it('quotabar pricing: shows the dated table; --from validates, saves an override, and costs follow', async () => {
    const { env } = setup()
    const shown = (await cli(['pricing'], env)).stdout
    expect(shown).toMatch(/^Prices: bundled table dated \d{4}-\d{2}-\d{2} \(no override\)/)
    expect(shown).toMatch(/claude-opus-4-8 +5 +25 +6\.25 +0\.5 +×2/)
    const bad = join(h.home, 'bad.json')
    writeFileSync(bad, '{"sample_spec": {"input_cost_per_token": "see docs"}}')
    expect((await cli(['pricing', '--from', bad], env, 1)).stderr).toContain('no model prices found')
    writeFileSync(join(h.home, 'broken.json'), '{"a": ')
    expect((await cli(['pricing', '--from', join(h.home, 'broken.json')], env, 1)).stderr).toContain(
      'not valid JSON',
    )
    await cli(['report', '--json', '--days', '1'], env)
    // Haiku at ten times the price: today's haiku requests (SUB1 0.00175, DDD 2 × 0.0015) ×10.
    const good = join(h.home, 'prices.json')
    writeFileSync(
      good,
      JSON.stringify({
        'claude-haiku-4-5-20251001': {
          input_cost_per_token: 1e-5,
          output_cost_per_token: 5e-5,
          cache_read_input_token_cost: 1e-6,
        },
      }),
    )
    utimesSync(good, new Date('2026-09-01T10:00:00Z'), new Date('2026-09-01T10:00:00Z'))
    expect((await cli(['pricing', '--from', good], env)).stdout).toContain(
      'Saved 1 model prices dated 2026-09-01',
    )
    const after = JSON.parse((await cli(['report', '--json', '--days', '1', 'claude'], env)).stdout)
    expect(after.pricing).toMatchObject({
      date: '2026-09-01',
      override: expect.stringContaining('pricing.json'),
    })
    expect(after.rows[0]).toMatchObject({ key: 'claude/work', cost: 0.148316 })
    expect(after.scan['claude/work'].filesRead).toBe(3)
    expect((await cli(['pricing', '--reset'], env)).stdout).toContain('bundled prices')
    expect((await cli(['pricing', '--from', good, '--reset'], env, 2)).stderr).toContain('not both')
  })

  it('logs.enabled false: no meters, and report says so', async () => {
    const { env, claude } = setup()
    h.writeConfig({
      accounts: [{ provider: 'claude', id: 'work', configDir: claude, baseUrl: server.url }],
      logs: { enabled: false },
    })
    await cli(['refresh'], env)
    const doc = JSON.parse((await cli(['-f', 'json', '--no-refresh'], env)).stdout)
    expect(doc.accounts[0].spend).toEqual([])
    expect((await cli(['report'], env)).stdout).toContain('Local logs are off (config logs.enabled: false)')
  })
})
