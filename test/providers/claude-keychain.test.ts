import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { claudeAdapter } from '../../src/providers/claude/adapter.js'
import { readClaudeLogin } from '../../src/providers/claude/credentials.js'
import { keychainServices } from '../../src/providers/claude/keychain.js'
import type { Account } from '../../src/providers/types.js'
import { FAR_FUTURE_MS, makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, startServer } from '../helpers/server.js'

/**
 * The opt-in macOS Keychain read, tested with a stand-in `security` on PATH: a script that logs
 * its argv and answers per service as the test tells it (an item, "not found" = 44, refused = 51).
 */

const NOW_MS = Date.parse('2026-11-22T10:00:00Z')
const KEYCHAIN_TOKEN = 'sk-ant-oat01-keychain-token-cccccccccccccccc'
const FILE_TOKEN = 'sk-ant-oat01-file-token-dddddddddddddddddddd'

let server: FakeServer
let h: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => h?.cleanup())

const item = (token: string, extra: object = {}) =>
  JSON.stringify({
    claudeAiOauth: {
      accessToken: token,
      refreshToken: 'sk-ant-ort01-never-used',
      expiresAt: FAR_FUTURE_MS,
      scopes: ['user:inference', 'user:profile'],
      subscriptionType: 'pro',
      ...extra,
    },
  })

/** A `security` stand-in: answers[service] is the item text, or a number to exit with. */
function standIn(answers: Record<string, string | number>) {
  h = makeHome()
  const bin = join(h.home, 'bin')
  mkdirSync(bin)
  const log = join(h.home, 'security.log')
  const table = join(h.home, 'answers.json')
  writeFileSync(table, JSON.stringify(answers))
  const script = join(bin, 'security')
  writeFileSync(
    script,
    `#!/usr/bin/env node
const fs = require('node:fs')
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n')
const answers = JSON.parse(fs.readFileSync(${JSON.stringify(table)}, 'utf8'))
const service = process.argv[process.argv.indexOf('-s') + 1]
const a = answers[service]
if (typeof a === 'string') { process.stdout.write(a + '\\n'); process.exit(0) }
process.exit(typeof a === 'number' ? a : 44)
`,
  )
  chmodSync(script, 0o755)
  const env = { ...h.env, PATH: `${bin}:${h.env.PATH}` }
  const calls = () =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as string[])
      : []
  return { env, calls }
}

function account(over: Partial<Account> = {}): Account {
  return {
    provider: 'claude',
    id: 'mac',
    key: 'claude/mac',
    label: 'mac',
    refreshSeconds: 300,
    keychain: true,
    baseUrl: server.url,
    ...over,
  }
}

describe('claude login from the macOS Keychain (opt-in, read-only)', () => {
  it('the default login: one find-generic-password for "Claude Code-credentials", the item is the login', async () => {
    const { env, calls } = standIn({ 'Claude Code-credentials': item(KEYCHAIN_TOKEN) })
    const r = readClaudeLogin(account(), env, h.home, NOW_MS)
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.login.accessToken).toBe(KEYCHAIN_TOKEN)
      expect(r.login.source).toBe('the macOS Keychain (Claude Code-credentials)')
      expect(r.login.plan).toBe('Pro')
    }
    expect(calls()).toEqual([['find-generic-password', '-s', 'Claude Code-credentials', '-w']])
  })

  it('the fetch sends the Keychain token', async () => {
    const { env } = standIn({ 'Claude Code-credentials': item(KEYCHAIN_TOKEN) })
    server.on('/api/oauth/usage', {
      body: { five_hour: { utilization: 12, resets_at: '2026-11-22T12:00:00Z' }, seven_day: null },
    })
    const r = await claudeAdapter.fetchUsage(account(), {
      env,
      home: h.home,
      now: () => new Date(NOW_MS),
      timeoutMs: 2000,
    })
    expect(r.ok).toBe(true)
    expect(server.requests.filter((x) => x.path === '/api/oauth/usage').at(-1)?.headers.authorization).toBe(
      `Bearer ${KEYCHAIN_TOKEN}`,
    )
  })

  it('a CLAUDE_CONFIG_DIR login: the hashed service first, then the plain one', async () => {
    const dir = '/Users/ada/.claude-work'
    const [hashed] = keychainServices(dir, false)
    expect(hashed).toMatch(/^Claude Code-credentials-[0-9a-f]{8}$/)
    const { env, calls } = standIn({
      [hashed as string]: 44,
      'Claude Code-credentials': item(KEYCHAIN_TOKEN),
    })
    const r = readClaudeLogin(account({ configDir: dir }), env, h.home, NOW_MS)
    expect(r.ok).toBe(true)
    expect(calls().map((c) => c[2])).toEqual([hashed, 'Claude Code-credentials'])
    expect(keychainServices('/x', true)).toEqual(['Claude Code-credentials'])
  })

  it('no item anywhere: the credentials file still counts', async () => {
    const { env, calls } = standIn({})
    const dir = join(h.home, '.claude')
    h.claudeLogin(dir, { token: FILE_TOKEN })
    const r = readClaudeLogin(account(), env, h.home, NOW_MS)
    expect(r.ok && r.login.accessToken).toBe(FILE_TOKEN)
    expect(calls()).toHaveLength(1)
  })

  it('an item with only mcpOAuth is "not logged in", not an older file', async () => {
    const { env } = standIn({ 'Claude Code-credentials': JSON.stringify({ mcpOAuth: { srv: {} } }) })
    h.claudeLogin(join(h.home, '.claude'), { token: FILE_TOKEN })
    const r = readClaudeLogin(account(), env, h.home, NOW_MS)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toContain('holds no Claude login')
  })

  it('a refusal is remembered: no second prompt for a day, then it asks again', async () => {
    const { env, calls } = standIn({ 'Claude Code-credentials': 51 })
    const first = readClaudeLogin(account(), env, h.home, NOW_MS)
    expect(first.ok).toBe(false)
    if (!first.ok) {
      expect(first.error.kind).toBe('credentials')
      expect(first.error.message).toContain('did not give quotabar')
      expect(first.error.fix).toContain('Keychain Access')
    }
    for (let i = 0; i < 5; i++) readClaudeLogin(account(), env, h.home, NOW_MS + i * 300_000)
    expect(calls()).toHaveLength(1)
    readClaudeLogin(account(), env, h.home, NOW_MS + 25 * 3600_000)
    expect(calls()).toHaveLength(2)
  })

  it('off by default: `security` is never run, even when it is on PATH', async () => {
    const { env, calls } = standIn({ 'Claude Code-credentials': item(KEYCHAIN_TOKEN) })
    h.claudeLogin(join(h.home, '.claude'), { token: FILE_TOKEN })
    const r = readClaudeLogin(account({ keychain: undefined }), env, h.home, NOW_MS)
    expect(r.ok && r.login.accessToken).toBe(FILE_TOKEN)
    expect(calls()).toEqual([])
  })

  it('no `security` program on PATH: the file as before', async () => {
    h = makeHome()
    h.claudeLogin(join(h.home, '.claude'), { token: FILE_TOKEN })
    const r = readClaudeLogin(account(), { ...h.env, PATH: join(h.home, 'empty') }, h.home, NOW_MS)
    expect(r.ok && r.login.accessToken).toBe(FILE_TOKEN)
  })

  it('only the find verb is ever used', async () => {
    const { env, calls } = standIn({ 'Claude Code-credentials': 51 })
    readClaudeLogin(account({ configDir: '/Users/ada/.claude-2' }), env, h.home, NOW_MS)
    readClaudeLogin(account(), env, h.home, NOW_MS + 26 * 3600_000)
    for (const c of calls()) expect(c[0]).toBe('find-generic-password')
    expect(calls().flat().join(' ')).not.toMatch(/add-|delete-/)
  })
})
