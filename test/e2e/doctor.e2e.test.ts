import { createHash } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { type Fleet, fixture, later, makeFleet, NOW, requestsFor, TOKENS, USAGE } from '../helpers/fleet.js'
import { FAR_FUTURE_MS } from '../helpers/home.js'
import { type FakeServer, refusedUrl, startServer } from '../helpers/server.js'

let server: FakeServer
let f: Fleet | undefined
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => f?.h.cleanup())

const noPort = (s: string) => s.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
const fp = (token: string) => `sha256:${createHash('sha256').update(token).digest('hex').slice(0, 8)}`
const REFRESH_TOKEN = 'sk-ant-ort01-test-refresh-bbbbbbbbbbbbbbbb'

/** Nothing secret in any output: the access tokens, the refresh token, not even a long prefix. */
function expectNoSecrets(text: string) {
  for (const t of [...Object.values(TOKENS), REFRESH_TOKEN]) {
    expect(text).not.toContain(t)
    expect(text).not.toContain(t.slice(0, 24))
  }
}

describe('quotabar doctor', () => {
  it('all well: credential with fingerprint, expiry, scopes, one live request each, cache; exit 0', async () => {
    f = makeFleet(server, ['personal', 'work'])
    const r = await runCli(['doctor'], f.env)
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toBe(
      [
        'claude/personal · Max 5x · personal@example.com · active',
        `  ✓ credential  ${f.dirs.personal}/.credentials.json · ${fp(TOKENS.personal)}`,
        '  ✓ expires     2030-01-01 00:00 (in 1135d 14h) · Claude Code renews the token when it runs; quotabar never does',
        '  ✓ scopes      user:inference user:profile user:sessions:claude_code',
        '  ✓ endpoint    answered: 5h 30% · 7d 85%',
        '  · cache       ok · updated just now',
        '',
        'claude/work · Max 5x · work@example.com',
        `  ✓ credential  ${f.dirs.work}/.credentials.json · ${fp(TOKENS.work)}`,
        '  ✓ expires     2030-01-01 00:00 (in 1135d 14h) · Claude Code renews the token when it runs; quotabar never does',
        '  ✓ scopes      user:inference user:profile user:sessions:claude_code',
        '  ✓ endpoint    answered: 5h 90% · 7d 40% · Opus 12%',
        '  · cache       ok · updated just now',
        '',
        '✓ 2 accounts usable',
        '',
      ].join('\n'),
    )
    expect(server.count(USAGE)).toBe(2)
    expectNoSecrets(r.stdout)
  })

  it('a rejected login, an expired one, a missing one and an unreachable endpoint: exit 1, each with its fix', async () => {
    f = makeFleet(server)
    // work: the token expired before the pinned clock; no request may be made for it.
    f.h.claudeLogin(f.dirs.work, { token: TOKENS.work, expiresAt: Date.parse(NOW) - 60_000 })
    rmSync(join(f.dirs.personal, '.credentials.json'))
    const down = await refusedUrl()
    f.h.writeConfig({
      accounts: [
        { provider: 'claude', id: 'personal', baseUrl: server.url },
        { provider: 'claude', id: 'work', configDir: '~/.claude-work', baseUrl: server.url },
        { provider: 'claude', id: 'old', configDir: '~/.claude-old', baseUrl: server.url },
        { provider: 'claude', id: 'down', configDir: '~/.claude-old', baseUrl: down },
      ],
      refresh: { timeoutSeconds: 2 },
    })
    const r = await runCli(['doctor'], f.env)
    expect(r.code).toBe(1)
    const out = noPort(r.stdout)
    const block = (key: string) => out.split('\n\n').find((b) => b.startsWith(key)) ?? ''
    expect(block('claude/personal')).toContain(
      `  ✗ credential  not found (${f.dirs.personal}/.credentials.json)`,
    )
    expect(block('claude/personal')).toContain(
      `  ✗ login       credentials: not logged in: no ${f.dirs.personal}/.credentials.json`,
    )
    expect(block('claude/personal')).toContain('                fix: run `claude` and log in (/login)')
    expect(block('claude/work')).toContain(`  ! credential  ${f.dirs.work}/.credentials.json`)
    expect(block('claude/work')).toContain('  ✗ login       auth: Claude login expired')
    expect(block('claude/work')).toContain(
      `fix: run \`CLAUDE_CONFIG_DIR=${f.dirs.work} claude\` to log in again`,
    )
    expect(block('claude/work')).toContain('  · endpoint    not asked: Claude login expired')
    expect(block('claude/old')).toContain(
      '  ✗ endpoint    refused: HTTP 401 from http://127.0.0.1:PORT/api/oauth/usage: Invalid bearer token',
    )
    expect(block('claude/down')).toMatch(/ {2}✗ endpoint {4}unreachable: .*127\.0\.0\.1:PORT/)
    expect(out).toContain('✗ 4 of 4 unusable: claude/personal, claude/work, claude/old, claude/down')
    expect(requestsFor(server, 'work')).toBe(0)
    expect(requestsFor(server, 'old')).toBe(1)
    expectNoSecrets(r.stdout + r.stderr)
  })

  it('--json: the same findings as data, secrets excluded', async () => {
    f = makeFleet(server)
    const r = await runCli(['doctor', '--json'], f.env)
    expect(r.code).toBe(1)
    const doc = JSON.parse(r.stdout)
    expect(doc.ok).toBe(false)
    expect(doc.accounts.map((a: { key: string; usable: boolean }) => [a.key, a.usable])).toEqual([
      ['claude/personal', true],
      ['claude/work', true],
      ['claude/old', false],
    ])
    expect(doc.accounts[0]).toMatchObject({
      active: true,
      credential: {
        found: true,
        fingerprint: fp(TOKENS.personal),
        expiresAt: new Date(FAR_FUTURE_MS).toISOString(),
        scopes: ['user:inference', 'user:profile', 'user:sessions:claude_code'],
      },
      endpoint: { state: 'ok', summary: '5h 30% · 7d 85%' },
      status: 'ok',
    })
    expect(doc.accounts[2].endpoint).toMatchObject({
      state: 'refused',
      error: { kind: 'auth', httpStatus: 401 },
    })
    expectNoSecrets(r.stdout)
  })

  it('a provider cooldown is a warning, not a failure; the next doctor does not ask', async () => {
    f = makeFleet(server, ['work'])
    f.reply('work', { status: 429, headers: { 'retry-after': '900' }, body: fixture('error-429.json') })
    const first = await runCli(['doctor'], f.env)
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(
      '  ! endpoint    rate-limited by the provider: quotabar waits until 2026-11-22 10:15 (in 15m)',
    )
    expect(noPort(first.stdout)).toContain(
      '  ! last error  rate-limited: HTTP 429 from http://127.0.0.1:PORT/api/oauth/usage: Rate limited. Please try again later.',
    )
    const second = await runCli(['doctor', 'work'], { ...f.env, QUOTABAR_NOW: later(60) })
    expect(second.stdout).toContain('until 2026-11-22 10:15 (in 14m)')
    expect(requestsFor(server, 'work')).toBe(1)
  })

  it('--offline: no request; judged by the cache', async () => {
    f = makeFleet(server)
    await runCli(['refresh'], f.env)
    const r = await runCli(['doctor', '--offline', 'work', 'old'], { ...f.env, QUOTABAR_NOW: later(30) })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('  · endpoint    not checked (--offline)')
    expect(r.stdout).toContain('  · cache       ok · updated just now')
    expect(r.stdout).toContain('  · cache       expired · never updated')
    expect(r.stdout).toContain('✗ 1 of 2 unusable: claude/old')
    expect(server.count(USAGE)).toBe(3)
  })

  it('ASCII when the locale is not UTF-8', async () => {
    f = makeFleet(server, ['work'])
    const r = await runCli(['doctor', '--offline'], { ...f.env, LANG: 'C' })
    expect(r.stdout).toMatch(/^claude\/work - Max 5x - work@example\.com\n {2}\+ credential/)
    expect(r.stdout).toMatch(/^[\x09\x0a\x20-\x7e]*$/)
  })
})
