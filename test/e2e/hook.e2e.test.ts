import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CacheEntry } from '../../src/model.js'
import { BIN, type RunResult, refreshesSettled, refreshTrace, runCli, waybarText } from '../helpers/cli.js'
import { makeHome, readJson, type TempHome } from '../helpers/home.js'
import { type FakeServer, startServer } from '../helpers/server.js'

const USAGE = '/api/oauth/usage'
const NOW = '2026-11-22T10:00:00.000Z'
const later = (s: number) => new Date(Date.parse(NOW) + s * 1000).toISOString()
const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'claude-statusline', name), 'utf8')
const SAMPLE = fixture('statusline-rate-limits.json')

/** Runs the built binary as Claude Code runs a status-line command: JSON on stdin, then EOF. */
function runHook(
  env: Record<string, string>,
  input: string,
  args: string[] = [],
  nodeArgs: string[] = [],
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, 'hook', 'claude-statusline', ...args], { env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ stdout, stderr, code }))
    child.stdin.end(input)
  })
}

let server: FakeServer
let h: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => h?.cleanup())

/** Two Claude logins in their own config dirs; the usage endpoint is the counting local server. */
function setup() {
  h = makeHome()
  const dirs = { work: join(h.home, '.claude-work'), personal: join(h.home, '.claude-personal') }
  h.claudeLogin(dirs.work, { uuid: 'uuid-work', email: 'dev@work.example' })
  h.claudeLogin(dirs.personal, {
    uuid: 'uuid-personal',
    subscriptionType: 'pro',
    rateLimitTier: 'default_claude_ai',
  })
  h.writeConfig({
    accounts: [
      { provider: 'claude', id: 'work', configDir: dirs.work, baseUrl: server.url },
      { provider: 'claude', id: 'personal', configDir: dirs.personal, baseUrl: server.url },
    ],
  })
  server.requests.length = 0
  server.on(USAGE, {
    body: {
      five_hour: { utilization: 10, resets_at: '2026-11-22T11:00:00+00:00' },
      seven_day: { utilization: 20, resets_at: '2026-11-26T08:00:00+00:00' },
      seven_day_sonnet: { utilization: 5, resets_at: '2026-11-26T08:00:00+00:00' },
      extra_usage: {
        is_enabled: true,
        monthly_limit: 4000,
        used_credits: 763,
        currency: 'EUR',
        decimal_places: 2,
      },
    },
  })
  const env = { ...h.env, QUOTABAR_NOW: NOW, NO_COLOR: '1' }
  return { env, dirs, work: { ...env, CLAUDE_CONFIG_DIR: dirs.work } }
}

const entryOf = (id: string): CacheEntry => {
  const value = readJson(join(h.cacheDir, 'accounts', `claude~${id}.json`))
  if (typeof value !== 'object' || value === null || !('snapshot' in value)) throw new Error('not an entry')
  return value as CacheEntry
}

describe('quotabar hook claude-statusline', () => {
  it('stores Claude Code’s rate limits as a fresh snapshot; the next render makes no request', async () => {
    const { env, work } = setup()
    const r = await runHook(work, SAMPLE)
    expect(r).toEqual({ stdout: 'Opus 4.1 · 5h 42% (2h 14m) · 7d 91% (3d 22h)\n', stderr: '', code: 0 })
    const e = entryOf('work')
    expect(e.snapshot).toEqual({
      fetchedAt: NOW,
      plan: 'Max 5x',
      email: 'dev@work.example',
      windows: [
        {
          id: 'session',
          label: '5h',
          usedPercent: 42.4,
          resetsAt: '2026-11-22T12:14:00.000Z',
          windowSeconds: 18000,
        },
        {
          id: 'weekly',
          label: '7d',
          usedPercent: 91,
          resetsAt: '2026-11-26T08:00:00.000Z',
          windowSeconds: 604800,
        },
      ],
      spend: [],
    })
    expect(e).toMatchObject({ lastAttemptAt: NOW, error: null, fingerprint: 'uuid-work', cooldown: false })
    expect(existsSync(join(h.cacheDir, 'accounts', 'claude~personal.json'))).toBe(false)
    // The bar finds work fresh: no request.
    const bar = await runCli(['-a', 'work', '-f', 'waybar'], { ...env, QUOTABAR_NOW: later(120) })
    const o = JSON.parse(bar.stdout)
    expect([waybarText(o.text), o.class]).toEqual(['work 91% 3d 21h', ['critical', 'claude']])
    // A render that starts a refresh holds its lock as it exits: none held means none started.
    await refreshesSettled(h.cacheDir)
    expect(server.count(USAGE)).toBe(0)
    const json = await runCli(['-f', 'json', '--no-refresh', '-a', 'work'], {
      ...env,
      QUOTABAR_NOW: later(120),
    })
    expect(JSON.parse(json.stdout).accounts[0]).toMatchObject({ status: 'ok', ageSeconds: 120 })
  })

  it('starts no detached refresh: not the hook, not a render of the fresh account; a due one starts one', async () => {
    const { env, work } = setup()
    const trace = refreshTrace(h.home, h.cacheDir)
    expect((await runHook({ ...work, ...trace.env }, SAMPLE)).code).toBe(0)
    trace.expectNoneSince(0)
    const bar = (at: number, args: string[] = []) =>
      runCli([...args, '-f', 'waybar'], { ...env, ...trace.env, QUOTABAR_NOW: later(at) })
    expect((await bar(120, ['-a', 'work'])).code).toBe(0)
    trace.expectNoneSince(0)
    // The check can fail: personal has no data yet, so this render hands it to one refresh.
    expect((await bar(130)).code).toBe(0)
    await trace.settled(1)
    expect(server.count(USAGE)).toBe(1)
    // Now both are fresh: a render of both starts nothing either.
    expect((await bar(140)).code).toBe(0)
    trace.expectNoneSince(1)
  })

  it('keeps plan, email, spend and per-model windows from the last API snapshot; hook windows win', async () => {
    const { env, work } = setup()
    expect((await runCli(['refresh', 'work'], env)).code).toBe(0)
    expect(server.count(USAGE)).toBe(1)
    await runHook({ ...work, QUOTABAR_NOW: later(60) }, SAMPLE)
    const e = entryOf('work')
    expect(e.snapshot?.fetchedAt).toBe(later(60))
    expect(e.snapshot?.windows.map((w) => [w.id, w.usedPercent])).toEqual([
      ['session', 42.4],
      ['weekly', 91],
      ['weekly:sonnet', 5],
    ])
    expect(e.snapshot?.spend).toEqual([
      { id: 'extra', label: 'Extra usage', used: 7.63, limit: 40, currency: 'EUR', period: 'month' },
    ])
    expect(e.snapshot?.plan).toBe('Max 5x')
    // Well inside the interval after the hook, though 5 minutes after the API fetch: no request.
    await runCli(['-a', 'work'], { ...env, QUOTABAR_NOW: later(330) })
    // A render that starts a refresh holds its lock as it exits: none held means none started.
    await refreshesSettled(h.cacheDir)
    expect(server.count(USAGE)).toBe(1)
  })

  it('writes only the account whose configDir is CLAUDE_CONFIG_DIR', async () => {
    const { env, dirs } = setup()
    await runCli(['refresh'], env)
    const before = readFileSync(join(h.cacheDir, 'accounts', 'claude~work.json'), 'utf8')
    // A trailing slash still names the same directory.
    await runHook({ ...env, CLAUDE_CONFIG_DIR: `${dirs.personal}/`, QUOTABAR_NOW: later(10) }, SAMPLE)
    expect(readFileSync(join(h.cacheDir, 'accounts', 'claude~work.json'), 'utf8')).toBe(before)
    expect(entryOf('personal').snapshot).toMatchObject({ fetchedAt: later(10), plan: 'Pro' })
    expect(entryOf('personal').snapshot?.windows[0]?.usedPercent).toBe(42.4)
  })

  it('a 429 cooldown keeps holding our own requests; the status reads ok with the new numbers', async () => {
    const { env, work } = setup()
    server.on(USAGE, { status: 429, headers: { 'retry-after': '600' }, body: {} })
    await runCli(['refresh', 'work'], env)
    const cooling = entryOf('work')
    expect(cooling).toMatchObject({ cooldown: true, rateLimitStrikes: 1 })
    await runHook({ ...work, QUOTABAR_NOW: later(30) }, SAMPLE)
    const e = entryOf('work')
    expect(e).toMatchObject({ error: null, cooldown: false, retryAt: cooling.retryAt, rateLimitStrikes: 1 })
    const plain = await runCli(['-a', 'work'], { ...env, QUOTABAR_NOW: later(400) })
    expect(plain.stdout).toBe('work 91% 3d 21h\n')
    // A render that starts a refresh holds its lock as it exits: none held means none started.
    await refreshesSettled(h.cacheDir)
    expect(server.count(USAGE)).toBe(1)
  })

  it('another login in the same dir drops the old login’s plan, email and spend', async () => {
    const { env, dirs, work } = setup()
    await runCli(['refresh', 'work'], env)
    h.claudeLogin(dirs.work, { uuid: 'uuid-other', email: 'other@example.com', subscriptionType: 'pro' })
    await runHook({ ...work, QUOTABAR_NOW: later(20) }, SAMPLE)
    const e = entryOf('work')
    expect(e.fingerprint).toBe('uuid-other')
    expect(e.snapshot).toMatchObject({ plan: 'Pro', email: 'other@example.com', spend: [] })
    expect(e.snapshot?.windows.map((w) => w.id)).toEqual(['session', 'weekly'])
  })

  it('drifted shapes: ISO resets_at, numeric strings, a null percentage left out', async () => {
    const { work } = setup()
    const r = await runHook(work, fixture('statusline-drift.json'))
    expect(r.stdout).toBe('claude-sonnet-4-5 · 5h 13% (2h 14m)\n')
    expect(entryOf('work').snapshot?.windows).toEqual([
      {
        id: 'session',
        label: '5h',
        usedPercent: 12.5,
        resetsAt: '2026-11-22T12:14:00.000Z',
        windowSeconds: 18000,
      },
    ])
  })

  it('no rate_limits on stdin (API-key login): nothing written, the cached numbers still show', async () => {
    const { env, work } = setup()
    const input = fixture('statusline-no-rate-limits.json')
    expect((await runHook(work, input)).stdout).toBe('Sonnet 4.5\n')
    expect(existsSync(join(h.cacheDir, 'accounts', 'claude~work.json'))).toBe(false)
    await runCli(['refresh', 'work'], env)
    const before = readFileSync(join(h.cacheDir, 'accounts', 'claude~work.json'), 'utf8')
    expect((await runHook(work, input)).stdout).toBe('Sonnet 4.5 · 5h 10% (1h) · 7d 20% (3d 22h)\n')
    expect(readFileSync(join(h.cacheDir, 'accounts', 'claude~work.json'), 'utf8')).toBe(before)
  })

  it('colours follow the thresholds unless NO_COLOR or --no-color', async () => {
    const { work } = setup()
    const { NO_COLOR: _, ...coloured } = work
    const r = await runHook(coloured, SAMPLE)
    expect(r.stdout).toBe('Opus 4.1 · 5h \x1b[32m42%\x1b[0m (2h 14m) · 7d \x1b[31m91%\x1b[0m (3d 22h)\n')
    expect((await runHook(coloured, SAMPLE, ['--no-color'])).stdout).not.toContain('\x1b')
  })

  it('never fails Claude Code: bad input or a broken config still prints one short line, exit 0', async () => {
    const { work } = setup()
    const inputs = [
      '',
      '{not json',
      '[]',
      'null',
      '{"model": 42, "rate_limits": "full"}',
      '\u0000\u00ff'.repeat(50),
    ]
    for (const input of inputs) {
      const r = await runHook(work, input)
      expect(r.code).toBe(0)
      expect(r.stdout).toBe('quotabar: no usage data yet\n')
    }
    expect(existsSync(join(h.cacheDir, 'accounts', 'claude~work.json'))).toBe(false)
    // Escape sequences in a model name cannot reach the terminal.
    const evil = await runHook(work, JSON.stringify({ model: { display_name: 'Op\x1b[2Jus\nx' } }))
    expect(evil.stdout).toBe('Op [2Jus x\n')
    h.writeConfig('{"accounts": [')
    const broken = await runHook(work, SAMPLE)
    expect(broken).toMatchObject({ code: 0, stdout: 'Opus 4.1 · 5h 42% (2h 14m) · 7d 91% (3d 22h)\n' })
  })

  it('stdin in pieces, from a file, or a pipe nobody closes: the same line, exit 0', async () => {
    const { work } = setup()
    const line = 'Opus 4.1 · 5h 42% (2h 14m) · 7d 91% (3d 22h)\n'
    const spawned = (stdin: 'pipe' | number, feed: (c: ChildProcess) => void) =>
      new Promise<{ stdout: string; code: number | null }>((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, 'hook', 'claude-statusline'], {
          env: work,
          stdio: [stdin, 'pipe', 'pipe'],
        })
        let stdout = ''
        child.stdout?.on('data', (d) => {
          stdout += d
        })
        child.on('error', reject)
        child.on('close', (code) => resolve({ stdout, code }))
        feed(child)
      })
    const half = SAMPLE.length >> 1
    // The second half comes after the hook found the pipe empty and waits for more.
    const pieces = await spawned('pipe', (c) => {
      c.stdin?.write(SAMPLE.slice(0, half))
      setTimeout(() => c.stdin?.end(SAMPLE.slice(half)), 150)
    })
    expect(pieces).toEqual({ stdout: line, code: 0 })
    const file = join(h.home, 'input.json')
    writeFileSync(file, SAMPLE)
    const fd = openSync(file, 'r')
    try {
      expect(await spawned(fd, () => {})).toEqual({ stdout: line, code: 0 })
    } finally {
      closeSync(fd)
    }
    // Claude Code stuck after writing: what came within the 2 s is used, and the process ends.
    let open: ChildProcess | undefined
    const stuck = await spawned('pipe', (c) => {
      open = c
      c.stdin?.write(SAMPLE)
    })
    open?.stdin?.destroy()
    expect(stuck).toEqual({ stdout: line, code: 0 })
    // A shell pipe (a FIFO, read with plain polled reads on Linux), its second half late.
    const sh = spawnSync(
      'sh',
      ['-c', `(head -c ${half}; sleep 0.2; cat) | "$0" "$1" hook claude-statusline`, process.execPath, BIN],
      {
        env: work,
        input: SAMPLE,
      },
    )
    expect({ stdout: sh.stdout.toString(), code: sh.status }).toEqual({ stdout: line, code: 0 })
  }, 15_000)

  it('numbers the cache already has, or older ones, are not written; a later window is', async () => {
    const { env, work } = setup()
    await runHook(work, SAMPLE)
    await runHook({ ...work, QUOTABAR_NOW: later(40) }, SAMPLE)
    // Claude Code redraws up to every 300 ms: the same numbers again are no news.
    expect(entryOf('work').lastAttemptAt).toBe(NOW)
    // quotabar's own fetch saw more use in the same windows than Claude Code's last answer.
    server.on(USAGE, {
      body: {
        five_hour: { utilization: 50, resets_at: '2026-11-22T12:14:00.000900+00:00' },
        seven_day: { utilization: 95, resets_at: '2026-11-26T08:00:00.000900+00:00' },
      },
    })
    expect((await runCli(['refresh', '--force', 'work'], { ...env, QUOTABAR_NOW: later(60) })).code).toBe(0)
    const stale = await runHook({ ...work, QUOTABAR_NOW: later(70) }, SAMPLE)
    expect(stale.stdout).toBe('Opus 4.1 · 5h 50% (2h 12m) · 7d 95% (3d 21h)\n')
    expect(entryOf('work')).toMatchObject({ lastAttemptAt: later(60) })
    // After the 5-hour reset a new window starts: lower, but newer.
    const next = JSON.parse(SAMPLE)
    next.rate_limits.five_hour = { used_percentage: 3, resets_at: Date.parse('2026-11-22T17:14:00Z') / 1000 }
    const fresh = await runHook({ ...work, QUOTABAR_NOW: later(8100) }, JSON.stringify(next))
    expect(fresh.stdout).toBe('Opus 4.1 · 5h 3% (4h 59m) · 7d 95% (3d 19h)\n')
    expect(entryOf('work').snapshot?.windows.map((w) => [w.id, w.usedPercent])).toEqual([
      ['session', 3],
      ['weekly', 95],
    ])
    expect(entryOf('work').lastAttemptAt).toBe(later(8100))
  })

  it('new numbers from Claude Code raise threshold notifications, as a fetch would', async () => {
    const { dirs, work } = setup()
    const events = join(h.home, 'events.jsonl')
    h.writeConfig({
      accounts: [{ provider: 'claude', id: 'work', configDir: dirs.work, baseUrl: server.url }],
      notifications: { enabled: true, notifySend: false, hook: ['sh', '-c', `cat >> '${events}'`] },
    })
    await runHook(work, SAMPLE)
    expect(existsSync(events)).toBe(false)
    const hot = JSON.parse(SAMPLE)
    hot.rate_limits.five_hour.used_percentage = 95
    await runHook({ ...work, QUOTABAR_NOW: later(60) }, JSON.stringify(hot))
    expect(
      readFileSync(events, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      expect.objectContaining({
        type: 'critical',
        account: 'claude/work',
        window: 'session',
        usedPercent: 95,
      }),
      // 50 → 95 % in a minute, and 91 % of the week with days to go: both on course to run out.
      expect.objectContaining({ type: 'pace', window: 'session', exhaustsAt: '2026-11-22T10:03:32.000Z' }),
      expect.objectContaining({ type: 'pace', window: 'weekly', usedPercent: 91 }),
    ])
    expect(server.count(USAGE)).toBe(0)
  })

  it('a socket stdin shared with the shell is left blocking, as it came (Linux)', async () => {
    const { work } = setup()
    // sh, the hook and the greps after it share one socket (how a Node parent pipes stdin).
    const flags = 'grep flags /proc/self/fdinfo/0'
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        'sh',
        ['-c', `${flags}; "$0" "$1" hook claude-statusline; ${flags}`, process.execPath, BIN],
        { env: work, stdio: ['pipe', 'pipe', 'inherit'] },
      )
      let stdout = ''
      child.stdout.on('data', (d) => {
        stdout += d
      })
      child.on('error', reject)
      child.on('close', () => resolve(stdout))
      child.stdin.end(SAMPLE)
    })
    const [before, line, after] = out.split('\n')
    expect(line).toBe('Opus 4.1 · 5h 42% (2h 14m) · 7d 91% (3d 22h)')
    expect(before).toMatch(/^flags:\s+\d+$/)
    expect(after).toBe(before)
  })

  // Each of these costs a redraw milliseconds to load (measured A/B: bench/hook.mjs).
  it('loads no node:crypto, node:net or stream machinery, with a config file or without; no zod once the config is vouched for or the logins were seen', async () => {
    const { dirs, work } = setup()
    const preload = join(h.home, 'loaded.cjs')
    const out = join(h.home, 'loaded.json')
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ modules: process.moduleLoadList, zod: '__zod_globalRegistry' in globalThis })))`,
    )
    const loaded = async (env: Record<string, string>, input: string) => {
      const r = await runHook(env, input, [], ['-r', preload])
      expect(r.code).toBe(0)
      const { modules, zod } = JSON.parse(readFileSync(out, 'utf8')) as { modules: string[]; zod: boolean }
      return { unwanted: modules.filter((m) => /^NativeModule (crypto|net|stream|tty)$/.test(m)), zod }
    }
    h.writeConfig({
      accounts: [{ provider: 'claude', id: 'work', configDir: dirs.work, baseUrl: server.url }],
      notifications: { enabled: true, notifySend: false },
    })
    // News for a configured account: its login hashed, the cache, the history and the
    // notification baselines written. The first run validates the new config (zod), the next not.
    expect((await loaded(work, SAMPLE)).unwanted).toEqual([])
    const hot = JSON.parse(SAMPLE)
    hot.rate_limits.five_hour.used_percentage = 95
    expect(await loaded({ ...work, QUOTABAR_NOW: later(60) }, JSON.stringify(hot))).toEqual({
      unwanted: [],
      zod: false,
    })
    expect(entryOf('work').snapshot?.windows.find((w) => w.id === 'session')?.usedPercent).toBe(95)
    expect(existsSync(join(h.home, '.local/state/quotabar/notify/claude~work.json'))).toBe(true)
    // No config file: the default ~/.claude login (and the others), found by discovery; the next
    // run finds the same logins and takes the schema's verdicts on them from memory: no zod.
    rmSync(h.configFile)
    h.claudeLogin(join(h.home, '.claude'), { uuid: 'uuid-default' })
    const { CLAUDE_CONFIG_DIR: _, ...plain } = work
    expect((await loaded(plain, SAMPLE)).unwanted).toEqual([])
    expect(entryOf('default').snapshot?.windows.length).toBeGreaterThan(0)
    const discovered = readFileSync(join(h.cacheDir, 'discovered.json'), 'utf8')
    expect(JSON.parse(discovered).map((a: { id: string }) => a.id)).toEqual(['default', 'personal', 'work'])
    hot.rate_limits.five_hour.used_percentage = 97
    const memo = join(h.cacheDir, 'discovery-checked.json')
    const remembered = readFileSync(memo, 'utf8')
    expect(await loaded({ ...plain, QUOTABAR_NOW: later(120) }, JSON.stringify(hot))).toEqual({
      unwanted: [],
      zod: false,
    })
    expect(readFileSync(memo, 'utf8')).toBe(remembered)
    expect(entryOf('default').snapshot?.windows.find((w) => w.id === 'session')?.usedPercent).toBe(97)
    expect(readFileSync(join(h.cacheDir, 'discovered.json'), 'utf8')).toBe(discovered)
  })
})
