import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { makeHome } from '../helpers/home.js'
import { type Fleet, fixture, later, makeFleet, requestsFor } from '../helpers/fleet.js'
import { type FakeServer, startServer } from '../helpers/server.js'

/**
 * The provider's minimum interval (Claude: 180 s) holds for every command: five commands in four
 * seconds once sent six requests for one login, the pattern that gets users rate-limited for an hour.
 */

let server: FakeServer
let f: Fleet | undefined
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => f?.h.cleanup())

describe('the provider floor holds for every command', () => {
  it('refresh, refresh --force, verify, doctor, click 2 in four seconds: one request, plus the forced one', async () => {
    f = makeFleet(server, ['work'])
    const at = (s: number) => ({ ...f!.env, QUOTABAR_NOW: later(s) })
    const first = await runCli(['refresh', 'work'], at(0))
    expect(first.code).toBe(0)
    const forced = await runCli(['refresh', '--force', 'work'], at(1))
    expect(forced.code).toBe(0)
    expect(forced.stdout).toContain('asked inside the 3m floor (--force)')
    const verify = await runCli(['verify', 'work'], at(2))
    const doctor = await runCli(['doctor', 'work'], at(3))
    const click = await runCli(['click', '2', '-a', 'work'], at(4))
    expect(requestsFor(server, 'work')).toBe(2)
    // Each one answers from the cache and says when the next fetch is allowed, and why.
    expect(verify.code).toBe(0)
    expect(verify.stdout.split('\n')[0]).toBe(
      '✓ claude/work: OK — Max 5x · work@example.com (from the cache, updated just now; next fetch allowed in 2m (quotabar asks claude at most every 3m))',
    )
    expect(doctor.stdout).toContain(
      '  · endpoint    not asked: next fetch allowed in 2m (quotabar asks claude at most every 3m)',
    )
    expect(doctor.code).toBe(0)
    expect(click.stdout).toBe(
      'refreshed 0 of 1 account(s); claude/work: next fetch allowed in 2m (quotabar asks claude at most every 3m)\n',
    )
    const again = await runCli(['refresh', 'work'], at(5))
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(
      /^claude\/work {2}ok {8}5h 90% · 7d 40% · Opus 12% \(from the cache; next fetch allowed in 2m \(quotabar asks claude at most every 3m\)\)\n$/,
    )
    expect(requestsFor(server, 'work')).toBe(2)
    const json = await runCli(['refresh', '--json', 'work'], at(6))
    expect(JSON.parse(json.stdout).accounts[0]).toMatchObject({
      outcome: 'not-due',
      heldBy: 'floor',
      nextFetchAt: later(181),
      forced: false,
    })
    // Past the floor, a plain refresh asks again.
    await runCli(['refresh', 'work'], at(181))
    expect(requestsFor(server, 'work')).toBe(3)
  })

  it('--force never asks inside a 429 cooldown, and says so', async () => {
    f = makeFleet(server, ['work'])
    f.reply('work', { status: 429, headers: { 'retry-after': '600' }, body: fixture('error-429.json') })
    await runCli(['refresh', 'work'], f.env)
    const forced = await runCli(['refresh', '--force', 'work'], { ...f.env, QUOTABAR_NOW: later(200) })
    expect(forced.stdout).toContain(
      'cooldown  rate-limited by the provider; next try in 6m (--force does not override a 429 cooldown)',
    )
    expect(requestsFor(server, 'work')).toBe(1)
  })
})

describe('a 429 Retry-After of any size or date', () => {
  it.each([
    ['a huge number of seconds', '99999999999999999999999'],
    ['a date in the year 9999', 'Fri, 31 Dec 9999 23:59:59 GMT'],
    ['a number past Number.MAX_VALUE', '9'.repeat(400)],
  ])('%s: clamped to 24 h, recorded, no crash; renders do not ask again', async (_n, value) => {
    f = makeFleet(server, ['work'])
    f.reply('work', { status: 429, headers: { 'retry-after': value }, body: fixture('error-429.json') })
    const r = await runCli(['refresh', 'work'], f.env)
    expect(r.stderr).not.toContain('RangeError')
    expect(r.stdout).toMatch(/^claude\/work {2}cooldown {2}HTTP 429 .*; next try in 1d\n$/)
    const entry = JSON.parse(readFileSync(join(f.h.cacheDir, 'accounts', 'claude~work.json'), 'utf8'))
    expect(entry).toMatchObject({ cooldown: true, retryAt: later(24 * 3600), rateLimitStrikes: 1 })
    for (const s of [10, 400, 3600]) {
      const bar = await runCli(['-f', 'waybar'], { ...f.env, QUOTABAR_NOW: later(s) })
      expect(JSON.parse(bar.stdout).class).toContain('cooldown')
    }
    expect(requestsFor(server, 'work')).toBe(1)
  })
})

describe('a broken lock file', () => {
  const lock = () => join(f!.h.cacheDir, 'locks', 'claude~work.lock')
  const plant = (ageS: number) => {
    mkdirSync(join(f!.h.cacheDir, 'locks'), { recursive: true })
    writeFileSync(lock(), '')
    const t = new Date(Date.now() - ageS * 1000)
    utimesSync(lock(), t, t)
  }
  it('an empty lock a few seconds old is taken over: refresh --force fetches', async () => {
    f = makeFleet(server, ['work'])
    plant(10)
    const r = await runCli(['refresh', '--force', 'work'], f.env)
    expect(r.stdout).toMatch(/^claude\/work {2}ok {8}5h 90% · 7d 40% · Opus 12%\n$/)
    expect(requestsFor(server, 'work')).toBe(1)
    expect(existsSync(lock())).toBe(false)
  })
  it('a fresh empty lock: refresh --force never claims another process fetched', async () => {
    f = makeFleet(server, ['work'])
    await runCli(['refresh', 'work'], f.env)
    plant(0)
    const r = await runCli(['refresh', '--force', 'work'], { ...f.env, QUOTABAR_NOW: later(200) })
    expect(r.stdout).not.toContain('fetched by another quotabar process')
    expect(r.stdout).toContain('another quotabar process holds the lock and fetched nothing yet')
    expect(requestsFor(server, 'work')).toBe(1)
    rmSync(lock()) // nobody will: the cleanup waits for locks to go
  })
})

describe('a floor under a minute', () => {
  it('is said in seconds (the command provider: 10 s), not as "<1m"', async () => {
    const h = makeHome()
    try {
      const script = join(h.home, 'usage.sh')
      writeFileSync(
        script,
        `#!/bin/sh\necho '{"windows":[{"id":"requests","label":"Requests","usedPercent":42}]}'\n`,
        {
          mode: 0o755,
        },
      )
      h.writeConfig({ version: 1, accounts: [{ provider: 'command', id: 'mine', command: [script] }] })
      const env = { ...h.env, QUOTABAR_NOW: '2026-11-22T10:00:00.000Z' }
      expect((await runCli(['refresh'], env)).code).toBe(0)
      const again = await runCli(['refresh'], { ...env, QUOTABAR_NOW: '2026-11-22T10:00:03.000Z' })
      expect(again.code).toBe(0)
      expect(again.stdout).toContain('next fetch allowed in 7s (quotabar asks command at most every 10s)')
    } finally {
      h.cleanup()
    }
  })
})
