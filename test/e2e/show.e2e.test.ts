import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BIN, runCli, waitFor } from '../helpers/cli.js'
import { type Fleet, fixture, later, makeFleet, requestsFor, USAGE } from '../helpers/fleet.js'
import { backdateAttempt } from '../helpers/live.js'
import { type FakeServer, startServer } from '../helpers/server.js'
import { hasTool, requireToolsInCi } from '../helpers/tools.js'

let server: FakeServer
let f: Fleet | undefined
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => f?.h.cleanup())

const noPort = (s: string) => s.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')

describe('quotabar show', () => {
  it('golden table: fetches what is due, then one row per account (NO_COLOR, clock pinned)', async () => {
    f = makeFleet(server)
    const r = await runCli(['show'], f.env)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(noPort(r.stdout).replaceAll(f.h.home, '~').split('\n')).toEqual([
      ' quotabar · 3 accounts                                                                last refresh just now',
      '#   Account     Provider  Plan    5h                  7d                      Other            Status   Age',
      ' 1  personal *  Claude    Max 5x   30% ███░░░░░░░ 2h   85% █████████░ 1d 22h                   ok       <1m',
      '>2  work        Claude    Max 5x   90% █████████░ 5m   40% ████░░░░░░ 4d 22h  Opus 12% 4d 22h  ok       <1m',
      ' 3  old         Claude    —          —                   —                                     expired  —',
      '',
      '3 old: HTTP 401 from http://127.0.0.1:PORT/api/oauth/usage: Invalid bearer token — run `CLAUDE_CONFIG_DIR=~/.claude-old claude` to log in again (quotabar never refreshes Claude Code tokens)',
      '* active login (a new session of its CLI uses it)   > most headroom now (quotabar best)',
      '',
    ])
    expect(server.count(USAGE)).toBe(3)
  })

  it('ten minutes later, from the cache: countdowns moved, the 5h window reset, data stale', async () => {
    f = makeFleet(server)
    await runCli(['refresh'], f.env)
    const r = await runCli(['show', '--no-refresh', 'personal', 'work'], {
      ...f.env,
      QUOTABAR_NOW: later(600),
    })
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')).toEqual([
      ' quotabar · 2 accounts                                                                    last refresh 10m ago',
      '#   Account     Provider  Plan    5h                      7d                      Other            Status  Age',
      ' 1  personal *  Claude    Max 5x   30% ███░░░░░░░ 1h 50m   85% █████████░ 1d 21h                   stale   10m',
      '>2  work        Claude    Max 5x    0% ░░░░░░░░░░ reset    40% ████░░░░░░ 4d 21h  Opus 12% 4d 21h  stale   10m',
      '',
      '* active login (a new session of its CLI uses it)   > most headroom now (quotabar best)',
      '',
    ])
    expect(server.count(USAGE)).toBe(3)
  })

  it('no colour into a pipe unless FORCE_COLOR; a bad selector is a usage error', async () => {
    f = makeFleet(server, ['work'])
    const { NO_COLOR: _, ...env } = f.env
    const plain = await runCli(['show'], env)
    expect(plain.stdout).toContain(' 90% █████████░ 5m')
    expect(plain.stdout).not.toContain('\x1b[')
    const coloured = await runCli(['show', '--no-refresh'], { ...env, FORCE_COLOR: '1' })
    expect(coloured.stdout).toContain('\x1b[31m 90%\x1b[0m \x1b[31m█████████░\x1b[0m')
    const bad = await runCli(['show', 'nobody'], f.env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('no account matches "nobody"')
  })

  it('--watch outside a terminal says why and exits 2', async () => {
    f = makeFleet(server, ['work'])
    const r = await runCli(['show', '--watch'], f.env)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('show --watch needs a terminal')
  })
})

const tmuxAvailable = hasTool('tmux', '-V')
requireToolsInCi('show --watch in a real terminal', { tmux: tmuxAvailable }, 'apt-get install tmux')

describe.skipIf(!tmuxAvailable)('quotabar show --watch in a real terminal (tmux)', () => {
  const socket = `quotabar-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' })
  const screen = () => tmux('capture-pane', '-p', '-t', 'qb')
  let socketPath: string | null = null
  afterAll(() => {
    try {
      tmux('kill-server')
    } catch {}
    // tmux 3.3 leaves the socket file behind.
    if (socketPath) rmSync(socketPath, { force: true })
  })

  it('draws the table, refreshes on r, quits on q and restores the screen', async () => {
    f = makeFleet(server)
    const env = Object.entries({ ...f.env, TERM: 'xterm-256color', LANG: 'C.UTF-8' })
      .map(([k, v]) => `${k}='${v}'`)
      .join(' ')
    // The shell line after quotabar reports its exit status on the normal screen.
    const cmd = `env -i ${env} '${process.execPath}' '${BIN}' show --watch; echo "quotabar exited $?"; sleep 60`
    tmux('new-session', '-d', '-s', 'qb', '-x', '120', '-y', '30', cmd)
    socketPath = tmux('display-message', '-p', '#{socket_path}').trim()
    // The first frame shows the pending accounts, the first fetch fills them in.
    await waitFor(() => /work\s+Claude\s+Max 5x\s+90%/.test(screen()), 'the first fetch on screen')
    let s = screen()
    expect(s).toContain('quotabar · 3 accounts')
    expect(s).toMatch(/ 1 {2}personal \* {2}Claude/)
    expect(s).toContain('r refresh · q quit')
    expect(server.count(USAGE)).toBe(3)

    f.reply('work', { body: fixture('usage-work-later.json'), delayMs: 300 })
    // r asks nothing inside Claude's 180 s floor: let that much time pass for all three.
    for (const id of ['personal', 'work', 'old']) backdateAttempt(f.h, `claude/${id}`, 180)
    tmux('send-keys', '-t', 'qb', 'r')
    await waitFor(() => screen().includes('refreshing…'), 'the refreshing note')
    await waitFor(() => /work\s+Claude\s+Max 5x\s+95%/.test(screen()), 'the refreshed numbers')
    expect(requestsFor(server, 'work')).toBe(2)
    expect(server.count(USAGE)).toBe(6)
    s = screen()
    expect(s).not.toContain('refreshing…')

    tmux('send-keys', '-t', 'qb', 'q')
    await waitFor(() => screen().includes('quotabar exited'), 'the process to exit')
    s = screen()
    expect(s).toContain('quotabar exited 0')
    // The alternate screen is gone: the normal screen has no table on it.
    expect(s).not.toContain('Account')
    expect(tmux('display-message', '-p', '-t', 'qb', '#{alternate_on}').trim()).toBe('0')
  })
})
