import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { copyBin, refreshesSettled, runCli, tooltipText, waitFor, waybarText } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { echoingReply, expectNoSecrets, guardCredentials, NOBODY, plantSecret } from '../helpers/secrets.js'
import { type FakeServer, type Reply, startServer } from '../helpers/server.js'

const USAGE = '/api/oauth/usage'
const NOW = '2026-11-22T10:00:00.000Z'
const later = (s: number) => new Date(Date.parse(NOW) + s * 1000).toISOString()
const TOKENS = {
  work: plantSecret('sk-ant-oat01-', 'work'),
  personal: plantSecret('sk-ant-oat01-', 'personal'),
}
const REFRESH = 'sk-ant-ort01-test-refresh-bbbbbbbbbbbbbbbb'

function usage(session: number, weekly: number) {
  return {
    five_hour: { utilization: session, resets_at: '2026-11-22T12:00:00.000100+00:00' },
    seven_day: { utilization: weekly, resets_at: '2026-11-27T08:00:00+00:00' },
    extra_usage: {
      is_enabled: true,
      monthly_limit: 4000,
      used_credits: 763,
      currency: 'EUR',
      decimal_places: 2,
    },
  }
}

let server: FakeServer
let h: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => h?.cleanup())

/** Two Claude accounts whose answers the test chooses by token. */
function twoAccounts(replies: Partial<Record<keyof typeof TOKENS, Reply>> = {}) {
  h = makeHome()
  const dirs = { work: join(h.home, '.claude-work'), personal: join(h.home, '.claude-personal') }
  h.claudeLogin(dirs.work, { token: TOKENS.work, uuid: 'uuid-work', email: 'dev@work.example' })
  h.claudeLogin(dirs.personal, {
    token: TOKENS.personal,
    subscriptionType: 'pro',
    rateLimitTier: 'default_claude_ai',
  })
  h.writeConfig({
    accounts: [
      { provider: 'claude', id: 'work', configDir: dirs.work, baseUrl: server.url },
      { provider: 'claude', id: 'personal', configDir: dirs.personal, baseUrl: server.url },
    ],
    refresh: { timeoutSeconds: 1 },
  })
  const all: Record<string, Reply> = {
    work: { body: usage(37, 12) },
    personal: { body: usage(81, 64) },
    ...replies,
  }
  server.requests.length = 0
  server.on(
    USAGE,
    (req) => (req.headers.authorization === `Bearer ${TOKENS.work}` ? all.work : all.personal) as Reply,
  )
  return { env: { ...h.env, QUOTABAR_NOW: NOW }, dirs }
}

/** One account's cache file as text ('' while it does not exist). */
const cached = (id: string) => {
  try {
    return readFileSync(join(h.cacheDir, 'accounts', `claude~${id}.json`), 'utf8')
  } catch {
    return ''
  }
}

const waybar = async (env: Record<string, string>, extra: string[] = []) => {
  const r = await runCli(['-f', 'waybar', ...extra], env)
  expect(r.code).toBe(0)
  expect(r.stdout.endsWith('\n') && r.stdout.split('\n').length).toBe(2)
  const o = JSON.parse(r.stdout)
  // Colour spans and the tooltip grid have their own goldens (test/render); here, what it says.
  return { ...o, text: waybarText(o.text), read: tooltipText(o.tooltip) }
}

describe('several Claude accounts', () => {
  it('first render waits for the first fetch, one request per account, a tooltip row each', async () => {
    const { env } = twoAccounts()
    const o = await waybar(env)
    expect(o.text).toBe('work 37% · personal 81%')
    expect(o.class).toEqual(['warning', 'claude'])
    expect(o.percentage).toBe(81)
    expect(o.tooltip).toContain(
      '<b>work</b>  <small>Claude · Max 5x · dev@work.example · updated just now</small>',
    )
    expect(o.tooltip).toContain('<b>personal</b>  <small>Claude · Pro · updated just now</small>')
    expect(o.read).toMatch(/ Extra usage +█+░+ +19% +€7\.63 of €40\.00 +this month /)
    expect(o.read).toMatch(/ 5h +█{9}[░│]+ +37% +resets in 2h /)
    expect(server.count(USAGE)).toBe(2)
    // A second render inside the interval is served from the cache.
    await waybar({ ...env, QUOTABAR_NOW: later(60) })
    expect(server.count(USAGE)).toBe(2)
  })

  it('--account and --window pick what the short text shows', async () => {
    const { env } = twoAccounts()
    await waybar(env)
    const r = await runCli(['-a', 'personal', '--window', 'weekly', '--no-refresh'], env)
    expect(r.stdout).toBe('personal 7d 64%\n')
  })

  it('a stale cache renders at once and one detached refresh updates it', async () => {
    const { env } = twoAccounts()
    await waybar(env)
    server.on(USAGE, { body: usage(55, 20), delayMs: 300 })
    const stale = { ...env, QUOTABAR_NOW: later(301) }
    const started = Date.now()
    const o = await waybar(stale)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(o.text).toBe('work 37% · personal 81%')
    await waitFor(() => server.count(USAGE) === 4, 'the background refresh')
    await waitFor(
      () => cached('work').includes('"usedPercent":55') && cached('personal').includes('"usedPercent":55'),
      'cache writes',
    )
    // work went 37 → 55 in five minutes: on course to run out (≈); personal's fall is a reset.
    expect((await waybar(stale, ['--no-refresh'])).text).toBe('work 55% ≈1h 1m · personal 55%')
  })

  it('ten renders started together on a stale cache make exactly one request per account', async () => {
    const { env } = twoAccounts()
    await waybar(env)
    // The refresh one of them starts is answered only after all ten printed: under load the last
    // render can start after a quick refresh has already written the new numbers.
    let rendered = () => {}
    const allRendered = new Promise<void>((r) => {
      rendered = r
    })
    server.on(USAGE, { body: usage(40, 15), delayMs: 300, until: allRendered })
    const stale = { ...env, QUOTABAR_NOW: later(400) }
    const outs = await Promise.all(Array.from({ length: 10 }, () => runCli(['-f', 'waybar'], stale)))
    rendered()
    for (const r of outs) expect(waybarText(JSON.parse(r.stdout).text)).toBe('work 37% · personal 81%')
    await waitFor(() => server.count(USAGE) >= 4, 'the refresh')
    // Positive markers: both entries hold the new numbers and no refresh holds a lock.
    await waitFor(
      () => cached('work').includes('"usedPercent":40') && cached('personal').includes('"usedPercent":40'),
      'both entries written',
    )
    await refreshesSettled(h.cacheDir)
    // Which account was asked, in order: a second request names the account single flight let through.
    const asked = server.requests
      .filter((r) => r.path === USAGE)
      .map((r) => (r.headers.authorization === `Bearer ${TOKENS.work}` ? 'work' : 'personal'))
    expect(server.count(USAGE), asked.join(', ')).toBe(4)
  })

  it('429 with retry-after: 0 stops requests for 5 minutes across processes; old numbers stay', async () => {
    const { env } = twoAccounts()
    await waybar(env)
    server.on(USAGE, {
      status: 429,
      headers: { 'retry-after': '0' },
      body: { error: { message: 'Rate limited. Please try again later.' } },
    })
    const t1 = later(300)
    await waybar({ ...env, QUOTABAR_NOW: t1 })
    await waitFor(() => server.count(USAGE) === 4, 'the 429s')
    // Each account's entry is written when its own fetch ends: wait for both.
    await waitFor(
      () => cached('work').includes('rate-limited') && cached('personal').includes('rate-limited'),
      'cooldown',
    )
    for (const s of [301, 420, 599]) {
      const o = await waybar({ ...env, QUOTABAR_NOW: later(s) })
      expect(o.text).toBe('work ~37% · personal ~81%')
      expect(o.class).toContain('cooldown')
    }
    const manual = await runCli(['refresh'], { ...env, QUOTABAR_NOW: later(500) })
    // Both accounts, each with its whole line: cooldown, why, and when the next try is (600 − 500 s).
    expect(manual.stdout.split('\n').map((l) => l.replace(/\s+/g, ' '))).toEqual([
      'claude/work cooldown rate-limited by the provider; next try in 1m (even --force waits for it)',
      'claude/personal cooldown rate-limited by the provider; next try in 1m (even --force waits for it)',
      '',
    ])
    await refreshesSettled(h.cacheDir)
    expect(server.count(USAGE)).toBe(4)
    server.on(USAGE, { body: usage(1, 1) })
    await waybar({ ...env, QUOTABAR_NOW: later(601) })
    await waitFor(() => server.count(USAGE) === 6, 'requests after the cooldown')
  })

  it('an expired login shows "run claude" and keeps the numbers; logging in again clears it', async () => {
    const { env, dirs } = twoAccounts()
    await waybar(env)
    h.claudeLogin(dirs.work, { token: TOKENS.work, expiresAt: Date.parse(NOW) + 100_000 })
    const t = later(400)
    await waybar({ ...env, QUOTABAR_NOW: t })
    await waitFor(
      () => readFileSync(join(h.cacheDir, 'accounts', 'claude~work.json'), 'utf8').includes('"auth"'),
      'expiry',
    )
    // personal refreshes in the same detached process; its second point is what the forecast needs.
    await waitFor(
      () =>
        readFileSync(join(h.cacheDir, 'accounts', 'claude~personal.json'), 'utf8').includes(
          `"lastAttemptAt":"${t}"`,
        ),
      'the other account written',
    )
    const o = await waybar({ ...env, QUOTABAR_NOW: t }, ['--no-refresh'])
    // 81 % three hours into the 5-hour window (an average of 27 %/h) runs out before the reset.
    expect(o.text).toBe('work 37%! · personal 81% ≈52m')
    expect(o.class).toEqual(['warning', 'error', 'expired', 'claude'])
    expect(o.read).toMatch(
      /expired · next try in 5m · updated 6m ago Claude login expired run `CLAUDE_CONFIG_DIR=.* claude` to log in again/,
    )
    h.claudeLogin(dirs.work, { token: TOKENS.work })
    await waybar({ ...env, QUOTABAR_NOW: later(410) })
    await waitFor(
      () => !readFileSync(join(h.cacheDir, 'accounts', 'claude~work.json'), 'utf8').includes('"auth"'),
      'new login',
    )
  })

  it('`quotabar refresh` fetches now and reports per account; exit 1 when one fails', async () => {
    const { env } = twoAccounts({ personal: { status: 500, raw: 'oops' } })
    const r = await runCli(['refresh'], env)
    expect(r.stdout).toMatch(
      /^claude\/work\s+ok\s+5h 37% · 7d 12% · Extra usage €7.63 of €40.00 this month \(19%\)[^\n]*\n/,
    )
    expect(r.stdout).toMatch(
      /claude\/personal\s+error\s+HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/api\/oauth\/usage; next try in 3m/,
    )
    expect(r.code).toBe(1)
    // Past Claude's 180 s floor (inside it the cache answers: test/e2e/floor.e2e.test.ts).
    const again = await runCli(['refresh', 'work'], { ...env, QUOTABAR_NOW: later(180) })
    expect(again.code).toBe(0)
    expect(server.count(USAGE)).toBe(3)
  })
})

describe('secrets and other tools’ files', () => {
  // Root (tests here and in CI) writes through any mode: a second run drops to nobody, with the
  // credential files root's and read-only, so opening one for writing fails where a test sees it.
  const asRoot = process.getuid?.() === 0
  const runs: [string, boolean][] = asRoot
    ? [
        ['as root: a write, rename or chmod shows in the stamps', false],
        ['as nobody, the files root’s 0444: an open for writing fails', true],
      ]
    : [['as their owner, the files 0400: an open for writing fails', false]]

  it.each(runs)(
    'a planted token never appears in output or in anything quotabar wrote; credentials unchanged (%s)',
    async (_name, asNobody) => {
      // The refused login's server echoes its token back in every form (raw, URL-encoded, base64).
      const { env, dirs } = twoAccounts({ personal: echoingReply([TOKENS.personal], 401) })
      const credFiles = Object.values(dirs).flatMap((d) => readdirSync(d).map((n) => join(d, n)))
      expect(credFiles.map((f) => basename(f)).sort()).toEqual([
        '.claude.json',
        ...Array(2).fill('.credentials.json'),
      ])
      const user = asNobody ? { ...NOBODY, bin: copyBin(h.home) } : undefined
      const guard = guardCredentials(credFiles, user && { home: h.home, user })
      const outputs: Record<string, string> = {}
      for (const args of [
        ['-f', 'waybar'],
        ['-f', 'json'],
        ['refresh', '--force'],
        ['-f', 'tmux'],
        ['--verbose', 'refresh'],
      ]) {
        const r = await runCli(args, env, undefined, user)
        Object.assign(outputs, {
          [`${args.join(' ')} stdout`]: r.stdout,
          [`${args.join(' ')} stderr`]: r.stderr,
        })
      }
      // Both logins were read and used: the work account fetched, the refused one's error is cached.
      expect(JSON.parse(cached('work'))).toMatchObject({
        error: null,
        snapshot: { email: 'dev@work.example' },
      })
      expect(cached('personal')).toContain('HTTP 401')
      const json = await runCli(['-f', 'json', '--no-refresh'], env, undefined, user)
      expect(JSON.parse(json.stdout).accounts.map((a: { status: string }) => a.status)).toEqual([
        'ok',
        'expired',
      ])
      if (user) expect(statSync(join(h.cacheDir, 'accounts', 'claude~work.json')).uid).toBe(user.uid)
      const quotabarDirs = [h.cacheDir, join(h.home, '.local', 'state', 'quotabar'), dirname(h.configFile)]
      expectNoSecrets([...Object.values(TOKENS), REFRESH], { texts: outputs, dirs: quotabarDirs })
      guard.expectUntouched()
    },
  )
})

describe('bar formats always exit 0 with one valid line', () => {
  type Setup = () => { env: Record<string, string>; reason: RegExp }
  const broken: [string, Setup][] = [
    [
      'no config and no login',
      () => {
        h = makeHome()
        return { env: h.env, reason: /no logins found/ }
      },
    ],
    [
      'invalid config JSON',
      () => {
        twoAccounts()
        h.writeConfig('{"accounts": [\n  {"provider": "claude",, }]}')
        return { env: h.env, reason: /not valid JSON at line 2, column 25/ }
      },
    ],
    [
      'config fails the schema',
      () => {
        twoAccounts()
        h.writeConfig({ accounts: [{ provider: 'claude', id: 'x', refreshSeconds: 'often' }] })
        return { env: h.env, reason: /accounts\[0\]\.refreshSeconds: expected number/ }
      },
    ],
    [
      'missing credentials',
      () => {
        const { env, dirs } = twoAccounts()
        writeFileSync(join(dirs.work, '.credentials.json'), '')
        h.claudeLogin(dirs.personal)
        return { env, reason: /work.*not valid JSON/s }
      },
    ],
    [
      '401',
      () => ({
        env: twoAccounts({ work: { status: 401, body: { error: { message: 'Invalid bearer token' } } } }).env,
        reason: /Invalid bearer token run `CLAUDE_CONFIG_DIR=\S+ claude` to log in again/,
      }),
    ],
    [
      '403',
      () => ({
        env: twoAccounts({
          work: {
            status: 403,
            body: { error: { message: 'OAuth token does not meet scope requirement user:profile' } },
          },
        }).env,
        reason: /inference-only/,
      }),
    ],
    ['429', () => ({ env: twoAccounts({ work: { status: 429, body: {} } }).env, reason: /HTTP 429/ })],
    ['500', () => ({ env: twoAccounts({ work: { status: 500, raw: '' } }).env, reason: /HTTP 500/ })],
    [
      'HTML body',
      () => ({
        env: twoAccounts({
          work: { raw: '<html><body>Sign in</body></html>', headers: { 'content-type': 'text/html' } },
        }).env,
        reason: /HTML page instead of JSON/,
      }),
    ],
    [
      'unexpected shape',
      () => ({
        env: twoAccounts({ work: { body: { five_hour: { utilization: 'high' } } } }).env,
        reason: /five_hour\.utilization/,
      }),
    ],
    ['timeout', () => ({ env: twoAccounts({ work: { hang: true } }).env, reason: /did not answer in time/ })],
    [
      'connection refused',
      () => {
        const { env } = twoAccounts()
        h.writeConfig({
          accounts: [
            {
              provider: 'claude',
              id: 'work',
              configDir: join(h.home, '.claude-work'),
              baseUrl: 'http://127.0.0.1:1',
            },
          ],
        })
        return { env, reason: /ECONNREFUSED/ }
      },
    ],
  ]

  it.each(broken)('%s', async (_name, setup) => {
    const { env, reason } = setup()
    const o = await waybar(env)
    expect(o.class).toContain('error')
    expect(o.read).toMatch(reason)
    for (const format of ['i3blocks', 'tmux', 'polybar', 'plain']) {
      const r = await runCli(['-f', format], env)
      expect([0, 33]).toContain(r.code)
      expect(r.stderr).toBe('')
      expect(r.stdout.trim().split('\n')).toHaveLength(format === 'i3blocks' ? 3 : 1)
    }
  })

  it('a corrupt cache file renders and gets rewritten', async () => {
    const { env } = twoAccounts()
    // The race this test once lost under load (ENOENT): a render waits a bounded time for the first
    // fetch, then returns without it, and the cache dir the test writes into did not exist yet. So
    // the wait is long enough for a loaded machine (a render returns as soon as the data is there),
    // and the corruption goes in only once the first refresh finished writing (lock released).
    const config = JSON.parse(readFileSync(h.configFile, 'utf8'))
    h.writeConfig({ ...config, refresh: { ...config.refresh, firstFetchWaitMs: 10_000 } })
    await waybar(env)
    await waitFor(() => cached('work').includes('"usedPercent":37'), 'the first fetch written', 20_000)
    await refreshesSettled(h.cacheDir, 20_000)
    const file = join(h.cacheDir, 'accounts', 'claude~work.json')
    writeFileSync(file, '{"v":1,"key":"claude/wo')
    const o = await waybar({ ...env, QUOTABAR_NOW: later(30) })
    expect(o.text).toBe('work 37% · personal 81%')
    expect(JSON.parse(readFileSync(file, 'utf8')).snapshot.windows[0].usedPercent).toBe(37)
  })

  it('an unknown flag from a bar config still gets a valid line', async () => {
    h = makeHome()
    const r = await runCli(['-f', 'waybar', '--colour'], h.env)
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({
      class: ['error'],
      tooltip: expect.stringContaining('Unknown argument'),
    })
    const plain = await runCli(['--colour'], h.env)
    expect([plain.code, plain.stderr]).toEqual([
      2,
      expect.stringMatching(/^quotabar: Unknown argument: colour\n/),
    ])
  })
})

describe('--demo', () => {
  it('renders sample accounts with no files and no network', async () => {
    h = makeHome()
    const o = await waybar(h.env, ['--demo'])
    expect(o.text).toMatch(/^work 42% · personal 76% ≈32m · client ~94% ≈36m$/)
    expect(h.writtenFiles()).toEqual([])
  })
})
