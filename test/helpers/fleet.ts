import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeHome, type TempHome } from './home.js'
import type { FakeServer, Reply } from './server.js'

/**
 * Three Claude logins in a temp HOME for the `show`/`best`/`verify`/`doctor` e2e tests, answered
 * by a local server that picks the reply by bearer token: `personal` in ~/.claude (the login a
 * new `claude` uses), `work` in ~/.claude-work and `old` in ~/.claude-old (rejected: 401).
 */

export const USAGE = '/api/oauth/usage'
export const NOW = '2026-11-22T10:00:00.000Z'
export const later = (s: number) => new Date(Date.parse(NOW) + s * 1000).toISOString()

export const TOKENS = {
  personal: 'sk-ant-oat01-personal-token-1111111111111111',
  work: 'sk-ant-oat01-work-token-2222222222222222222222',
  old: 'sk-ant-oat01-old-token-33333333333333333333333',
}
export type Name = keyof typeof TOKENS

export const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'inspect', name), 'utf8'))

export const REPLIES: Record<Name, Reply> = {
  personal: { body: fixture('usage-personal.json') },
  work: { body: fixture('usage-work.json') },
  old: { status: 401, body: fixture('error-401.json') },
}

export interface Fleet {
  h: TempHome
  env: Record<string, string>
  dirs: Record<Name, string>
  /** Replaces one account's reply from now on. */
  reply(name: Name, reply: Reply): void
}

export function makeFleet(server: FakeServer, names: Name[] = ['personal', 'work', 'old']): Fleet {
  const h = makeHome()
  const dirs = {
    personal: join(h.home, '.claude'),
    work: join(h.home, '.claude-work'),
    old: join(h.home, '.claude-old'),
  }
  for (const n of names)
    h.claudeLogin(dirs[n], { token: TOKENS[n], email: `${n}@example.com`, uuid: `uuid-${n}` })
  h.writeConfig({
    accounts: names.map((n) => ({
      provider: 'claude',
      id: n,
      ...(n === 'personal' ? {} : { configDir: `~/.claude-${n}` }),
      baseUrl: server.url,
    })),
    refresh: { timeoutSeconds: 2 },
  })
  const replies: Record<Name, Reply> = { ...REPLIES }
  server.requests.length = 0
  server.on(USAGE, (req) => {
    const name = (Object.keys(TOKENS) as Name[]).find(
      (n) => req.headers.authorization === `Bearer ${TOKENS[n]}`,
    )
    return name ? replies[name] : { status: 401, body: fixture('error-401.json') }
  })
  return {
    h,
    env: { ...h.env, QUOTABAR_NOW: NOW, NO_COLOR: '1' },
    dirs,
    reply: (name, r) => {
      replies[name] = r
    },
  }
}

/** Requests the server got for one account, by its token. */
export const requestsFor = (server: FakeServer, name: Name) =>
  server.requests.filter((r) => r.headers.authorization === `Bearer ${TOKENS[name]}`).length
