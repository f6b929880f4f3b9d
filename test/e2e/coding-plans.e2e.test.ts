import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli, tooltipText } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, startServer } from '../helpers/server.js'

/**
 * z.ai, Kimi, MiniMax, Factory and Antigravity through the built binary: the json document,
 * the Waybar tooltip, `doctor`, and discovery with no config file (key variables and login files).
 */

const NOW = '2026-11-25T10:00:00.000Z'
const fixture = (provider: string, name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures', provider, name), 'utf8'))
const KEYS = {
  zai: 'zai-e2e-secret.aabbccddeeff00112233',
  kimi: 'sk-kimi-e2e-secret-00112233445566',
  minimax: 'sk-cp-e2e-secret-99887766554433',
  factory: 'fk-e2e-secret-0a0b0c0d0e0f1a1b1c',
}
const AGY_TOKEN = 'ya29.e2e-antigravity-access-token'

let server: FakeServer
let h: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => h?.cleanup())

const bearer = (key: string, body: unknown) => (req: { headers: Record<string, unknown> }) =>
  req.headers.authorization === `Bearer ${key}` ? { body } : { status: 401, body: {} }

function routes() {
  server.requests.length = 0
  server.on(
    '/api/monitor/usage/quota/limit',
    bearer(KEYS.zai, fixture('zai', 'quota_limit.tokens_time.json')),
  )
  server.on('/coding/v1/usages', bearer(KEYS.kimi, fixture('kimi', 'coding_v1_usages.json')))
  server.on('/v1/token_plan/remains', bearer(KEYS.minimax, fixture('minimax', 'token_plan_remains.json')))
  server.on(
    '/api/billing/limits',
    bearer(KEYS.factory, fixture('factory', 'billing_limits.core_extra_usage.json')),
  )
  const agy = fixture('antigravity', 'retrieve_user_quota_summary.free_2026-07.json')
  for (const g of agy.groups) for (const b of g.buckets) b.resetTime = '2026-11-30T07:00:00Z'
  server.on('POST /v1internal:retrieveUserQuotaSummary', bearer(AGY_TOKEN, agy))
}

function agyLogin(home: string) {
  const dir = join(home, '.gemini', 'antigravity-cli')
  mkdirSync(dir, { recursive: true })
  const token = {
    token: { access_token: AGY_TOKEN, refresh_token: '1//e2e', expiry: '2026-11-25T11:00:00Z' },
  }
  writeFileSync(join(dir, 'antigravity-oauth-token'), JSON.stringify(token), { mode: 0o600 })
}

function setup() {
  h = makeHome()
  const base = { baseUrl: server.url }
  h.writeConfig({
    accounts: [
      { provider: 'zai', id: 'glm', ...base },
      { provider: 'kimi', id: 'kimi', apiKeyEnv: 'MY_KIMI_KEY', ...base },
      { provider: 'minimax', id: 'mm', plan: 'token', ...base },
      { provider: 'factory', id: 'droid', ...base },
      { provider: 'antigravity', id: 'agy', ...base },
    ],
    refresh: { timeoutSeconds: 2 },
  })
  agyLogin(h.home)
  routes()
  return {
    ...h.env,
    QUOTABAR_NOW: NOW,
    ZAI_API_KEY: KEYS.zai,
    MY_KIMI_KEY: KEYS.kimi,
    MINIMAX_API_KEY: KEYS.minimax,
    FACTORY_API_KEY: KEYS.factory,
  }
}

describe('coding-plan providers through the binary', () => {
  it('-f json: each account ok with its windows; Waybar shows them; no key in any output', async () => {
    const env = setup()
    const r = await runCli(['-f', 'json'], env)
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    const byKey = Object.fromEntries(doc.accounts.map((a: { key: string }) => [a.key, a]))
    const ids = (key: string) =>
      byKey[key].windows.map((w: { id: string; usedPercent: number }) => [w.id, w.usedPercent])
    expect(byKey['zai/glm']).toMatchObject({ status: 'ok', plan: 'GLM Coding Lite' })
    expect(ids('zai/glm')).toEqual([
      ['monthly:tools', 4],
      ['session', 25],
      ['weekly', 9],
    ])
    expect(byKey['kimi/kimi'].status).toBe('ok')
    expect(ids('kimi/kimi')[0]).toEqual(['session', 69.5])
    expect(byKey['minimax/mm']).toMatchObject({ status: 'ok', plan: 'Token Plan Plus' })
    expect(ids('minimax/mm')).toEqual([
      ['session', 4],
      ['weekly', 1],
    ])
    expect(byKey['minimax/mm'].balances).toEqual([
      { id: 'points', label: 'Points', amount: 14000, currency: 'points' },
    ])
    expect(byKey['factory/droid'].balances).toEqual([
      { id: 'extra-usage', label: 'Extra usage', amount: 12.5, currency: 'USD' },
    ])
    expect(byKey['antigravity/agy']).toMatchObject({ status: 'ok', plan: 'Free' })
    expect(ids('antigravity/agy').map((x: [string, number]) => x[0])).toEqual(['weekly:gemini', 'weekly:3p'])

    const w = await runCli(['-f', 'waybar'], env)
    const t: string = JSON.parse(w.stdout).tooltip
    const read = tooltipText(t)
    expect(t).toContain('<small>z.ai · GLM Coding Lite · updated just now</small>')
    expect(read).toMatch(/ Points +14\.0k points left /)
    expect(read).toMatch(/ Extra usage +\$12\.50 left/)
    expect(read).toMatch(/ Gemini 7d +[█░│]{24} +5% /)
    for (const s of [...Object.values(KEYS), AGY_TOKEN]) {
      expect(r.stdout + r.stderr + w.stdout + w.stderr).not.toContain(s)
      for (const f of h.writtenFiles()) expect(readFileSync(f, 'utf8')).not.toContain(s)
    }
  })

  it('doctor: a line per account with where its key or login came from', async () => {
    const env = setup()
    const r = await runCli(['doctor', '--json'], env)
    const doc = JSON.parse(r.stdout)
    const byKey = Object.fromEntries(doc.accounts.map((a: { key: string }) => [a.key, a]))
    expect(byKey['kimi/kimi'].credential).toMatchObject({ found: true, source: '$MY_KIMI_KEY' })
    expect(byKey['antigravity/agy'].credential).toMatchObject({
      found: true,
      source: join(h.home, '.gemini', 'antigravity-cli', 'antigravity-oauth-token'),
      expiresAt: '2026-11-25T11:00:00.000Z',
    })
    for (const key of ['zai/glm', 'kimi/kimi', 'minimax/mm', 'factory/droid', 'antigravity/agy']) {
      expect(byKey[key], key).toMatchObject({ usable: true, endpoint: { state: 'ok' } })
    }
    expect(doc.ok).toBe(true)
    expect(r.code).toBe(0)
    for (const s of [...Object.values(KEYS), AGY_TOKEN]) expect(r.stdout).not.toContain(s)
  })

  it('no config file: key variables and login files become accounts', async () => {
    h = makeHome()
    agyLogin(h.home)
    mkdirSync(join(h.home, '.factory'), { recursive: true })
    writeFileSync(join(h.home, '.factory', '.env'), `FACTORY_API_KEY=${KEYS.factory}\n`)
    const env = { ...h.env, QUOTABAR_NOW: NOW, ZAI_API_KEY_TEAM: KEYS.zai, MINIMAX_API_KEY: KEYS.minimax }
    const r = await runCli(['accounts', 'list', '--json'], env)
    expect(r.code).toBe(0)
    const keys = JSON.parse(r.stdout).accounts.map((a: { key: string }) => a.key)
    expect(keys).toEqual(
      expect.arrayContaining(['zai/team', 'minimax/default', 'factory/droid', 'antigravity/default']),
    )
  })
})
