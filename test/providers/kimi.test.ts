import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { kimiAdapter } from '../../src/providers/kimi/adapter.js'
import { kimiDescriptor as untypedDescriptor } from '../../src/providers/kimi/descriptor.js'
import type { ProviderDescriptor } from '../../src/providers/types.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { keyProviderHarness } from '../helpers/key-provider.js'
import type { Reply } from '../helpers/server.js'

const descriptor: ProviderDescriptor = untypedDescriptor
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/kimi', name), 'utf8'))
const NOW = new Date('2026-11-25T10:00:00Z')
const USAGES = '/coding/v1/usages'
const SECRET = 'sk-kimi-test-0011223344556677889900'
const TOKEN = 'kimi-cli-access-token-aabbccddeeff'

const harness = keyProviderHarness({
  adapter: kimiAdapter,
  provider: 'kimi',
  refreshSeconds: 300,
  keyEnv: 'KIMI_API_KEY',
  secret: SECRET,
  path: USAGES,
  now: NOW,
})
const { account, failure } = harness
const snapshotFor = async (reply: Reply) => (await harness.snapshotFor(reply)).snapshot

let home: TempHome | null = null
afterEach(() => {
  home?.cleanup()
  home = null
})

/** A Kimi Code CLI login under `<home>/<dir>/credentials/kimi-code.json`. */
function cliLogin(dir: string, content: unknown): { home: string; file: string } {
  home = makeHome()
  const folder = join(home.home, dir, 'credentials')
  mkdirSync(folder, { recursive: true })
  const file = join(folder, 'kimi-code.json')
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content), { mode: 0o600 })
  return { home: home.home, file }
}

const fetchWith = (a: ReturnType<typeof account>, homeDir: string, env: Record<string, string> = {}) =>
  kimiAdapter.fetchUsage(a, {
    env: { HOME: homeDir, ...env },
    home: homeDir,
    now: () => NOW,
    timeoutMs: 2000,
  })

describe('kimi usages', () => {
  it('the 5-hour window from limits[], the weekly quota from usage; counts are strings', async () => {
    const s = await snapshotFor({ body: fixture('coding_v1_usages.json') })
    expect(s.windows).toEqual([
      {
        id: 'session',
        label: '5h',
        usedPercent: 69.5,
        resetsAt: '2026-11-25T13:33:02.717Z',
        windowSeconds: 18000,
      },
      {
        id: 'weekly',
        label: '7d',
        usedPercent: (214 / 2048) * 100,
        resetsAt: '2026-11-29T15:23:13.716Z',
        windowSeconds: 604800,
      },
    ])
    expect(s).toMatchObject({ plan: null, spend: [], balances: [] })
    const req = harness.server().requests.find((r) => r.path === USAGES)
    expect(req?.headers.authorization).toBe(`Bearer ${SECRET}`)
  })

  it('without `used`, used = limit − remaining; hours count too; a length no bar window has is left out', async () => {
    const s = await snapshotFor({ body: fixture('coding_v1_usages.remaining_only.json') })
    expect(s.windows).toEqual([
      {
        id: 'session',
        label: '5h',
        usedPercent: 0,
        resetsAt: '2026-11-25T14:00:00.000Z',
        windowSeconds: 18000,
      },
      {
        id: 'weekly',
        label: '7d',
        usedPercent: 26,
        resetsAt: '2026-11-29T00:00:00.000Z',
        windowSeconds: 604800,
      },
    ])
  })

  it('a zero limit is no share (absent), never 0 % or a division by zero', async () => {
    const s = await snapshotFor({ body: { usage: { limit: '0', used: '0' }, limits: [] } })
    expect(s.windows).toEqual([])
  })

  it('a count that is not a number is a schema error naming the field', async () => {
    const r = await failure({ body: { usage: { limit: 'lots', used: '1' } } })
    expect(r.error.kind).toBe('schema')
    expect(r.error.message).toContain('usage.limit')
  })

  it('401 with an API key says to check the key; 429 keeps Retry-After', async () => {
    const auth = await failure({ status: 401, body: { error: { message: 'invalid api key' } } })
    expect(auth.error).toMatchObject({ kind: 'auth' })
    expect(auth.error.fix).toContain('$KIMI_API_KEY')
    const limited = await failure({ status: 429, body: {}, headers: { 'retry-after': '90' } })
    expect(limited.retryAfterSeconds).toBe(90)
  })
})

describe('kimi CLI login (read-only)', () => {
  it('no key: the CLI token from ~/.kimi is sent, and the file is left as it was', async () => {
    const { home: h, file } = cliLogin('.kimi', {
      access_token: TOKEN,
      refresh_token: 'kimi-refresh-never-used',
      expires_at: NOW.getTime() / 1000 + 600,
      scope: 'kimi-code',
      token_type: 'Bearer',
    })
    const before = statSync(file).mtimeMs
    harness.server().on(USAGES, { body: fixture('coding_v1_usages.json') })
    const r = await fetchWith(account({ id: 'cli' }), h)
    expect(r.ok).toBe(true)
    const req = harness
      .server()
      .requests.filter((x) => x.path === USAGES)
      .at(-1)
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(statSync(file).mtimeMs).toBe(before)
    expect(harness.server().requests.some((x) => x.path.includes('oauth'))).toBe(false)
  })

  it('~/.kimi-code is the other place; configDir names one explicitly', async () => {
    const { home: h } = cliLogin('.kimi-code', { access_token: TOKEN })
    harness.server().on(USAGES, { body: fixture('coding_v1_usages.json') })
    expect((await fetchWith(account({ id: 'cli' }), h)).ok).toBe(true)
    const explicit = await fetchWith(account({ id: 'cli', configDir: join(h, '.kimi-code') }), h, {
      KIMI_API_KEY: SECRET,
    })
    expect(explicit.ok).toBe(true)
    // configDir wins over the variable.
    expect(
      harness
        .server()
        .requests.filter((x) => x.path === USAGES)
        .at(-1)?.headers.authorization,
    ).toBe(`Bearer ${TOKEN}`)
  })

  it('an expired CLI token is kind auth with "run kimi", and no request', async () => {
    const { home: h } = cliLogin('.kimi', { access_token: TOKEN, expires_at: NOW.getTime() / 1000 - 1 })
    const before = harness.server().requests.length
    const r = await fetchWith(account({ id: 'cli' }), h)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'auth', message: 'the Kimi Code login expired' })
    if (!r.ok) expect(r.error.fix).toContain('run `kimi`')
    expect(harness.server().requests.length).toBe(before)
  })

  it('a 401 on the CLI token says to run kimi; the token never shows', async () => {
    const { home: h } = cliLogin('.kimi', { access_token: TOKEN })
    harness.server().on(USAGES, { status: 401, body: { error: { message: `bad token ${TOKEN}` } } })
    const r = await fetchWith(account({ id: 'cli' }), h)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.fix).toContain('run `kimi`')
    expect(JSON.stringify(r)).not.toContain(TOKEN)
  })

  it('a damaged login file is a credentials error; configDir without a login says where it looked', async () => {
    const { home: h } = cliLogin('.kimi', '{"access_token": ')
    const r = await fetchWith(account({ id: 'cli' }), h)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'credentials' })
    const none = await fetchWith(account({ id: 'cli', configDir: join(h, 'nowhere') }), h)
    expect(none.ok).toBe(false)
    if (!none.ok) expect(none.error.message).toContain('nowhere')
  })
})

describe('kimi descriptor', () => {
  it('KIMI_API_KEY accounts, plus kimi/cli when the CLI has a login; its file is watched', () => {
    const exists = (p: string) => p === '/h/.kimi-code/credentials/kimi-code.json'
    expect(descriptor.defaultAccounts({ KIMI_API_KEY: 'k' }, '/h', exists)).toEqual([
      { provider: 'kimi', id: 'default', apiKeyEnv: 'KIMI_API_KEY' },
      { provider: 'kimi', id: 'cli', configDir: '/h/.kimi-code' },
    ])
    expect(descriptor.defaultAccounts({}, '/h', () => false)).toEqual([])
    expect(descriptor.credentialFiles({ provider: 'kimi', id: 'cli', configDir: '/k' }, {}, '/h')).toEqual([
      '/k/credentials/kimi-code.json',
    ])
    expect(descriptor).toMatchObject({ loginCommand: 'kimi', minRefreshSeconds: 120 })
  })
})

describe('kimi secrets', () => {
  it('never shows the key in any form, even when the server echoes it', () => harness.expectNoEchoedSecret())
})
