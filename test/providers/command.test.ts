import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { commandAdapter } from '../../src/providers/command/adapter.js'
import { fetchLoaded } from '../helpers/fetch.js'
import {
  commandDescriptor as untypedDescriptor,
  commandLine,
} from '../../src/providers/command/descriptor.js'
import { firstLine } from '../../src/providers/command/run.js'
import type { Account, AccountConfig, FetchResult, ProviderDescriptor } from '../../src/providers/types.js'
import { makeHome, type TempHome } from '../helpers/home.js'

// Through the interface: the tests call it the way the core does.
const descriptor: ProviderDescriptor = untypedDescriptor
const NOW = new Date('2026-11-25T10:00:00Z')
const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'command-provider.sh')

let h: TempHome
beforeEach(() => {
  h = makeHome()
})
afterEach(() => h.cleanup())

/** Writes an executable POSIX sh script into the temp HOME and returns its path. */
function script(name: string, body: string, mode = 0o755): string {
  const dir = join(h.home, 'scripts')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, name)
  writeFileSync(file, `#!/bin/sh\n${body}\n`)
  chmodSync(file, mode)
  return file
}

/** A script that prints whatever JSON the test puts in out.json. */
function printer(output: unknown): string {
  const out = join(h.home, 'out.json')
  writeFileSync(out, typeof output === 'string' ? output : JSON.stringify(output))
  return script('printer.sh', `cat '${out}'`)
}

function account(over: Partial<AccountConfig>): Account {
  return { provider: 'command', id: 'mine', key: 'command/mine', label: 'mine', refreshSeconds: 300, ...over }
}

const ctxOf = (env: Record<string, string> = {}) => ({
  env: { ...h.env, ...env },
  home: h.home,
  now: () => NOW,
  timeoutMs: 2000,
})

function run(a: Account, env: Record<string, string> = {}): Promise<FetchResult> {
  return fetchLoaded(commandAdapter, a, ctxOf(env))
}

async function ok(a: Account, env: Record<string, string> = {}) {
  const r = await run(a, env)
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`)
  return r
}

async function err(a: Account, env: Record<string, string> = {}) {
  const r = await run(a, env)
  if (r.ok) throw new Error('expected a failure')
  return r.error
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  // A reparented child that nobody reaped yet is a zombie: dead for our purposes.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

describe('command provider: the example script', () => {
  it('runs through the provider and maps every part of its output', async () => {
    const r = await ok(account({ command: [EXAMPLE] }), { EXAMPLE_USED: '250', EXAMPLE_LIMIT: '1000' })
    const s = r.snapshot
    expect(s.plan).toBe('Example (command/mine)')
    expect(s.fetchedAt).toBe(NOW.toISOString())
    expect(s.windows).toHaveLength(1)
    expect(s.windows[0]).toMatchObject({
      id: 'daily',
      label: 'Requests',
      usedPercent: 25,
      windowSeconds: 86400,
    })
    expect(s.windows[0]?.resetsAt).toMatch(/^\d{4}-\d\d-\d\dT23:59:59\.000Z$/)
    expect(s.spend).toEqual([
      { id: 'month', label: 'Spend', used: 12.5, limit: 50, currency: 'USD', period: 'month' },
    ])
    expect(s.balances).toEqual([{ id: 'credits', label: 'Credits', amount: 37.5, currency: 'USD' }])
    expect(r.fingerprint).toMatch(/^[0-9a-f]{12}$/)
  })

  it('its failure shows the exit code and the first line of stderr', async () => {
    const e = await err(account({ command: [EXAMPLE] }), { EXAMPLE_LIMIT: '0' })
    expect(e).toMatchObject({
      kind: 'http',
      message: 'the command of command/mine exited with code 3: EXAMPLE_LIMIT must be positive',
    })
    expect(e.fix).toContain('terminal')
  })
})

describe('command provider: how the command runs', () => {
  const argsScript = () =>
    script('args.sh', `printf '{"plan":"%s","email":"%s"}' "$*" "$QUOTABAR_ACCOUNT $MY_SETTING"`)

  it('an argv array runs without a shell; the env carries QUOTABAR_ACCOUNT and the user env', async () => {
    const r = await ok(account({ command: [argsScript(), 'a b', '$HOME', 'x|y'] }), { MY_SETTING: 'on' })
    expect(r.snapshot.plan).toBe(`a b $HOME x|y`)
    expect(r.snapshot.email).toBe('command/mine on')
  })

  it('a string without shell: true is split on whitespace, nothing else (no quotes, no $VARS)', async () => {
    const r = await ok(account({ command: `${argsScript()}   one  'two three' $HOME` }))
    expect(r.snapshot.plan).toBe("one 'two three' $HOME")
    expect(commandLine({ provider: 'command', id: 'x', command: 'a  b\tc' }, {})).toEqual({
      argv: ['a', 'b', 'c'],
      shell: false,
    })
  })

  it('a string with shell: true goes to /bin/sh as written', async () => {
    const command = `${argsScript()} "two three" $MY_SETTING 2>/dev/null`
    const r = await ok(account({ command, shell: true }), { MY_SETTING: 'on' })
    expect(r.snapshot.plan).toBe('two three on')
  })

  it('~ in the program path is the home directory; relative paths start from HOME', async () => {
    script('home.sh', `printf '{"plan":"%s"}' "$(pwd)"`)
    const r = await ok(account({ command: ['~/scripts/home.sh'] }))
    expect(r.snapshot.plan).toBe(h.home)
    const rel = await ok(account({ command: ['./scripts/home.sh'] }))
    expect(rel.snapshot.plan).toBe(h.home)
  })

  it('a timeout kills the whole process group', async () => {
    const pidFile = join(h.home, 'child.pid')
    const slow = script('slow.sh', `sleep 30 &\necho $! > '${pidFile}'\nwait`)
    // 0.4 s is below what config.json allows (1 s), to keep the test quick: this typed account goes
    // to the adapter as it is, not through the config's reading.
    const r = await commandAdapter.fetchUsage(
      { ...account({ command: [slow] }), timeoutSeconds: 0.4 },
      ctxOf(),
    )
    if (r.ok) throw new Error('expected a failure')
    const e = r.error
    expect(e).toMatchObject({
      kind: 'timeout',
      message: 'the command of command/mine did not finish in 0.4s',
    })
    expect(e.fix).toContain('timeoutSeconds')
    const child = Number(readFileSync(pidFile, 'utf8'))
    const deadline = Date.now() + 2000
    while (alive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(alive(child)).toBe(false)
  })

  it('a background child holding stdout open does not hold up a finished script', async () => {
    const pidFile = join(h.home, 'bg.pid')
    const s = script('bg.sh', `sleep 5 &\necho $! > '${pidFile}'\necho '{"plan":"done"}'`)
    const r = await ok(account({ command: [s], timeoutSeconds: 4 }))
    expect(r.snapshot.plan).toBe('done')
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL')
  })

  it('children of a finished script do not outlive it, even one that ignores SIGTERM', async () => {
    const pidFile = join(h.home, 'bg.pid')
    const s = script(
      'bg.sh',
      `sh -c 'trap "" TERM; sleep 30' &\necho $! > '${pidFile}'\necho '{"plan":"done"}'`,
    )
    const r = await ok(account({ command: [s], timeoutSeconds: 4 }))
    expect(r.snapshot.plan).toBe('done')
    const child = Number(readFileSync(pidFile, 'utf8'))
    const deadline = Date.now() + 2000
    while (alive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(alive(child)).toBe(false)
  })

  it('output over 256 KiB is an error, and the script is stopped', async () => {
    const big = script('big.sh', `head -c 300000 /dev/zero | tr '\\000' a\nsleep 10`)
    const e = await err(account({ command: [big], timeoutSeconds: 5 }))
    expect(e).toMatchObject({
      kind: 'schema',
      message: 'the command of command/mine printed more than 256 KiB',
    })
  })

  it('stderr: the first non-empty line, control characters removed, cut at 200 characters', async () => {
    const long = 'x'.repeat(400)
    const s = script('fail.sh', `printf '\\n  \\033[31mboom\\033[0m: no token\\n${long}\\n' >&2\nexit 7`)
    const e = await err(account({ command: [s] }))
    expect(e.message).toBe('the command of command/mine exited with code 7: [31mboom [0m: no token')
    expect(firstLine(`${long}\nsecond`)).toHaveLength(200)
    expect(firstLine(`${long}\nsecond`).endsWith('…')).toBe(true)
    const quiet = await err(account({ command: [script('quiet.sh', 'exit 2')] }))
    expect(quiet.message).toBe('the command of command/mine exited with code 2')
  })

  it('killed by a signal', async () => {
    const e = await err(account({ command: [script('sig.sh', 'kill -TERM $$')] }))
    expect(e.message).toBe('the command of command/mine was killed by SIGTERM')
  })

  it('a missing program, a script that is not executable, no command at all → config errors', async () => {
    const missing = await err(account({ command: [join(h.home, 'nope.sh')] }))
    expect(missing).toMatchObject({ kind: 'config' })
    expect(missing.message).toContain('not found')
    const noexec = script('noexec.sh', 'echo {}', 0o644)
    const denied = await err(account({ command: [noexec] }))
    expect(denied.message).toContain('not executable')
    expect(denied.fix).toBe(`chmod +x ${noexec}`)
    const none = await err(account({}))
    expect(none).toMatchObject({ kind: 'config', message: 'command/mine has no "command"' })
  })

  it('the fingerprint follows the command, so another command drops old numbers', async () => {
    const p = printer({})
    const a = await ok(account({ command: [p] }))
    const b = await ok(account({ command: [p, 'x'] }))
    expect(a.fingerprint).not.toBe(b.fingerprint)
    expect((await ok(account({ command: [p] }))).fingerprint).toBe(a.fingerprint)
  })
})

describe('command provider: output validation', () => {
  const valid = {
    plan: 'Team',
    email: 'me@example.com',
    windows: [
      {
        id: 'session',
        label: '5h',
        usedPercent: 12.5,
        resetsAt: '2026-11-25T12:00:00+01:00',
        windowSeconds: 18000,
      },
      { id: 'model:gpt-5.1', label: 'GPT', usedPercent: 104 },
    ],
    spend: [{ id: 'api', label: 'API', used: 3, currency: 'EUR', period: 'day', tokens: 1200, requests: 4 }],
  }

  it('maps a full object: offsets normalised to UTC, absent fields null, overage kept', async () => {
    const s = (await ok(account({ command: [printer(valid)] }))).snapshot
    expect(s.windows).toEqual([
      {
        id: 'session',
        label: '5h',
        usedPercent: 12.5,
        resetsAt: '2026-11-25T11:00:00.000Z',
        windowSeconds: 18000,
      },
      { id: 'model:gpt-5.1', label: 'GPT', usedPercent: 104, resetsAt: null, windowSeconds: null },
    ])
    expect(s.spend).toEqual([
      {
        id: 'api',
        label: 'API',
        used: 3,
        limit: null,
        currency: 'EUR',
        period: 'day',
        tokens: 1200,
        requests: 4,
      },
    ])
    expect(s.balances).toEqual([])
    expect([s.plan, s.email]).toEqual(['Team', 'me@example.com'])
  })

  it('an empty object is a valid, empty snapshot', async () => {
    const s = (await ok(account({ command: [printer('  {}\n')] }))).snapshot
    expect(s).toEqual({
      fetchedAt: NOW.toISOString(),
      plan: null,
      email: null,
      windows: [],
      spend: [],
      balances: [],
    })
  })

  const w = (over: Record<string, unknown>) => ({
    windows: [{ id: 'daily', label: 'Day', usedPercent: 5, ...over }],
  })
  it.each<[string, unknown, string]>([
    ['nothing', '', 'printed nothing (expected one JSON object)'],
    ['not JSON', 'quota: 5%', 'did not print valid JSON'],
    ['two objects', '{}\n{}', 'did not print valid JSON'],
    ['an array', '[]', 'printed JSON that is not an object'],
    ['a misspelt top-level key', { window: [] }, '(top level): unknown key "window"'],
    ['a misspelt window key', w({ usedPercentage: 5 }), 'windows[0]: unknown key "usedPercentage"'],
    ['a negative percentage', w({ usedPercent: -1 }), 'windows[0].usedPercent:'],
    ['a percentage as a string', w({ usedPercent: '5' }), 'windows[0].usedPercent:'],
    ['an upper-case id', w({ id: 'Daily' }), 'windows[0].id: use 1–64 of a-z 0-9'],
    ['a bad date', w({ resetsAt: 'tomorrow' }), 'windows[0].resetsAt: an ISO 8601 time'],
    ['a date without offset', w({ resetsAt: '2026-11-25T12:00:00' }), 'windows[0].resetsAt:'],
    ['a missing label', { windows: [{ id: 'daily', usedPercent: 1 }] }, 'windows[0].label:'],
    [
      'a duplicate id',
      { windows: [w({}).windows[0], w({ label: 'Again' }).windows[0]] },
      'windows[1].id: duplicate id "daily"',
    ],
    [
      'a lower-case currency',
      { spend: [{ id: 's', label: 'S', used: 1, currency: 'usd', period: 'day' }] },
      'spend[0].currency: an ISO currency code',
    ],
    [
      'an unknown period',
      { spend: [{ id: 's', label: 'S', used: 1, currency: 'USD', period: 'year' }] },
      'spend[0].period:',
    ],
    [
      'a balance without amount',
      { balances: [{ id: 'b', label: 'B', currency: 'USD' }] },
      'balances[0].amount:',
    ],
  ])('%s → a schema error naming the field', async (_, output, expected) => {
    const e = await err(account({ command: [printer(output)] }))
    expect(e.kind).toBe('schema')
    expect(e.message).toContain('the command of command/mine ')
    expect(e.message).toContain(expected)
    expect(e.fix).toContain('examples/command-provider.sh')
  })
})

describe('command descriptor', () => {
  it('watches an absolute script path (so editing it makes the account due), nothing else', () => {
    const env = { HOME: '/home/me' }
    const files = (c: Partial<AccountConfig>) =>
      descriptor.credentialFiles({ provider: 'command', id: 'x', ...c }, env, '/home/me')
    expect(files({ command: ['/opt/q/usage.sh', '--json'] })).toEqual(['/opt/q/usage.sh'])
    expect(files({ command: ['~/bin/usage.sh'] })).toEqual(['/home/me/bin/usage.sh'])
    expect(files({ command: '/opt/q/usage.sh --json' })).toEqual(['/opt/q/usage.sh'])
    expect(files({ command: '/opt/q/usage.sh | jq .', shell: true })).toEqual(['/opt/q/usage.sh'])
    expect(files({ command: ['usage-tool'] })).toEqual([])
    expect(files({ command: 'curl -s http://x | jq .', shell: true })).toEqual([])
    expect(files({})).toEqual([])
  })

  it('refresh 300 s by default, 10 s floor, no discovered accounts', () => {
    expect(descriptor.defaultRefreshSeconds).toBe(300)
    expect(descriptor.minRefreshSeconds).toBe(10)
    expect(descriptor.defaultAccounts({ HOME: '/h' }, '/h', () => true)).toEqual([])
  })
})
