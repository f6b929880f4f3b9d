import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { type Fleet, fixture, later, makeFleet, requestsFor, USAGE } from '../helpers/fleet.js'
import { type FakeServer, startServer } from '../helpers/server.js'

let server: FakeServer
let f: Fleet | undefined
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => f?.h.cleanup())

const noPort = (s: string) => s.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')

describe('quotabar verify', () => {
  it('OK with the windows; every call asks now, whatever the interval, never below the floor; the cache gets the result', async () => {
    f = makeFleet(server)
    const r = await runCli(['verify', 'work'], f.env)
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(
      [
        '✓ claude/work: OK — Max 5x · work@example.com',
        '  5h    █████████░   90%  resets in 5m',
        '  7d    ████░░░░░░   40%  resets in 4d 22h',
        '  Opus  █░░░░░░░░░   12%  resets in 4d 22h',
        '',
      ].join('\n'),
    )
    const cached = readFileSync(join(f.h.cacheDir, 'accounts', 'claude~work.json'), 'utf8')
    expect(cached).toContain('"usedPercent":90')
    // Inside Claude's 180 s floor the cache answers and says so; past it verify asks again.
    const inside = await runCli(['verify', 'claude/work'], { ...f.env, QUOTABAR_NOW: later(10) })
    expect(inside.code).toBe(0)
    expect(inside.stdout.split('\n')[0]).toContain(
      '(from the cache, updated just now; next fetch allowed in 2m',
    )
    expect(requestsFor(server, 'work')).toBe(1)
    await runCli(['verify', 'claude/work'], { ...f.env, QUOTABAR_NOW: later(180) })
    expect(requestsFor(server, 'work')).toBe(2)
    expect(server.count(USAGE)).toBe(2)
  })

  it('the active login says so', async () => {
    f = makeFleet(server, ['personal'])
    const r = await runCli(['verify', 'personal'], f.env)
    expect(r.stdout.split('\n')[0]).toBe('✓ claude/personal (active): OK — Max 5x · personal@example.com')
  })

  it('a rejected login: the error kind, the message and the fix; exit 1', async () => {
    f = makeFleet(server)
    const r = await runCli(['verify', 'old'], f.env)
    expect(r.code).toBe(1)
    expect(noPort(r.stdout).replaceAll(f.h.home, '~')).toBe(
      [
        '✗ claude/old: auth — HTTP 401 from http://127.0.0.1:PORT/api/oauth/usage: Invalid bearer token',
        '  fix: run `CLAUDE_CONFIG_DIR=~/.claude-old claude` to log in again (quotabar never refreshes Claude Code tokens)',
        '',
      ].join('\n'),
    )
  })

  it('a 429 starts a cooldown; verify during it does not ask and says when it ends', async () => {
    f = makeFleet(server, ['work'])
    await runCli(['verify', 'work'], f.env)
    f.reply('work', { status: 429, headers: { 'retry-after': '600' }, body: fixture('error-429.json') })
    const hit = await runCli(['verify', 'work'], { ...f.env, QUOTABAR_NOW: later(180) })
    expect(hit.code).toBe(1)
    expect(noPort(hit.stdout)).toBe(
      [
        '✗ claude/work: rate-limited — HTTP 429 from http://127.0.0.1:PORT/api/oauth/usage: Rate limited. Please try again later.',
        '  cooldown until 2026-11-22 10:13 (in 10m)',
        '  fix: quotabar waits before asking again; polling less often avoids this',
        '  last good data (updated 3m ago): 5h 90% · 7d 40% · Opus 12%',
        '',
      ].join('\n'),
    )
    expect(requestsFor(server, 'work')).toBe(2)
    const held = await runCli(['verify', 'work'], { ...f.env, QUOTABAR_NOW: later(420) })
    expect(held.code).toBe(1)
    expect(held.stdout.split('\n').slice(0, 2)).toEqual([
      '✗ claude/work: rate-limited — not asked: the provider asked quotabar to wait until 2026-11-22 10:13 (in 6m)',
      '  fix: wait until then (asking inside a 429 cooldown only makes it longer; not even --force does)',
    ])
    expect(requestsFor(server, 'work')).toBe(2)
  })

  it('`quotabar accounts verify KEY` is the same command', async () => {
    f = makeFleet(server)
    const top = await runCli(['verify', 'work'], f.env)
    // A fresh cache, so the second call is not inside the provider's floor and asks too.
    rmSync(join(f.h.cacheDir, 'accounts', 'claude~work.json'))
    const sub = await runCli(['accounts', 'verify', 'work'], f.env)
    expect(sub.code).toBe(0)
    expect(sub.stdout).toBe(top.stdout)
    const bad = await runCli(['accounts', 'verify', 'old'], f.env)
    expect(bad.code).toBe(1)
    expect(requestsFor(server, 'work')).toBe(2)
  })

  it('--json: the verdict as data', async () => {
    f = makeFleet(server)
    const r = await runCli(['verify', 'old', '--json'], f.env)
    expect(r.code).toBe(1)
    const v = JSON.parse(r.stdout)
    expect(v).toMatchObject({ key: 'claude/old', ok: false, outcome: 'fetched', kind: 'auth', retryAt: null })
    expect(v.fix).toContain(`run \`CLAUDE_CONFIG_DIR=${f.h.home}/.claude-old claude\``)
  })

  it('a selector that names several accounts, or none, is a usage error', async () => {
    f = makeFleet(server)
    const many = await runCli(['verify', 'claude'], f.env)
    expect(many.code).toBe(2)
    expect(many.stderr).toContain(
      '"claude" matches 3 accounts (claude/personal, claude/work, claude/old); name one as provider/id',
    )
    const none = await runCli(['verify', 'nobody'], f.env)
    expect(none.code).toBe(2)
    const missing = await runCli(['verify'], f.env)
    expect(missing.code).toBe(2)
    expect(server.count(USAGE)).toBe(0)
  })
})
