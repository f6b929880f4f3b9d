import { readFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type RunResult, runCli, tooltipText, waybarText } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, startServer } from '../helpers/server.js'

/** Two OpenAI admin-key accounts through the built binary: json document, Waybar, no key anywhere. */

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/openai', name), 'utf8'))
const NOW = '2026-08-04T15:30:00.000Z'
const COSTS = '/v1/organization/costs'
const COMPLETIONS = '/v1/organization/usage/completions'
const KEYS = {
  research: 'sk-admin-E2EKEY-research-0123456789abcdefghij',
  lab: 'sk-admin-E2EKEY-lab-zyxwvutsrq9876543210abcd',
}

let server: FakeServer
let h: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => h?.cleanup())

const project = (req: IncomingMessage) =>
  new URL(req.url ?? '/', 'http://x').searchParams.getAll('project_ids[]').join(',')

function setup() {
  h = makeHome()
  h.writeConfig({
    accounts: [
      {
        provider: 'openai',
        id: 'research',
        label: 'Research',
        apiKeyEnv: 'OPENAI_KEY_RESEARCH',
        projectId: 'proj_Research42',
        baseUrl: server.url,
      },
      {
        provider: 'openai',
        id: 'lab',
        apiKeyEnv: 'OPENAI_KEY_LAB',
        baseUrl: server.url,
        budget: { amount: 22, currency: 'USD', period: 'month' },
      },
    ],
    refresh: { timeoutSeconds: 2 },
  })
  server.requests.length = 0
  // Each account gets its own numbers only with its own key and its own filter.
  const answer = (research: string, lab: string) => (req: IncomingMessage) => {
    const auth = req.headers.authorization
    if (auth === `Bearer ${KEYS.research}` && project(req) === 'proj_Research42')
      return { body: fixture(research) }
    if (auth === `Bearer ${KEYS.lab}` && project(req) === '') return { body: fixture(lab) }
    return {
      status: 401,
      body: { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } },
    }
  }
  server.on(COSTS, answer('costs-project.json', 'costs-page2.json'))
  server.on(COMPLETIONS, answer('completions-project.json', 'completions-page2.json'))
  return {
    ...h.env,
    QUOTABAR_NOW: NOW,
    OPENAI_KEY_RESEARCH: KEYS.research,
    OPENAI_KEY_LAB: KEYS.lab,
  }
}

function expectNoKey(runs: RunResult[]) {
  const texts = [
    ...runs.flatMap((r) => [r.stdout, r.stderr]),
    readFileSync(h.configFile, 'utf8'),
    ...h.writtenFiles().map((f) => readFileSync(f, 'utf8')),
  ]
  for (const key of Object.values(KEYS)) {
    for (const t of texts) expect(t).not.toContain(key)
    // Not even a recognisable piece of it.
    for (const t of texts) expect(t).not.toContain(key.slice(9, 30))
  }
}

describe('two OpenAI admin accounts (built binary)', () => {
  it('shows both in -f json and in the Waybar tooltip; the keys appear nowhere', async () => {
    const env = setup()
    const json = await runCli(['-f', 'json'], env)
    expect(json.code).toBe(0)
    const doc = JSON.parse(json.stdout)
    const byId = Object.fromEntries(doc.accounts.map((a: { id: string }) => [a.id, a]))
    expect(Object.keys(byId).sort()).toEqual(['lab', 'research'])
    expect(byId.research).toMatchObject({
      key: 'openai/research',
      provider: 'openai',
      label: 'Research',
      status: 'ok',
      plan: 'project proj_Research42',
      windows: [],
      error: null,
    })
    expect(
      byId.research.spend.map((m: { id: string; used: number; tokens: number }) => [m.id, m.used, m.tokens]),
    ).toEqual([
      ['today', 0.42, 4000],
      ['month', 1.5, 4000],
    ])
    // The account's own budget becomes the month meter's limit.
    expect(byId.lab.spend).toEqual([
      expect.objectContaining({
        id: 'today',
        used: 3.3,
        limit: null,
        currency: 'USD',
        tokens: 80000,
        requests: 18,
      }),
      expect.objectContaining({ id: 'month', used: 3.3, limit: 22, currency: 'USD', period: 'month' }),
    ])
    // One request per report per account, each with its own key and filter.
    expect(server.count(COSTS)).toBe(2)
    expect(server.count(COMPLETIONS)).toBe(2)

    const bar = await runCli(['-f', 'waybar'], env)
    expect(bar.code).toBe(0)
    expect(bar.stdout.split('\n')).toHaveLength(2)
    const o = JSON.parse(bar.stdout)
    expect(waybarText(o.text)).toBe('Research $1.50 · lab 15%')
    expect(o.class).toContain('openai')
    expect(o.tooltip).toContain(
      '<b>Research</b>  <small>OpenAI · project proj_Research42 · updated just now</small>',
    )
    const read = tooltipText(o.tooltip)
    expect(read).toMatch(/ API costs \(UTC\) +\$0\.42 today · 4\.0k tokens · 4 requests /)
    expect(read).toMatch(/ API costs \(UTC\) +\$1\.50 this month · 4\.0k tokens · 4 requests /)
    expect(o.tooltip).toContain('<b>lab</b>  <small>OpenAI · updated just now</small>')
    expect(read).toMatch(
      / API costs \(UTC\) +[█░│]+ +15% +\$3\.30 of \$22\.00 +this month · 80\.0k tokens · 18 requests/,
    )
    // Served from the cache: no new requests.
    expect(server.count(COSTS)).toBe(2)
    expectNoKey([json, bar])
  })

  it('a rejected key turns only that account into an error with the fix, still without the key', async () => {
    const env = { ...setup(), OPENAI_KEY_LAB: 'sk-admin-E2EKEY-revoked-000000000000000000' }
    const json = await runCli(['-f', 'json'], env)
    const doc = JSON.parse(json.stdout)
    const lab = doc.accounts.find((a: { id: string }) => a.id === 'lab')
    const research = doc.accounts.find((a: { id: string }) => a.id === 'research')
    expect(research.status).toBe('ok')
    expect(lab.status).toBe('expired')
    expect(lab.error).toMatchObject({ kind: 'auth', httpStatus: 401 })
    expect(lab.error.message).toMatch(/^the admin key was rejected/)
    expect(lab.error.fix).toContain('$OPENAI_KEY_LAB')
    const bar = await runCli(['-f', 'waybar'], env)
    expect(bar.code).toBe(0)
    expect(JSON.parse(bar.stdout).tooltip).toContain('the admin key was rejected')
    expectNoKey([json, bar])
    for (const f of h.writtenFiles()) expect(readFileSync(f, 'utf8')).not.toContain('E2EKEY-revoked')
  })
})
