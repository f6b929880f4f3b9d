import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { refreshTrace, runCli, waitFor } from '../helpers/cli.js'
import { fakeHelpers, fakeProc, startFakeBar } from '../helpers/fake-bars.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import {
  backdateAttempt,
  claudeAccounts,
  later,
  spawnWatch,
  USAGE,
  usage,
  type Watch,
} from '../helpers/live.js'
import { type FakeServer, startServer } from '../helpers/server.js'

let server: FakeServer
let h: TempHome
const cleanup: (() => void)[] = []
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => {
  for (const f of cleanup.splice(0)) f()
  h?.cleanup()
})
const cached = (id: string) => join(h.cacheDir, 'accounts', `claude~${id}.json`)
const cacheHas = (id: string, text: string) =>
  existsSync(cached(id)) && readFileSync(cached(id), 'utf8').includes(text)

describe('clicks', () => {
  const two = (extra: Record<string, unknown> = {}) => {
    h = makeHome()
    return claudeAccounts(
      h,
      server,
      { work: { body: usage(37, 12) }, personal: { body: usage(81, 64) } },
      extra,
    )
  }
  const i3blocks = (env: Record<string, string>, button: string) =>
    runCli(['-f', 'i3blocks'], { ...env, BLOCK_NAME: 'quotabar', BLOCK_INSTANCE: '', BLOCK_BUTTON: button })

  it('i3blocks: BLOCK_BUTTON is applied before the render; "" (a timer run) changes nothing', async () => {
    const { env, set } = two()
    expect((await i3blocks(env, '')).stdout).toBe('work 37% · personal 81%\npersonal 81%\n#e07000\n')
    expect((await i3blocks(env, '1')).stdout).toBe('work 37% · personal 81%\nwork 37%\n#e07000\n')
    expect((await i3blocks(env, '')).stdout).toBe('work 37% · personal 81%\nwork 37%\n#e07000\n')
    // A pinned window is named in the text.
    expect((await i3blocks(env, '3')).stdout).toBe('work 5h 37% · personal 5h 81%\nwork 5h 37%\n#e07000\n')
    expect((await i3blocks(env, '3')).stdout).toBe('work 7d 12% · personal 7d 64%\nwork 7d 12%\n#3a9d23\n')
    // Scroll up: back to "the most constrained account".
    expect((await i3blocks(env, '4')).stdout).toBe(
      'work 7d 12% · personal 7d 64%\npersonal 7d 64%\n#3a9d23\n',
    )
    // Middle: a refresh before the line, even though the data is fresh (inside the interval, past
    // Claude's 180 s floor; inside the floor the click asks nothing: test/e2e/floor.e2e.test.ts).
    for (const id of ['work', 'personal']) backdateAttempt(h, `claude/${id}`, 180)
    set('work', { body: usage(5, 2) })
    const before = server.count(USAGE)
    const r = await i3blocks(env, '2')
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('work 7d 2% · personal 7d 64%\npersonal 7d 64%\n#3a9d23\n')
    expect(server.count(USAGE)).toBe(before + 2)
  })

  it('quotabar click: cycles, persists, refreshes, nudges; bad buttons are usage errors', async () => {
    const { env: base } = two({ nudge: { waybarSignal: 8 } })
    const waybar = await startFakeBar(join(h.home, 'bars'), 'waybar')
    cleanup.push(() => waybar.stop())
    // quotabar sees only the bar this test started: it signals nothing else, nothing else counts.
    const env = { ...base, QUOTABAR_PROC_DIR: fakeProc(join(h.home, 'proc'), [waybar]) }
    await runCli(['refresh'], env)
    // `quotabar refresh` wrote new data: it nudges too (before it exits, as a click does).
    await waybar.flush()
    expect(waybar.signals()).toEqual(['42'])
    // Each click's nudge is counted before the next click: the recorder is a shell trap, which runs
    // once for signals of one number that arrive within one of its waits (clicks are that fast).
    const click = async (b: string, extra: string[] = []) => {
      const r = await runCli(['click', b, ...extra], env)
      await waybar.flush()
      return r
    }
    expect((await click('right')).stdout).toBe('window: session\n')
    expect((await click('3')).stdout).toBe('window: weekly\n')
    expect((await click('down')).stdout).toBe('short text: claude/work\n')
    expect((await runCli(['-f', 'i3blocks', '--no-refresh'], env)).stdout).toBe(
      'work 7d 12% · personal 7d 64%\nwork 7d 12%\n#3a9d23\n',
    )
    await waybar.flush()
    expect(waybar.signals()).toEqual(['42', '42', '42', '42'])
    const before = server.count(USAGE)
    backdateAttempt(h, 'claude/work', 180) // past Claude's floor
    expect((await click('2', ['-a', 'work'])).stdout).toBe('refreshed 1 of 1 account(s)\n')
    expect(server.count(USAGE)).toBe(before + 1)
    await waybar.flush()
    expect(waybar.signals()).toHaveLength(5)
    const bad = await click('sideways')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('unknown button "sideways": use 1-5 or left, middle, right, up, down')
    expect((await click('1', ['-a', 'nobody'])).code).toBe(2)
  })
})

describe('nudges after a detached refresh', () => {
  it('the bars in config "nudge" are woken once new data is written, not on a cached render', async () => {
    h = makeHome()
    const fake = fakeHelpers(h.home)
    const waybar = await startFakeBar(join(h.home, 'w'), 'waybar')
    const i3b = await startFakeBar(join(h.home, 'i'), 'i3blocks')
    cleanup.push(waybar.stop, i3b.stop)
    const nudge = { waybarSignal: 8, i3blocksSignal: 9, tmux: true, polybarHook: '#quotabar-ipc.hook.0' }
    const { env } = claudeAccounts(h, server, { work: { body: usage(37, 12) } }, { nudge })
    const trace = refreshTrace(h.home, h.cacheDir)
    const withFakes = {
      ...env,
      ...trace.env,
      PATH: `${fake.bin}:${env.PATH}`,
      QUOTABAR_PROC_DIR: fakeProc(join(h.home, 'proc'), [waybar, i3b]),
    }
    expect((await runCli(['-f', 'waybar'], withFakes)).code).toBe(0) // first fetch: detached
    // The refresh has exited, so it sent all it would; the bars have written all they got.
    await trace.settled(1)
    await Promise.all([waybar.flush(), i3b.flush()])
    expect(waybar.signals()).toEqual(['42'])
    expect(i3b.signals()).toEqual(['43'])
    expect(fake.calls()).toEqual([
      'tmux list-clients -F #{client_name}',
      'tmux refresh-client -S -t /dev/pts/7',
      'tmux refresh-client -S -t /dev/pts/9',
      'polybar-msg action #quotabar-ipc.hook.0',
    ])
    // A render served from the cache starts no refresh (proof, not a sleep: see expectNoneSince),
    // so it wakes nothing.
    const asked = server.count(USAGE)
    expect((await runCli(['-f', 'waybar'], { ...withFakes, QUOTABAR_NOW: later(60) })).code).toBe(0)
    trace.expectNoneSince(1)
    expect(server.count(USAGE)).toBe(asked)
    await waybar.flush()
    expect(waybar.signals()).toEqual(['42'])
  })
})

describe('notifications', () => {
  /** A hook that appends each event (stdin) to a file, and a notify-send that logs its arguments. */
  function notifying(h: TempHome) {
    const bin = join(h.home, 'bin')
    mkdirSync(bin, { recursive: true })
    const events = join(h.home, 'events.jsonl')
    const sent = join(h.home, 'notify-send.log')
    writeFileSync(join(bin, 'notify-send'), `#!/bin/sh\nprintf '%s|' "$@" >> '${sent}'\necho >> '${sent}'\n`)
    chmodSync(join(bin, 'notify-send'), 0o755)
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : [])
    return {
      config: { notifications: { enabled: true, hook: `cat >> '${events}'` } },
      path: bin,
      events: () => read(events).map((l) => JSON.parse(l)),
      sent: () => read(sent),
    }
  }

  it('one event per crossing across one-shot refreshes: baseline, warning, pace, no repeat, critical, reset', async () => {
    h = makeHome()
    const n = notifying(h)
    const { env, set } = claudeAccounts(h, server, { work: { body: usage(50, 12) } }, n.config)
    const trace = refreshTrace(h.home, h.cacheDir)
    const base = { ...env, ...trace.env, PATH: `${n.path}:${env.PATH}` }
    let renders = 0
    const render = async (at: string, used: number, extra = {}) => {
      set('work', { body: { ...usage(used, 12), ...extra } })
      const r = await runCli(['-f', 'waybar'], { ...base, QUOTABAR_NOW: at })
      expect(r.code).toBe(0)
      // A positive marker, not a sleep: the render's detached refresh has exited, so whatever it
      // was going to announce has been delivered, and the count below is final.
      await trace.settled(++renders)
      const file = join(h.home, '.local/state/quotabar/notify/claude~work.json')
      expect(readFileSync(file, 'utf8')).toContain(`"usedPercent":${used}`)
    }
    await render(later(0), 50) // first sight: baseline only
    expect(n.events()).toEqual([])
    await render(later(301), 75)
    expect(n.events()).toHaveLength(2)
    await render(later(602), 80)
    expect(n.events()).toHaveLength(2)
    await render(later(903), 95)
    expect(n.events()).toHaveLength(3)
    // Past the session's reset (12:00): a new period at 3 %.
    const next = '2026-11-22T17:00:00+00:00'
    await render('2026-11-22T12:05:00.000Z', 3, { five_hour: { utilization: 3, resets_at: next } })
    // 50 → 75 in five minutes also puts the window on course to run out: one predictive event.
    expect(n.events().map((e) => [e.type, e.window, e.usedPercent, e.threshold])).toEqual([
      ['warning', 'session', 75, 70],
      ['pace', 'session', 75, null],
      ['critical', 'session', 95, 90],
      ['reset', 'session', 3, null],
    ])
    expect(n.events()[1].exhaustsAt).toBe('2026-11-22T10:29:55.000Z')
    expect(n.events()[0]).toMatchObject({
      account: 'claude/work',
      provider: 'claude',
      label: 'work',
      windowLabel: '5h',
    })
    expect(n.sent()).toEqual([
      '-a|quotabar|-u|normal|Claude work: 5h at 75%|above the warning threshold (70%) · resets in 1h 54m|',
      '-a|quotabar|-u|normal|Claude work: 5h limit runs out at 10:30 at this pace|75% used now · resets in 1h 54m|',
      '-a|quotabar|-u|critical|Claude work: 5h at 95%|above the critical threshold (90%) · resets in 1h 44m|',
      '-a|quotabar|-u|normal|Claude work: 5h window reset|now at 3% · resets in 4h 55m|',
    ])
  })

  it('watch announces what its own refresh found; a disabled config announces nothing', async () => {
    h = makeHome()
    const n = notifying(h)
    const { env, set } = claudeAccounts(h, server, { work: { body: usage(50, 12) } }, n.config)
    const w: Watch = spawnWatch(['-f', 'plain'], { ...env, PATH: `${n.path}:${env.PATH}`, DEBUG: 'quotabar' })
    cleanup.push(() => w.child.kill('SIGKILL'))
    // Under DEBUG=quotabar the watch says when a refresh of its own is over, notifications included.
    const settled = () => (w.stderr().match(/watch: refresh of \d+ account\(s\) settled/g) ?? []).length
    await w.waitLines(1)
    set('work', { body: usage(92, 12) })
    backdateAttempt(h, 'claude/work', 180) // SIGUSR1 never asks inside Claude's floor
    let before = settled()
    w.child.kill('SIGUSR1')
    await waitFor(() => settled() > before, 'the SIGUSR1 refresh settled')
    expect(n.events()).toHaveLength(1)
    expect(n.events()[0]).toMatchObject({ type: 'critical', usedPercent: 92 })
    await waitFor(() => w.lines.includes('work 92% 2h'), 'the line')

    // Notifications off (the hook still set), and a new label: the line that shows it proves the
    // watch reloaded the config.
    const config = JSON.parse(readFileSync(h.configFile, 'utf8'))
    config.accounts[0].label = 'job'
    h.writeConfig({ ...config, notifications: { ...config.notifications, enabled: false } })
    await waitFor(() => w.lines.at(-1) === 'job 92% 2h', `the reloaded config in ${w.lines}`)
    set('work', { body: usage(100, 12) })
    backdateAttempt(h, 'claude/work', 180)
    before = settled()
    w.child.kill('SIGUSR1')
    await waitFor(() => settled() > before, 'the second SIGUSR1 refresh settled')
    expect(cacheHas('work', '"usedPercent":100')).toBe(true)
    expect(n.events()).toHaveLength(1)
  })
})
