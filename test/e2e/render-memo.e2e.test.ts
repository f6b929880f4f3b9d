import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { emptyEntry, writeEntry } from '../../src/cache/store.js'
import type { Memo } from '../../src/cli/render-memo.js'
import { fileStamp } from '../../src/config/checked.js'
import type { UsageSnapshot } from '../../src/model.js'
import { BIN, runCli } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'

// A render leaves its line as a memo (src/cli/render-memo.ts) that the next identical call prints
// without rendering, while everything the line depends on holds: the files it read, the variables
// it read, and the span of time until the line would change or an account falls due.
let h: TempHome | undefined
afterEach(() => {
  h?.cleanup()
  h = undefined
})

const NOW_MS = Date.parse('2026-11-22T10:00:00.000Z')
const iso = (ms: number) => new Date(ms).toISOString()
const NOW = iso(NOW_MS)
const RENDER = ['-f', 'waybar']

/** One Claude login and one Copilot key account, both fetched a minute ago. */
function home(opts: { resetInMs?: number; copilotAgoMs?: number; refreshSeconds?: number } = {}) {
  const t = makeHome()
  const claudeDir = join(t.home, '.claude-work')
  t.claudeLogin(claudeDir)
  t.writeConfig({
    accounts: [
      // A refresh these renders start must not leave the machine: a closed local port.
      { provider: 'claude', id: 'work', configDir: claudeDir, baseUrl: 'http://127.0.0.1:9' },
      {
        provider: 'copilot',
        id: 'alice',
        apiKeyEnv: 'TEST_GH_TOKEN',
        baseUrl: 'http://127.0.0.1:9',
        refreshSeconds: opts.refreshSeconds ?? 3600,
      },
    ],
  })
  const at = iso(NOW_MS - 60_000)
  const snapshot = (percent: number): UsageSnapshot => ({
    fetchedAt: at,
    plan: 'Pro',
    email: null,
    windows: [
      {
        id: 'five_hour',
        label: '5h',
        usedPercent: percent,
        resetsAt: iso(NOW_MS + (opts.resetInMs ?? 2 * 3600_000 + 20_000)),
        windowSeconds: 18000,
      },
    ],
    spend: [],
  })
  const copilotAt = iso(NOW_MS - (opts.copilotAgoMs ?? 60_000))
  const write = (percent: number) => {
    writeEntry(t.cacheDir, {
      ...emptyEntry('copilot/alice'),
      credentialStamp: '',
      snapshot: { ...snapshot(33), fetchedAt: copilotAt },
      lastAttemptAt: copilotAt,
    })
    writeEntry(t.cacheDir, {
      ...emptyEntry('claude/work'),
      // The login as it is: an entry made from another login would be due at once.
      credentialStamp: fileStamp(join(claudeDir, '.credentials.json')) ?? '-',
      snapshot: snapshot(percent),
      lastAttemptAt: at,
    })
  }
  write(40)
  return { t, claudeDir, write }
}

const memoDir = (t: TempHome) => join(t.cacheDir, 'render')
const memos = (t: TempHome): Memo[] =>
  readdirSync(memoDir(t)).map((f) => JSON.parse(readFileSync(join(memoDir(t), f), 'utf8')))
/** Every memo now says MEMO: a render that prints MEMO printed a memo. */
function mark(t: TempHome): void {
  for (const f of readdirSync(memoDir(t))) {
    const path = join(memoDir(t), f)
    const memo = JSON.parse(readFileSync(path, 'utf8')) as Memo
    writeFileSync(path, JSON.stringify({ ...memo, out: 'MEMO' }))
  }
}
const render = (t: TempHome, extra: Record<string, string> = {}, args = RENDER) =>
  runCli(args, { ...t.env, QUOTABAR_NOW: NOW, ...extra })
/** A first render validates the config (through full.cjs): that run leaves no memo. */
async function ready(t: TempHome, extra: Record<string, string> = {}): Promise<void> {
  await render(t, extra)
  expect(readdirSync(t.cacheDir)).not.toContain('render')
}
/** The same call rendered for real: DEBUG=quotabar renders and leaves no memo. */
const full = (t: TempHome, extra: Record<string, string> = {}, args = RENDER) =>
  render(t, { DEBUG: 'quotabar', ...extra }, args)

describe('the render memo', () => {
  it('the next identical call prints the line a full render prints, from the memo', async () => {
    const { t } = home()
    h = t
    await ready(t)
    const first = await render(t)
    expect(first.code).toBe(0)
    expect(JSON.parse(first.stdout).text).toContain('work 40%')
    expect(memos(t)).toHaveLength(1)
    const second = await render(t)
    expect([second.stdout, second.code]).toEqual([first.stdout, first.code])
    expect((await full(t)).stdout).toBe(first.stdout)
    mark(t)
    expect((await render(t)).stdout).toBe('MEMO\n')
    // A variable the render never reads does not matter.
    expect((await render(t, { SOMETHING_ELSE: '1' })).stdout).toBe('MEMO\n')
  })

  it('holds no secret: variables are kept as hashes, and the key variable is not even read', async () => {
    const { t } = home()
    h = t
    await ready(t)
    await render(t, { TEST_GH_TOKEN: 'ghp_secretsecretsecret' })
    const text = readFileSync(join(memoDir(t), readdirSync(memoDir(t))[0] as string), 'utf8')
    expect(text).not.toContain('ghp_secret')
    expect(memos(t)[0]?.env.map(([name]) => name)).not.toContain('TEST_GH_TOKEN')
  })

  it('ends when anything the line depends on changes, and the new line is the full render', async () => {
    const { t, claudeDir, write } = home()
    h = t
    await ready(t)
    const changes: [string, () => void, Record<string, string>][] = [
      ['a cache entry rewritten', () => write(55), {}],
      [
        'the login file touched',
        () => utimesSync(join(claudeDir, '.credentials.json'), new Date(NOW_MS), new Date(NOW_MS)),
        {},
      ],
      ['the config edited', () => writeFileSync(t.configFile, `${readFileSync(t.configFile, 'utf8')}\n`), {}],
      [
        'the bar picked another window (state file)',
        () => {
          mkdirSync(join(t.home, '.local/state/quotabar'), { recursive: true })
          writeFileSync(join(t.home, '.local/state/quotabar/view.json'), '{"window":"5h"}')
        },
        {},
      ],
      ['another clock', () => {}, { QUOTABAR_NOW: iso(NOW_MS + 5_000) }],
      ['a variable it read', () => {}, { CLAUDE_CONFIG_DIR: join(t.home, 'elsewhere') }],
      // Clock times ("runs out ≈14:05") are local: V8 reads TZ itself, the record notes it anyway.
      ['another time zone', () => {}, { TZ: 'Asia/Tokyo' }],
    ]
    for (const [name, change, extra] of changes) {
      await render(t)
      mark(t)
      expect((await render(t)).stdout, name).toBe('MEMO\n')
      change()
      const after = await render(t, extra)
      expect(after.stdout, name).not.toBe('MEMO\n')
      expect(after.stdout, name).toBe((await full(t, extra)).stdout)
    }
    // Each call has its own: the same home rendered for tmux is not the waybar line.
    const tmux = await render(t, {}, ['-f', 'tmux'])
    expect(tmux.stdout).not.toBe('MEMO\n')
    expect(tmux.stdout).toBe((await full(t, {}, ['-f', 'tmux'])).stdout)
  })

  it('holds until the instant its line would change (a countdown ticks over)', async () => {
    // The reset is 2 h 20 s away: "resets in 2h" becomes "resets in 1h 59m" about 20 s from now.
    const { t } = home({ resetInMs: 2 * 3600_000 + 20_000 })
    h = t
    await ready(t)
    const line = (await render(t)).stdout
    const [memo] = memos(t)
    if (!memo) throw new Error('no memo written')
    expect(memo.from).toBe(NOW_MS)
    expect(memo.until).toBeGreaterThan(NOW_MS + 19_000)
    expect(memo.until).toBeLessThan(NOW_MS + 21_000)
    expect((await full(t, { QUOTABAR_NOW: iso(memo.until) })).stdout).toBe(line)
    const later = (await full(t, { QUOTABAR_NOW: iso(memo.until + 1_000) })).stdout
    expect(later).not.toBe(line)
  })

  it('holds no longer than until an account falls due, so the render then starts its refresh', async () => {
    // Copilot was fetched 570 s ago and refreshes every 580 s: due 10 s from now. Nothing shown
    // changes then (the countdown ticks at 20 s, the ages at 30 s and 60 s).
    const { t } = home({ copilotAgoMs: 570_000, refreshSeconds: 580 })
    h = t
    await ready(t, { TEST_GH_TOKEN: 'ghp_test' })
    await render(t, { TEST_GH_TOKEN: 'ghp_test' })
    const [memo] = memos(t)
    if (!memo) throw new Error('no memo written')
    expect(memo.until).toBeLessThan(NOW_MS + 10_000)
    expect(memo.until).toBeGreaterThanOrEqual(NOW_MS + 10_000 - 1_000)
  })

  it('a bar started in a directory since removed still gets its line (no memo: no directory to key by)', async () => {
    const { t } = home()
    h = t
    await ready(t)
    const gone = join(t.home, 'gone')
    mkdirSync(gone)
    const env = { ...t.env, QUOTABAR_NOW: NOW, GONE: gone, BIN }
    const r = spawnSync(
      'sh',
      ['-c', 'cd "$GONE" && rmdir "$GONE" && exec "$0" "$BIN" -f waybar', process.execPath],
      {
        env,
        encoding: 'utf8',
      },
    )
    expect(r.stderr).toBe('')
    expect([r.stdout, r.status]).toEqual([(await full(t)).stdout, 0])
  })

  it('is not left by a render that starts a refresh, warns, or shows the demo', async () => {
    const { t } = home({ copilotAgoMs: 3 * 3600_000, refreshSeconds: 600 })
    h = t
    await full(t)
    // Copilot is due now: this render starts a refresh (its key is unset: it fails at once).
    expect((await render(t)).code).toBe(0)
    expect(readdirSync(t.cacheDir)).not.toContain('render')
    expect((await render(t, {}, ['-f', 'waybar', '-a', 'work', '-a', 'nobody'])).stderr).toContain(
      'no account matches "nobody"',
    )
    expect((await render(t, {}, ['-f', 'waybar', '--demo'])).code).toBe(0)
    expect(readdirSync(t.cacheDir)).not.toContain('render')
  })
})
