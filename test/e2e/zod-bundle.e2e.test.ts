import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, startServer } from '../helpers/server.js'

// zod is a bundle of its own (dist/zod.cjs), loaded only by a module that builds a schema. The
// detached refresh (dist/refresh.cjs) needs it only for a reply its hand checks leave to the
// schema, a log line to read, or a config file the checked-config record does not vouch for; and
// what it then writes must be what the full CLI writes for the same reply: the same error, the
// same notes.

const USAGE = '/api/oauth/usage'
const NOW = Date.parse('2026-11-22T10:00:00.000Z')
const at = (s: number) => new Date(NOW + s * 1000).toISOString()
const good = {
  five_hour: { utilization: 37, resets_at: '2026-11-22T12:00:00.000100+00:00' },
  seven_day: { utilization: 12, resets_at: '2026-11-27T08:00:00+00:00' },
}

let server: FakeServer | undefined
let h: TempHome | undefined
afterEach(async () => {
  h?.cleanup()
  await server?.close()
})

/** The side bundles a run loaded, in order, from its DEBUG lines. */
const bundles = (stderr: string) => [...stderr.matchAll(/code cache (\S+): /g)].map((m) => m[1])

it('loads zod only for what the hand checks leave to a schema, and then says what the full CLI says', async () => {
  server = await startServer()
  h = makeHome()
  const dir = join(h.home, '.claude-work')
  h.claudeLogin(dir)
  // A Claude Code transcript: read (zod, for its lines) once, then nothing new in it.
  mkdirSync(join(dir, 'projects', 'p'), { recursive: true })
  const line = {
    timestamp: at(-3600),
    requestId: 'r1',
    message: { id: 'm1', model: 'claude-sonnet-4-5', usage: { input_tokens: 100, output_tokens: 50 } },
  }
  writeFileSync(join(dir, 'projects', 'p', 's.jsonl'), `${JSON.stringify(line)}\n`)
  h.writeConfig({ accounts: [{ provider: 'claude', id: 'work', configDir: dir, baseUrl: server.url }] })
  const env = { ...h.env, DEBUG: 'quotabar' }
  // Every run's clock is 10 minutes on, past Claude's floor: each one fetches.
  const detached = (s: number) =>
    runCli(['__refresh', '--token', 'test', 'claude/work'], { ...env, QUOTABAR_NOW: at(s) })
  const shown = async (s: number) => {
    const r = await runCli(['-f', 'json', '--no-refresh'], { ...env, QUOTABAR_NOW: at(s) })
    const account = JSON.parse(r.stdout).accounts[0]
    const windows = account.windows.map((w: Record<string, unknown>) => [w.id, w.usedPercent, w.resetsAt])
    return { error: account.error, notes: account.notes, windows }
  }

  server.on(USAGE, { body: good })
  // A config file nothing has checked yet and a new transcript: the schemas read them, from zod.cjs.
  const first = await detached(0)
  expect([first.code, bundles(first.stderr)]).toEqual([0, ['refresh.cjs', 'zod.cjs']])
  expect(first.stderr).toContain('claude/work: logs: 1 files, 1 read')
  expect((await shown(1)).windows).toEqual([
    ['session', 37, '2026-11-22T12:00:00.000Z'],
    ['weekly', 12, '2026-11-27T08:00:00.000Z'],
  ])
  // Now checked, nothing new in the logs, and a usual reply: no zod at all.
  const usual = await detached(600)
  expect([usual.code, bundles(usual.stderr)]).toEqual([0, ['refresh.cjs']])
  expect(usual.stderr).toContain('claude/work: logs: 1 files, 0 read')
  expect(server.count(USAGE)).toBe(2)

  for (const [i, [body, said]] of [
    // Drift in the only window: an error naming the field.
    [
      { five_hour: { utilization: 'thirty', resets_at: '2026-11-22T13:40:00Z' }, seven_day: null },
      /nothing readable in the answer: window left out \(five_hour\.utilization: Invalid input/,
    ],
    // A window left out, with a note; the other one shown.
    [
      { ...good, seven_day: { utilization: 12, resets_at: 'soon' } },
      /window left out \(seven_day\.resets_at/,
    ],
    // Not the shape at all: the schema's error.
    [[1, 2], /unexpected response from http:\/\/127\.0\.0\.1:\d+\/api\/oauth\/usage \(/],
  ].entries() as Iterable<[number, [unknown, RegExp]]>) {
    server.on(USAGE, { body })
    const s = 1200 * (i + 1)
    const bg = await detached(s)
    expect([bg.code, bundles(bg.stderr)]).toEqual([0, ['refresh.cjs', 'zod.cjs']])
    const byRefresh = await shown(s + 1)
    const full = await runCli(['refresh', '--force', 'work'], { ...env, QUOTABAR_NOW: at(s + 600) })
    expect(full.code).not.toBeNull()
    const byFull = await shown(s + 601)
    expect(JSON.stringify([byRefresh.error?.message, byRefresh.notes])).toMatch(said)
    expect(byRefresh.error?.message).toEqual(byFull.error?.message)
    expect(byRefresh.notes).toEqual(byFull.notes)
    expect(byRefresh.windows).toEqual(byFull.windows)
  }
  expect(server.count(USAGE)).toBe(8)
})

it('the full CLI loads zod only for a command that builds a schema, through its own code cache', async () => {
  h = makeHome()
  const dir = join(h.home, '.claude-work')
  h.claudeLogin(dir)
  h.writeConfig({ accounts: [{ provider: 'claude', id: 'work', configDir: dir }] })
  const env = { ...h.env, DEBUG: 'quotabar' }
  const run = async (args: string[]) => {
    const r = await runCli(args, env)
    expect(r.code).toBe(0)
    return [...r.stderr.matchAll(/code cache (\S+): (\S+)/g)].map((m) => `${m[1]} ${m[2]}`)
  }
  // The first command checks the config with its schema: zod, compiled, then cached at exit.
  expect(await run(['accounts', 'list'])).toEqual(['full.cjs none', 'zod.cjs none'])
  // A checked config: no schema, no zod, for the list and for a report of the local logs.
  expect(await run(['accounts', 'list'])).toEqual(['full.cjs used'])
  expect(await run(['report'])).toEqual(['full.cjs used'])
  // A changed config is checked again: zod, from its code cache.
  h.writeConfig({ accounts: [{ provider: 'claude', id: 'work', configDir: dir, label: 'Work' }] })
  expect(await run(['accounts', 'list'])).toEqual(['full.cjs used', 'zod.cjs used'])
})

it("another provider's detached refresh gets its schemas from zod.cjs, and writes what the full CLI writes", async () => {
  server = await startServer()
  h = makeHome()
  const fixture = (name: string) =>
    JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/openrouter', name), 'utf8'))
  server.on('/api/v1/key', { body: fixture('key.weekly_limit.json') })
  server.on('/api/v1/credits', { body: fixture('credits.management_key.json') })
  h.writeConfig({
    accounts: [{ provider: 'openrouter', id: 'or', apiKeyEnv: 'OR_KEY', baseUrl: server.url }],
  })
  const env = { ...h.env, DEBUG: 'quotabar', OR_KEY: 'sk-or-v1-test-0123456789abcdef0123456789abcdef' }
  const doc = async (s: number) => {
    const r = await runCli(['-f', 'json', '--no-refresh'], { ...env, QUOTABAR_NOW: at(s) })
    const a = JSON.parse(r.stdout).accounts[0]
    return { error: a.error, spend: a.spend, windows: a.windows.map((w: { id: string }) => w.id) }
  }
  expect((await runCli(['accounts', 'list'], env)).code).toBe(0) // the config, checked
  const bg = await runCli(['__refresh', '--token', 'test', 'openrouter/or'], { ...env, QUOTABAR_NOW: at(0) })
  expect([bg.code, bundles(bg.stderr)]).toEqual([0, ['refresh.cjs', 'zod.cjs']])
  const byRefresh = await doc(1)
  expect(byRefresh.error).toBeNull()
  expect(byRefresh.windows.length + byRefresh.spend.length).toBeGreaterThan(0)
  const full = await runCli(['refresh', '--force', 'or'], { ...env, QUOTABAR_NOW: at(600) })
  expect(full.code).toBe(0)
  expect(await doc(601)).toEqual(byRefresh)
})
