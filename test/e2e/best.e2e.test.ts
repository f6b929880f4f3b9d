import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BIN, runCli } from '../helpers/cli.js'
import { type Fleet, fixture, later, makeFleet, NOW, USAGE } from '../helpers/fleet.js'
import { type FakeServer, startServer } from '../helpers/server.js'

const run = promisify(execFile)

let server: FakeServer
let f: Fleet | undefined
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => f?.h.cleanup())

describe('quotabar best', () => {
  it('ranks every account: a 90% window resetting in 5 minutes is nearly free', async () => {
    f = makeFleet(server)
    const r = await runCli(['best'], f.env)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    // work: 5h 90% resets in 5m (92.5), 7d 40% → 60; personal: 7d 85% → 15; old: rejected.
    expect(r.stdout).toBe(
      [
        '> claude/work         60  7d 40% used, resets in 4d 22h',
        '  claude/personal *   15  7d 85% used, resets in 1d 22h',
        '  claude/old           -  login expired',
        '',
      ].join('\n'),
    )
    expect(server.count(USAGE)).toBe(3)
  })

  it.each([
    ['key', 'claude/work'],
    ['id', 'work'],
    ['config-dir', '<home>/.claude-work'],
    ['env', 'CLAUDE_CONFIG_DIR=<home>/.claude-work'],
  ])('--print %s', async (print, want) => {
    f = makeFleet(server)
    const r = await runCli(['best', 'claude', '--print', print], f.env)
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${want.replace('<home>', f.h.home)}\n`)
  })

  it('usable from a shell: CLAUDE_CONFIG_DIR=$(quotabar best claude --print config-dir)', async () => {
    f = makeFleet(server)
    // A real shell runs the substitution; the command it starts sees the winner's config dir.
    const line = `CLAUDE_CONFIG_DIR=$('${process.execPath}' '${BIN}' best claude --print config-dir) sh -c 'echo "$CLAUDE_CONFIG_DIR"'`
    const { stdout } = await run('/bin/sh', ['-c', line], { env: f.env })
    expect(stdout).toBe(`${join(f.h.home, '.claude-work')}\n`)
  })

  it('--print env quotes a path the shell would split', async () => {
    f = makeFleet(server, ['work'])
    const spaced = join(f.h.home, 'my claude')
    f.h.claudeLogin(spaced, { token: 'sk-ant-oat01-work-token-2222222222222222222222' })
    f.h.writeConfig({
      accounts: [{ provider: 'claude', id: 'spaced', configDir: spaced, baseUrl: server.url }],
    })
    const r = await runCli(['best', '--print', 'env'], f.env)
    expect(r.stdout).toBe(`CLAUDE_CONFIG_DIR='${spaced}'\n`)
  })

  it('--no-refresh decides from the cache without a request', async () => {
    f = makeFleet(server)
    await runCli(['refresh'], f.env)
    f.reply('work', { body: fixture('usage-exhausted.json') })
    // Six minutes on: due again, but --no-refresh keeps the cached numbers.
    const r = await runCli(['best', '--no-refresh', '--print', 'id'], { ...f.env, QUOTABAR_NOW: later(360) })
    expect(r.stdout).toBe('work\n')
    expect(server.count(USAGE)).toBe(3)
    // Without it the due accounts are fetched first, and the exhausted work account loses.
    const fresh = await runCli(['best', '--print', 'id'], { ...f.env, QUOTABAR_NOW: later(360) })
    expect(fresh.stdout).toBe('personal\n')
    expect(server.count(USAGE)).toBe(6)
  })

  it('exit 1 with every reason when no account is usable', async () => {
    f = makeFleet(server, ['work', 'old'])
    f.reply('work', { body: fixture('usage-exhausted.json') })
    const r = await runCli(['best', '--print', 'config-dir'], f.env)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      'quotabar: no usable account\n  claude/work: 5h is at its limit\n  claude/old: login expired\n',
    )
  })

  it('a cooldown makes an account ineligible', async () => {
    f = makeFleet(server, ['personal', 'work'])
    f.reply('work', { status: 429, headers: { 'retry-after': '600' }, body: fixture('error-429.json') })
    const r = await runCli(['best'], f.env)
    expect(r.stdout).toMatch(/^> claude\/personal \*\s+15 {2}7d 85% used/)
    expect(r.stdout).toContain('  claude/work          -  rate-limited by the provider (cooldown)')
  })

  it('a provider without a login variable: config-dir works, env explains', async () => {
    f = makeFleet(server, ['work'])
    const dataDir = join(f.h.home, 'cursor-data')
    f.h.writeConfig({ accounts: [{ provider: 'cursor', id: 'c', configDir: dataDir }] })
    // Cached numbers from an earlier fetch (the cache file is quotabar's own format).
    const snapshot = {
      fetchedAt: NOW,
      plan: 'Pro',
      email: null,
      windows: [
        { id: 'monthly', label: 'Month', usedPercent: 20, resetsAt: later(86400 * 9), windowSeconds: null },
      ],
      spend: [],
    }
    mkdirSync(join(f.h.cacheDir, 'accounts'), { recursive: true })
    writeFileSync(
      join(f.h.cacheDir, 'accounts', 'cursor~c.json'),
      JSON.stringify({
        v: 1,
        key: 'cursor/c',
        fingerprint: null,
        credentialStamp: null,
        snapshot,
        lastAttemptAt: NOW,
        error: null,
        retryAt: null,
        cooldown: false,
        failures: 0,
        rateLimitStrikes: 0,
      }),
    )
    const dir = await runCli(['best', '--no-refresh', '--print', 'config-dir'], f.env)
    expect(dir.stdout).toBe(`${dataDir}\n`)
    const env = await runCli(['best', '--no-refresh', '--print', 'env'], f.env)
    expect(env.code).toBe(1)
    expect(env.stdout).toBe('')
    expect(env.stderr).toBe(
      `quotabar: best is cursor/c; Cursor has no variable for it: run \`cursor --user-data-dir ${dataDir}\`\n`,
    )
  })

  it('the Waybar tooltip marks the best account and the active login, from the cache at render time', async () => {
    f = makeFleet(server)
    await runCli(['refresh'], f.env)
    const r = await runCli(['-f', 'waybar', '--no-refresh'], f.env)
    const tooltip: string = JSON.parse(r.stdout).tooltip
    expect(tooltip).toContain(
      '<b>personal</b>  <small>Claude · Max 5x · personal@example.com · updated just now</small>  <i>active</i>\n',
    )
    expect(tooltip).toContain(
      '<b>work</b>  <small>Claude · Max 5x · work@example.com · updated just now</small>  <i>best now</i>\n',
    )
    expect(tooltip).toContain('<b>old</b>  <small>Claude</small>\n')
    // Under CLAUDE_CONFIG_DIR a new `claude` uses the work login instead.
    const moved = await runCli(['-f', 'waybar', '--no-refresh'], { ...f.env, CLAUDE_CONFIG_DIR: f.dirs.work })
    expect(JSON.parse(moved.stdout).tooltip).toContain(
      'work@example.com · updated just now</small>  <i>active · best now</i>',
    )
  })

  it('an unknown selector is a usage error', async () => {
    f = makeFleet(server, ['work'])
    const r = await runCli(['best', 'nope'], f.env)
    expect(r.code).toBe(2)
  })
})
