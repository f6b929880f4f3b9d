import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CacheEntry, UsageSnapshot } from '../../src/model.js'
import { runCli, tooltipText } from '../helpers/cli.js'
import { type Fleet, later, makeFleet, requestsFor } from '../helpers/fleet.js'
import { type FakeServer, startServer } from '../helpers/server.js'

/** Never stuck, never a hang: inputs that once blocked a refresh or left an account pending. */

let server: FakeServer
let f: Fleet | undefined
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => f?.h.cleanup())

describe('a credentials path that is not a regular file', () => {
  it.each([
    ['a FIFO', (p: string) => execFileSync('mkfifo', [p]), 'a FIFO, not a regular file'],
    ['a directory', (p: string) => mkdirSync(p), 'a directory, not a regular file'],
    [
      'a device (through a symlink)',
      (p: string) => symlinkSync('/dev/zero', p),
      'a device, not a regular file',
    ],
  ])('%s is refused with a clear error and never blocks', async (_n, plant, why) => {
    f = makeFleet(server, ['work'])
    const file = join(f.dirs.work, '.credentials.json')
    rmSync(file)
    plant(file)
    const r = await runCli(['refresh', 'work'], f.env, 8000)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`cannot read ${file} (${why})`)
    expect(requestsFor(server, 'work')).toBe(0)
    const bar = await runCli(['-f', 'waybar', '--no-refresh'], f.env, 8000)
    expect(bar.code).toBe(0)
    expect(JSON.parse(bar.stdout).class).toContain('error')
  })
})

/** A cache entry as the refresh wrote it (with a snapshot), for a test to spoil. */
type Cached = CacheEntry & { snapshot: UsageSnapshot }

describe('one malformed cache entry', () => {
  const entry = (f: Fleet, name: string) => join(f.h.cacheDir, 'accounts', `claude~${name}.json`)
  it.each([
    [
      'null inside windows',
      (e: Cached) => ({ ...e, snapshot: { ...e.snapshot, windows: [null, ...e.snapshot.windows] } }),
    ],
    [
      'a window with a string percent',
      (e: Cached) => ({
        ...e,
        snapshot: { ...e.snapshot, windows: [{ ...e.snapshot.windows[0], usedPercent: 'x' }] },
      }),
    ],
    ['null inside spend', (e: Cached) => ({ ...e, snapshot: { ...e.snapshot, spend: [null] } })],
    ['balances not a list', (e: Cached) => ({ ...e, snapshot: { ...e.snapshot, balances: 7 } })],
    ['an error of the wrong shape', (e: Cached) => ({ ...e, error: 'boom', lastAttemptAt: 12 })],
    ['null inside burn', (e: Cached) => ({ ...e, burn: [null] })],
  ])('%s degrades only its own account; plain and json exit 0', async (_n, spoil) => {
    f = makeFleet(server, ['personal', 'work'])
    await runCli(['refresh'], f.env)
    const file = entry(f, 'work')
    writeFileSync(file, JSON.stringify(spoil(JSON.parse(readFileSync(file, 'utf8')))))
    const env = { ...f.env, QUOTABAR_NOW: later(10) }
    for (const format of ['plain', 'json', 'waybar', 'tmux']) {
      const r = await runCli(['-f', format, '--no-refresh'], env)
      expect(r.code, `${format}: ${r.stderr}`).toBe(0)
      expect(r.stdout, format).toContain('personal')
      if (format !== 'json') expect(r.stdout.trim().split('\n'), format).toHaveLength(1)
    }
    const doc = JSON.parse((await runCli(['-f', 'json', '--no-refresh'], env)).stdout)
    const personal = doc.accounts.find((a: { key: string }) => a.key === 'claude/personal')
    expect(personal).toMatchObject({ status: 'ok' })
    expect(personal.windows.length).toBeGreaterThan(0)
    expect(doc.accounts.map((a: { key: string }) => a.key).sort()).toEqual(['claude/personal', 'claude/work'])
  })
})

describe('an unwritable cache dir', () => {
  it('shows class error with the path, the errno and the fix, never "pending" for ever', async () => {
    f = makeFleet(server, ['work'])
    // A file where the cache directory should be: nothing can be created under it (as a read-only
    // HOME, whatever user the tests run as).
    const blocker = join(f.h.home, 'not-a-dir')
    writeFileSync(blocker, '')
    const env = { ...f.env, QUOTABAR_CACHE_DIR: join(blocker, 'quotabar') }
    const r = await runCli(['-f', 'waybar'], env)
    expect(r.code).toBe(0)
    const o = JSON.parse(r.stdout)
    expect(o.class).toContain('error')
    expect(o.class).not.toContain('pending')
    expect(tooltipText(o.tooltip)).toContain(
      `cannot write the cache: ${join(blocker, 'quotabar', 'locks')} (ENOTDIR)`,
    )
    expect(tooltipText(o.tooltip)).toContain('QUOTABAR_CACHE_DIR')
    const plain = await runCli(['-f', 'plain'], env)
    expect(plain.code).toBe(0)
    const refresh = await runCli(['refresh'], env)
    expect(refresh.code).toBe(1)
    expect(refresh.stdout).toContain('error     cannot write the cache:')
    expect(refresh.stdout).toContain('(ENOTDIR) — make that directory writable, or set QUOTABAR_CACHE_DIR')
    expect(requestsFor(server, 'work')).toBe(0)
  })
})
