import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli, tooltipText, waybarText } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, startServer } from '../helpers/server.js'

/**
 * OpenRouter, DeepSeek and a command account through the built binary: the json document, the
 * Waybar tooltip with spend and balance lines, and API keys that never leave the environment.
 */

const NOW = '2026-11-25T10:00:00.000Z'
const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'command-provider.sh')
const fixture = (provider: string, name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures', provider, name), 'utf8'))
const KEYS = {
  openrouter: 'sk-or-v1-e2e-secret-5f4e3d2c1b0a99887766554433',
  deepseek: 'sk-deepseek-e2e-secret-0a1b2c3d4e5f60718293',
}

let server: FakeServer
let h: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => h?.cleanup())

function setup() {
  h = makeHome()
  h.writeConfig({
    accounts: [
      { provider: 'openrouter', id: 'work', apiKeyEnv: 'OPENROUTER_API_KEY_WORK', baseUrl: server.url },
      { provider: 'deepseek', id: 'main', baseUrl: server.url },
      { provider: 'command', id: 'tool', label: 'Tool', command: [EXAMPLE], timeoutSeconds: 5 },
    ],
    refresh: { timeoutSeconds: 2 },
  })
  // A management key with a daily limit: a window, spend meters and the credit balance.
  const key = fixture('openrouter', 'key.daily_limit.json')
  key.data.is_management_key = true
  server.requests.length = 0
  server.on('/api/v1/key', (req) =>
    req.headers.authorization === `Bearer ${KEYS.openrouter}` ? { body: key } : { status: 401, body: {} },
  )
  server.on('/api/v1/credits', { body: fixture('openrouter', 'credits.management_key.json') })
  server.on('/user/balance', (req) =>
    req.headers.authorization === `Bearer ${KEYS.deepseek}`
      ? { body: fixture('deepseek', 'balance.usd_granted.json') }
      : { status: 401, body: {} },
  )
  return {
    ...h.env,
    QUOTABAR_NOW: NOW,
    OPENROUTER_API_KEY_WORK: KEYS.openrouter,
    DEEPSEEK_API_KEY: KEYS.deepseek,
    EXAMPLE_USED: '730',
    // The example dates its reset by the real clock; the binary's clock is pinned to NOW.
    EXAMPLE_RESET: '2026-11-25T23:59:59Z',
  }
}

describe('balances and spend through the binary', () => {
  it('-f json carries windows, spend and balances for each account', async () => {
    const env = setup()
    const r = await runCli(['-f', 'json'], env)
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    const byKey = Object.fromEntries(doc.accounts.map((a: { key: string }) => [a.key, a]))
    expect(Object.keys(byKey)).toEqual(['openrouter/work', 'deepseek/main', 'command/tool'])
    const or = byKey['openrouter/work']
    expect(or).toMatchObject({ status: 'ok', plan: 'Management key' })
    expect(or.windows).toEqual([
      {
        id: 'daily',
        label: 'Daily limit',
        usedPercent: 40,
        resetsAt: '2026-11-26T00:00:00.000Z',
        windowSeconds: 86400,
        // 10h of the day gone; one fetch is too thin a history for a forecast.
        elapsedPercent: 41.7,
        paceDelta: -1.7,
        projectedPercent: null,
        exhaustsAt: null,
        burnPerHour: null,
      },
    ])
    expect(or.spend[0]).toEqual({
      id: 'day',
      label: 'Spend',
      used: 10,
      limit: 25,
      currency: 'USD',
      period: 'day',
    })
    expect(or.balances).toEqual([{ id: 'credits', label: 'Credits', amount: 188.75, currency: 'USD' }])
    expect(byKey['deepseek/main']).toMatchObject({ status: 'ok', windows: [], spend: [] })
    expect(byKey['deepseek/main'].balances.map((b: { amount: number }) => b.amount)).toEqual([27.4, 5, 22.4])
    const tool = byKey['command/tool']
    expect(tool).toMatchObject({ status: 'ok', plan: 'Example (command/tool)', label: 'Tool' })
    expect(tool.windows[0]).toMatchObject({ id: 'daily', usedPercent: 73 })
    expect(server.count('/api/v1/key')).toBe(1)
    expect(server.count('/api/v1/credits')).toBe(1)
    expect(server.count('/user/balance')).toBe(1)
  })

  it('the Waybar tooltip shows the limit window, spend lines and balance lines', async () => {
    const env = setup()
    const r = await runCli(['-f', 'waybar'], env)
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')).toHaveLength(2)
    const o = JSON.parse(r.stdout)
    expect(waybarText(o.text)).toContain('work 40%')
    expect(waybarText(o.text)).toContain('Tool 73%')
    expect(o.class).toEqual(expect.arrayContaining(['warning', 'openrouter', 'deepseek', 'command']))
    const t: string = o.tooltip
    const read = tooltipText(t).replace(/ {2,}/g, '  ')
    expect(t).toContain('<b>work</b>  <small>OpenRouter · Management key · updated just now</small>')
    expect(read).toMatch(/ Daily limit {2}[█░│]+ {2}40% {2}resets in 14h /)
    expect(read).toMatch(/ Spend {2}[█░│]+ {2}40% {2}\$10\.00 of \$25\.00 +today /)
    expect(read).toContain(' Spend  $33.40 this week ')
    expect(read).toContain(' Spend  $80.12 this month ')
    expect(read).toContain(' Credits  $188.75 left ')
    expect(t).toContain('<b>main</b>  <small>DeepSeek · updated just now</small>')
    expect(read).toContain(' Balance  $27.40 left  Granted  $5.00 left  Topped up  $22.40 left ')
    expect(t).toContain('<b>Tool</b>  <small>Command · Example (command/tool) · updated just now</small>')
    expect(read).toMatch(/ Requests {2}[█░│]+ {2}73% {2}resets in 13h 59m /)
    expect(read).toMatch(/ Spend {2}[█░│]+ {2}25% {2}\$12\.50 of \$50\.00 +this month /)
    expect(read).toContain(' Credits  $37.50 left')
  })

  it('API keys never appear in output, errors or anything quotabar wrote', async () => {
    const env = setup()
    // One account fails with the key echoed back in the provider's error message.
    server.on('/user/balance', {
      status: 401,
      body: { error: { message: `Authentication Fails, Your api key: ${KEYS.deepseek} is invalid` } },
    })
    const outputs: string[] = []
    for (const args of [
      ['-f', 'waybar'],
      ['-f', 'json'],
      ['refresh', '--force'],
      ['--verbose', 'refresh', '--force'],
    ]) {
      const r = await runCli(args, { ...env, DEBUG: 'quotabar' })
      outputs.push(r.stdout, r.stderr)
    }
    expect(outputs.join('\n')).toContain('Authentication Fails')
    expect(outputs.join('\n')).toContain('[redacted]')
    const written = h.writtenFiles()
    expect(written.some((f) => f.endsWith('deepseek~main.json'))).toBe(true)
    expect(written.some((f) => f.endsWith('openrouter~work.json'))).toBe(true)
    const texts = [
      ...outputs,
      readFileSync(h.configFile, 'utf8'),
      ...written.map((f) => readFileSync(f, 'utf8')),
    ]
    for (const text of texts) for (const key of Object.values(KEYS)) expect(text).not.toContain(key)
  })
})
