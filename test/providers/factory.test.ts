import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { factoryAdapter } from '../../src/providers/factory/adapter.js'
import { factoryDescriptor as untypedDescriptor } from '../../src/providers/factory/descriptor.js'
import type { ProviderDescriptor } from '../../src/providers/types.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { keyProviderHarness } from '../helpers/key-provider.js'
import type { Reply } from '../helpers/server.js'

const descriptor: ProviderDescriptor = untypedDescriptor
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/factory', name), 'utf8'))
const NOW = new Date('2026-11-25T10:00:00Z')
const LIMITS = '/api/billing/limits'
const SECRET = 'fk-test-00112233445566778899aabbcc'

const harness = keyProviderHarness({
  adapter: factoryAdapter,
  provider: 'factory',
  refreshSeconds: 300,
  keyEnv: 'FACTORY_API_KEY',
  secret: SECRET,
  path: LIMITS,
  now: NOW,
})
const { account, failure } = harness
const snapshotFor = async (reply: Reply) => (await harness.snapshotFor(reply)).snapshot

let home: TempHome | null = null
afterEach(() => {
  home?.cleanup()
  home = null
})

describe('factory billing limits', () => {
  it('five-hour, weekly and monthly from limits.standard; a zero balance with extra usage off is not shown', async () => {
    const s = await snapshotFor({ body: fixture('billing_limits.json') })
    expect(s.windows).toEqual([
      {
        id: 'session',
        label: '5h',
        usedPercent: 12.5,
        resetsAt: '2026-11-25T12:30:00.000Z',
        windowSeconds: 18000,
      },
      {
        id: 'weekly',
        label: '7d',
        usedPercent: 31,
        resetsAt: '2026-11-30T00:00:00.000Z',
        windowSeconds: 604800,
      },
      {
        id: 'monthly',
        label: 'month',
        usedPercent: 40.2,
        resetsAt: '2026-12-01T00:00:00.000Z',
        windowSeconds: null,
      },
    ])
    expect(s.balances).toEqual([])
    const req = harness.server().requests.find((r) => r.path === LIMITS)
    expect(req?.headers.authorization).toBe(`Bearer ${SECRET}`)
  })

  it('core windows get their own scope; a reset from secondsRemaining; over 100 % clamps; cents become dollars', async () => {
    const s = await snapshotFor({ body: fixture('billing_limits.core_extra_usage.json') })
    expect(s.windows).toEqual([
      {
        id: 'session',
        label: '5h',
        usedPercent: 100,
        resetsAt: '2026-11-25T10:10:00.000Z',
        windowSeconds: 18000,
      },
      {
        id: 'weekly',
        label: '7d',
        usedPercent: 64,
        resetsAt: '2026-11-30T00:00:00.000Z',
        windowSeconds: 604800,
      },
      {
        id: 'session:core',
        label: 'Core 5h',
        usedPercent: 5,
        resetsAt: '2026-11-25T14:00:00.000Z',
        windowSeconds: 18000,
      },
      {
        id: 'weekly:core',
        label: 'Core 7d',
        usedPercent: 2.25,
        resetsAt: '2026-11-30T00:00:00.000Z',
        windowSeconds: 604800,
      },
    ])
    expect(s.balances).toEqual([{ id: 'extra-usage', label: 'Extra usage', amount: 12.5, currency: 'USD' }])
  })

  it('no limits at all: no windows, never 0 %', async () => {
    const s = await snapshotFor({ body: { usesTokenRateLimitsBilling: false, limits: null } })
    expect(s.windows).toEqual([])
  })

  it('a bad windowEnd is a schema error naming the field; 401 and 429 through the key advice', async () => {
    const body = fixture('billing_limits.json')
    body.limits.standard.weekly.windowEnd = 'next week'
    const r = await failure({ body })
    expect(r.error.kind).toBe('schema')
    expect(r.error.message).toContain('limits.standard.weekly.windowEnd')
    expect((await failure({ status: 401, body: { detail: 'Unauthorized' } })).error.fix).toContain(
      '$FACTORY_API_KEY',
    )
    expect(
      (await failure({ status: 429, body: {}, headers: { 'retry-after': '60' } })).retryAfterSeconds,
    ).toBe(60)
  })
})

describe('factory key from the Droid CLI (~/.factory/.env, read-only)', () => {
  function envFile(content: string): { home: string; file: string } {
    home = makeHome()
    const dir = join(home.home, '.factory')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, '.env')
    writeFileSync(file, content, { mode: 0o600 })
    return { home: home.home, file }
  }

  it.each([
    ['plain', `OTHER=1\nFACTORY_API_KEY=${SECRET}\n`],
    ['quoted and exported', `# droid\nexport FACTORY_API_KEY="${SECRET}"\n`],
  ])('no variable set: the key in .env (%s) is used and the file is untouched', async (_, content) => {
    const { home: h, file } = envFile(content)
    const before = statSync(file).mtimeMs
    harness.server().on(LIMITS, { body: fixture('billing_limits.json') })
    const r = await factoryAdapter.fetchUsage(account({ id: 'droid' }), {
      env: { HOME: h },
      home: h,
      now: () => NOW,
      timeoutMs: 2000,
    })
    expect(r.ok).toBe(true)
    expect(
      harness
        .server()
        .requests.filter((x) => x.path === LIMITS)
        .at(-1)?.headers.authorization,
    ).toBe(`Bearer ${SECRET}`)
    expect(statSync(file).mtimeMs).toBe(before)
  })

  it('a .env without the key: the missing-key error stands, no request', async () => {
    const { home: h } = envFile('OTHER=1\n')
    const before = harness.server().requests.length
    const r = await factoryAdapter.fetchUsage(account(), {
      env: { HOME: h },
      home: h,
      now: () => NOW,
      timeoutMs: 2000,
    })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.kind).toBe('credentials')
    expect(harness.server().requests.length).toBe(before)
  })
})

describe('factory descriptor', () => {
  it('FACTORY_API_KEY accounts, plus factory/droid when ~/.factory/.env exists', () => {
    expect(
      descriptor.defaultAccounts({ FACTORY_API_KEY: 'k' }, '/h', (p) => p === '/h/.factory/.env'),
    ).toEqual([
      { provider: 'factory', id: 'default', apiKeyEnv: 'FACTORY_API_KEY' },
      { provider: 'factory', id: 'droid', configDir: '/h/.factory' },
    ])
    expect(descriptor.minRefreshSeconds).toBe(120)
  })
})

describe('factory secrets', () => {
  it('never shows the key in any form, even when the server echoes it', () => harness.expectNoEchoedSecret())
})
