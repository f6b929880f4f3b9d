import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli, waitFor } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type Served, startServe } from '../helpers/serve.js'
import { type FakeServer, startServer } from '../helpers/server.js'

const USAGE = '/api/oauth/usage'
const NOW = '2026-11-22T10:00:00.000Z'
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8'
const TOKENS = {
  work: 'sk-ant-oat01-serve-work-1111111111111',
  personal: 'sk-ant-oat01-serve-personal-22222222',
}

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw request, so tests control the method and the Host header. */
function get(url: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = ''
      res.on('data', (d) => {
        body += d
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

let server: FakeServer
let h: TempHome
let served: Served | null = null
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(async () => {
  await served?.stop('SIGKILL')
  served = null
  h?.cleanup()
})

function setup(accounts: ('work' | 'personal' | 'nologin')[] = ['work', 'personal']) {
  h = makeHome()
  const dir = (id: string) => join(h.home, `.claude-${id}`)
  h.claudeLogin(dir('work'), { token: TOKENS.work })
  h.claudeLogin(dir('personal'), { token: TOKENS.personal, subscriptionType: 'pro', rateLimitTier: 'x' })
  h.writeConfig({
    accounts: accounts.map((id) => ({ provider: 'claude', id, configDir: dir(id), baseUrl: server.url })),
    refresh: { timeoutSeconds: 2 },
  })
  server.requests.length = 0
  server.on(USAGE, (req) => {
    const work = req.headers.authorization === `Bearer ${TOKENS.work}`
    return {
      body: {
        five_hour: { utilization: work ? 37 : 81, resets_at: '2026-11-22T12:00:00+00:00' },
        seven_day: { utilization: work ? 12 : 64, resets_at: '2026-11-27T08:00:00+00:00' },
      },
    }
  })
  return { ...h.env, QUOTABAR_NOW: NOW }
}

/** A 100 ms scheduler tick that logs each pass (DEBUG), so tests wait for ticks, not for time. */
const ticking = (env: Record<string, string>) => ({
  ...env,
  QUOTABAR_SERVE_TICK_MS: '100',
  DEBUG: 'quotabar',
})
const ticks = (s: Served) => (s.stderr().match(/serve: tick \d+:/g) ?? []).length
/** A positive marker for "nothing more was asked": `n` more scheduler passes went by. */
const ticksPass = async (s: Served, n: number) => {
  const seen = ticks(s)
  await waitFor(() => ticks(s) >= seen + n, `${n} scheduler ticks`)
}

const byToken = (token: string) =>
  server.requests.filter((r) => r.path === USAGE && r.headers.authorization === `Bearer ${token}`).length

describe('quotabar serve', () => {
  it('serves /metrics, /v1/snapshots and /health from the cache it refreshes in the background', async () => {
    const env = setup()
    served = await startServe(['--port', '0'], ticking(env))
    await waitFor(() => server.count(USAGE) === 2, 'the first refresh')
    await waitFor(() => existsSync(join(h.cacheDir, 'accounts', 'claude~personal.json')), 'the cache')
    let health: Answer = await get(`${served.url}/health`)
    // Polled until healthy (like waitFor: a deadline, not a count of tries a slow machine runs out of).
    for (const deadline = Date.now() + 8000; health.status !== 200 && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 50))
      health = await get(`${served.url}/health`)
    }
    expect(health.status).toBe(200)
    expect(JSON.parse(health.body)).toEqual({
      status: 'ok',
      generatedAt: NOW,
      accounts: ['work', 'personal'].map((id) => ({
        key: `claude/${id}`,
        status: 'ok',
        fetchedAt: NOW,
        ageSeconds: 0,
        error: null,
        retryAt: null,
      })),
    })

    const metrics = await get(`${served.url}/metrics`)
    expect(metrics.status).toBe(200)
    expect(metrics.headers['content-type']).toBe(OPENMETRICS)
    expect(metrics.body.endsWith('\n# EOF\n')).toBe(true)
    expect(metrics.body).toContain(
      'quotabar_window_used_ratio{provider="claude",account="work",window="session"} 0.37',
    )
    expect(metrics.body).toContain(
      'quotabar_window_used_ratio{provider="claude",account="personal",window="weekly"} 0.64',
    )
    // Exactly what the one-shot command prints from the same cache.
    const oneShot = await runCli(['-f', 'prometheus', '--no-refresh'], env)
    expect(metrics.body).toBe(oneShot.stdout)
    const snapshots = await get(`${served.url}/v1/snapshots?pretty=1`)
    expect(snapshots.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(JSON.parse(snapshots.body)).toEqual(
      JSON.parse((await runCli(['-f', 'json', '--no-refresh'], env)).stdout),
    )

    const classic = await get(`${served.url}/metrics`, { headers: { accept: 'text/plain;version=0.0.4' } })
    expect(classic.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8')
    const head = await get(`${served.url}/metrics`, { method: 'HEAD' })
    expect([head.status, head.body, Number(head.headers['content-length'])]).toEqual([
      200,
      '',
      metrics.body.length,
    ])
    expect((await get(`${served.url}/`)).status).toBe(404)
    expect((await get(`${served.url}/metrics/extra`)).status).toBe(404)
    const post = await get(`${served.url}/metrics`, { method: 'POST' })
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD'])
    // DNS rebinding: a page's own host name pointed at 127.0.0.1 gets nothing.
    const rebound = await get(`${served.url}/v1/snapshots`, { headers: { host: 'evil.example:9477' } })
    expect(rebound.status).toBe(403)
    expect(
      (await get(`${served.url}/health`, { headers: { host: `localhost:${served.port}` } })).status,
    ).toBe(200)

    // Nothing is due inside the interval: several ticks pass and no more requests.
    await ticksPass(served, 3)
    expect(server.count(USAGE)).toBe(2)
    expect(await served.stop('SIGTERM')).toBe(0)
    expect(served.stderr()).toContain('SIGTERM: shutting down')
    expect(readdirSync(join(h.cacheDir, 'locks'))).toEqual([])
  })

  it('shares the cooldown a one-shot process recorded; SIGINT stops it cleanly', async () => {
    const env = setup(['work'])
    server.on(USAGE, { status: 429, headers: { 'retry-after': '900' }, body: {} })
    expect((await runCli(['refresh'], env)).code).toBe(1)
    expect(server.count(USAGE)).toBe(1)
    served = await startServe(['--port', '0', '-a', 'work'], {
      ...ticking(env),
      QUOTABAR_NOW: '2026-11-22T10:01:00.000Z',
    })
    await ticksPass(served, 3)
    expect(server.count(USAGE)).toBe(1)
    const metrics = (await get(`${served.url}/metrics`)).body
    // The 429 left no numbers, so the account reads as cooling down with nothing to show.
    expect(metrics).toContain('quotabar_account_status{provider="claude",account="work",status="cooldown"} 1')
    expect(metrics).toContain('quotabar_retry_timestamp_seconds{provider="claude",account="work"} 1795342500')
    const health = await get(`${served.url}/health`)
    expect(health.status).toBe(503)
    expect(JSON.parse(health.body)).toMatchObject({
      status: 'down',
      accounts: [{ key: 'claude/work', status: 'cooldown', error: { kind: 'rate-limited' } }],
    })
    expect(await served.stop('SIGINT')).toBe(0)
  })

  it('health: 200 degraded while one account has data, 503 down when none has', async () => {
    const env = setup(['work', 'nologin'])
    served = await startServe(['--port', '0'], env)
    await waitFor(() => existsSync(join(h.cacheDir, 'accounts', 'claude~nologin.json')), 'the failed attempt')
    await waitFor(() => existsSync(join(h.cacheDir, 'accounts', 'claude~work.json')), 'the fetch')
    const both = await get(`${served.url}/health`)
    expect([both.status, JSON.parse(both.body).status]).toEqual([200, 'degraded'])
    await served.stop()
    served = await startServe(['--port', '0', '-a', 'nologin'], env)
    const down = await get(`${served.url}/health`)
    expect(down.status).toBe(503)
    expect(JSON.parse(down.body).accounts[0]).toMatchObject({
      status: 'error',
      error: { kind: 'credentials' },
    })
  })

  it('re-reads the config file when it changes and fetches new accounts on the next tick', async () => {
    const env = setup(['work'])
    served = await startServe(['--port', '0'], ticking(env))
    await waitFor(() => byToken(TOKENS.work) === 1, 'work')
    h.writeConfig({
      accounts: ['work', 'personal'].map((id) => ({
        provider: 'claude',
        id,
        configDir: join(h.home, `.claude-${id}`),
        baseUrl: server.url,
      })),
    })
    await waitFor(() => byToken(TOKENS.personal) === 1, 'the added account', 9000)
    expect(byToken(TOKENS.work)).toBe(1)
    // A broken edit is reported and the last good config keeps serving.
    h.writeConfig('{"accounts": [')
    await waitFor(() => served?.stderr().includes('config not reloaded') ?? false, 'the warning', 9000)
    expect((await get(`${served.url}/health`)).status).toBe(200)
  }, 30_000)

  it('its refreshes raise threshold notifications like the bars’ detached refresh', async () => {
    setup(['work'])
    const events = join(h.home, 'events.jsonl')
    h.writeConfig({
      accounts: [
        { provider: 'claude', id: 'work', configDir: join(h.home, '.claude-work'), baseUrl: server.url },
      ],
      notifications: { enabled: true, notifySend: false, hook: ['sh', '-c', `cat >> '${events}'`] },
    })
    served = await startServe(['--port', '0'], { ...h.env, QUOTABAR_NOW: NOW })
    await waitFor(() => byToken(TOKENS.work) === 1, 'the first fetch')
    await served.stop()
    server.on(USAGE, { body: { five_hour: { utilization: 93, resets_at: '2026-11-22T12:00:00+00:00' } } })
    served = await startServe(['--port', '0'], { ...h.env, QUOTABAR_NOW: '2026-11-22T10:06:00.000Z' })
    await waitFor(() => existsSync(events), 'the notification hook')
    await waitFor(() => readFileSync(events, 'utf8').endsWith('\n'), 'the event')
    // The crossing comes first; the jump also puts the window on course to run out (a `pace` line may follow).
    expect(JSON.parse(readFileSync(events, 'utf8').split('\n')[0] ?? '')).toMatchObject({
      type: 'critical',
      account: 'claude/work',
      window: 'session',
      usedPercent: 93,
    })
  })

  it('warns when bound beyond loopback; clear errors for a busy port, a bad port, a broken config', async () => {
    const env = setup(['work'])
    served = await startServe(['--host', '0.0.0.0', '--port', '0', '--demo'], env)
    expect(served.stderr()).toMatch(/warning: 0\.0\.0\.0 is not a loopback address/)
    expect((await get(`${served.url}/metrics`)).body).toContain('account="client",status="cooldown"} 1')
    const busy = await runCli(['serve', '--port', String(served.port), '--host', '0.0.0.0', '--demo'], env)
    expect(busy.code).toBe(1)
    expect(busy.stderr).toMatch(/cannot listen on 0\.0\.0\.0:\d+: the port is in use/)
    const bad = await runCli(['serve', '--port', '70000'], env)
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--port must be a whole number')])
    expect((await runCli(['serve', '-a', 'nobody'], env)).code).toBe(2)
    h.writeConfig('{"accounts": [')
    const broken = await runCli(['serve', '--port', '0'], env)
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(/not valid JSON/)
  })
})
