import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { type Fleet, makeFleet, requestsFor } from '../helpers/fleet.js'
import { type FakeServer, startServer } from '../helpers/server.js'

// Every command that prints data takes --json; every command that selects accounts takes -a.
let server: FakeServer
let f: Fleet | undefined
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => f?.h.cleanup())

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>

describe('-a/--account works on every command that selects accounts', () => {
  it.each([
    [['show', '-a', 'work', '--no-refresh']],
    [['refresh', '-a', 'work']],
    [['best', '-a', 'work', '--print', 'key']],
    [['verify', '-a', 'work']],
    [['doctor', '-a', 'work', '--offline']],
    [['-a', 'work', '--no-refresh']],
  ])('%j selects claude/work only', async (argv) => {
    f = makeFleet(server, ['personal', 'work'])
    const r = await runCli(argv, f.env)
    expect(r.stderr).toBe('')
    expect(r.stdout).toContain('work')
    expect(r.stdout).not.toContain('personal')
    expect(requestsFor(server, 'personal')).toBe(0)
  })

  it('positional selectors stay an alias, and both forms add up', async () => {
    f = makeFleet(server, ['personal', 'work'])
    const r = await runCli(['refresh', 'personal', '-a', 'work', '--json'], f.env)
    const keys = (json(r.stdout).accounts as { key: string }[]).map((a) => a.key).sort()
    expect(keys).toEqual(['claude/personal', 'claude/work'])
  })

  it('a selector that matches nothing, beside one that does: a warning naming it, the line unchanged', async () => {
    f = makeFleet(server, ['personal', 'work'])
    await runCli(['refresh'], f.env)
    const alone = await runCli(['-f', 'waybar', '-a', 'work'], f.env)
    const both = await runCli(['-f', 'waybar', '-a', 'work', '-a', 'nobody'], f.env)
    expect(both.stdout).toBe(alone.stdout)
    expect(both.code).toBe(0)
    expect(alone.stderr).toBe('')
    expect(both.stderr).toBe(
      'quotabar: no account matches "nobody"; showing the accounts the other selectors match\n',
    )
    const show = await runCli(['show', '-a', 'work', '-a', 'nobody', '--no-refresh'], f.env)
    expect(show.code).toBe(0)
    expect(show.stderr).toContain('no account matches "nobody"')
    const none = await runCli(['show', '-a', 'nobody'], f.env)
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/^quotabar: no account matches "nobody"/)
  })

  it('verify takes exactly one account', async () => {
    f = makeFleet(server, ['personal', 'work'])
    const none = await runCli(['verify'], f.env)
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/^quotabar: verify takes one account/)
    const two = await runCli(['verify', 'work', '-a', 'personal'], f.env)
    expect(two.code).toBe(2)
  })
})

describe('--json on every command that prints data', () => {
  it('show --json is the document `-f json` prints', async () => {
    f = makeFleet(server, ['personal', 'work'])
    await runCli(['refresh'], f.env)
    const show = await runCli(['show', '--json', '--no-refresh'], f.env)
    const status = await runCli(['-f', 'json', '--no-refresh'], f.env)
    expect(show.code).toBe(0)
    expect(show.stdout).toBe(status.stdout)
    expect(json(show.stdout).schema).toBe('quotabar/v1')
  })

  it('refresh --json: per account the outcome, status and numbers', async () => {
    f = makeFleet(server, ['personal', 'work'])
    const r = await runCli(['refresh', '--json'], f.env)
    expect(r.code).toBe(0)
    const accounts = json(r.stdout).accounts as Record<string, unknown>[]
    expect(accounts.map((a) => [a.key, a.outcome, a.status])).toEqual([
      ['claude/personal', 'fetched', 'ok'],
      ['claude/work', 'fetched', 'ok'],
    ])
    const windows = (accounts[1]?.windows ?? []) as { id: string }[]
    expect(windows.map((w) => w.id)).toContain('session')
  })

  it('best --json: the winner and each candidate; --json with --print is a usage error', async () => {
    f = makeFleet(server, ['personal', 'work'])
    const r = await runCli(['best', '--json'], f.env)
    expect(r.code).toBe(0)
    const doc = json(r.stdout) as { best: string; accounts: { key: string; best: boolean; score: number }[] }
    expect(doc.best).toBe('claude/work')
    expect(doc.accounts.find((a) => a.best)?.key).toBe('claude/work')
    expect(doc.accounts.map((a) => typeof a.score)).toEqual(['number', 'number'])
    const both = await runCli(['best', '--json', '--print', 'key'], f.env)
    expect(both.code).toBe(2)
  })
})

describe('--redact, --no-color and --config mean the same on every command', () => {
  it('show and watch take --redact', async () => {
    f = makeFleet(server, ['personal', 'work'])
    await runCli(['refresh'], f.env)
    const plain = await runCli(['show', '--json', '--no-refresh'], f.env)
    const redacted = await runCli(['show', '--json', '--no-refresh', '--redact'], f.env)
    expect(plain.stdout).toContain('work@example.com')
    expect(redacted.stdout).not.toContain('work@example.com')
    expect(redacted.stdout).toContain('w…@example.com')
    const table = await runCli(['show', '--no-refresh', '--redact'], f.env)
    expect(table.stdout).not.toContain('work@example.com')
  })

  it('--no-color wins over FORCE_COLOR; --color forces colour into a pipe', async () => {
    f = makeFleet(server, ['work'])
    const env = { ...f.env, NO_COLOR: '' }
    const forced = await runCli(['show', '--color'], env)
    expect(forced.stdout).toContain('\x1b[')
    const none = await runCli(['show', '--no-color', '--no-refresh'], { ...env, FORCE_COLOR: '1' })
    expect(none.stdout).not.toContain('\x1b[')
  })

  it('--verbose is DEBUG=quotabar: each request on stderr, method, URL without query, status, time', async () => {
    f = makeFleet(server, ['work'])
    const r = await runCli(['refresh', '--verbose'], f.env)
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/api\/oauth\/usage → HTTP 200, \d+ bytes \(\d+ ms\)/,
    )
    expect(r.stderr).not.toContain('sk-ant-oat01')
  })
})
