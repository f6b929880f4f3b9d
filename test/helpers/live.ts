import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BIN, waitFor } from './cli.js'
import type { TempHome } from './home.js'
import type { FakeServer, Reply } from './server.js'

/** Shared set-up for the watch / click / notification e2e tests. */

export const USAGE = '/api/oauth/usage'
export const NOW = '2026-11-22T10:00:00.000Z'
export const later = (s: number) => new Date(Date.parse(NOW) + s * 1000).toISOString()
export const SESSION_RESET = '2026-11-22T12:00:00+00:00'

export function usage(session: number, weekly: number, sessionReset = SESSION_RESET) {
  return {
    five_hour: { utilization: session, resets_at: sessionReset },
    seven_day: { utilization: weekly, resets_at: '2026-11-27T08:00:00+00:00' },
  }
}

/**
 * Claude accounts in a temp HOME, each answered by the server according to its token; `set`
 * changes an account's answer. The clock is pinned at NOW unless the env says otherwise.
 */
export function claudeAccounts(
  h: TempHome,
  server: FakeServer,
  answers: Record<string, Reply>,
  extraConfig: Record<string, unknown> = {},
) {
  const token = (id: string) => `sk-ant-oat01-${id}-token-0000000000000000`
  const current = { ...answers }
  const accounts = Object.keys(answers).map((id) => {
    const dir = join(h.home, `.claude-${id}`)
    h.claudeLogin(dir, { token: token(id) })
    return { provider: 'claude', id, configDir: dir, baseUrl: server.url }
  })
  h.writeConfig({ accounts, refresh: { timeoutSeconds: 2 }, ...extraConfig })
  server.requests.length = 0
  server.on(USAGE, (req) => {
    const id = Object.keys(current).find((k) => req.headers.authorization === `Bearer ${token(k)}`)
    return (id && current[id]) || { status: 401, body: {} }
  })
  const env: Record<string, string> = { ...h.env, QUOTABAR_NOW: NOW }
  return {
    env,
    set: (id: string, reply: Reply) => {
      current[id] = reply
    },
  }
}

/**
 * Moves an account's last attempt `seconds` back, as if that much time had passed since it was
 * asked: the provider's floor (Claude: 180 s) holds even a "refresh now" until then, and a process
 * on a pinned clock (QUOTABAR_NOW) never gets there by itself. Atomic, as quotabar writes it.
 */
export function backdateAttempt(h: TempHome, key: string, seconds: number): void {
  const file = join(h.cacheDir, 'accounts', `${key.replace('/', '~')}.json`)
  const entry = JSON.parse(readFileSync(file, 'utf8'))
  entry.lastAttemptAt = new Date(Date.parse(entry.lastAttemptAt) - seconds * 1000).toISOString()
  writeFileSync(`${file}.test-tmp`, JSON.stringify(entry))
  renameSync(`${file}.test-tmp`, file)
}

export interface Watch {
  child: ChildProcess
  /** Complete lines so far. */
  lines: string[]
  stderr: () => string
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  waitLines(n: number, what?: string): Promise<void>
}

export function spawnWatch(
  args: string[],
  env: Record<string, string>,
  stdin: 'pipe' | 'ignore' = 'ignore',
): Watch {
  const child = spawn(process.execPath, [BIN, 'watch', ...args], { env, stdio: [stdin, 'pipe', 'pipe'] })
  const lines: string[] = []
  let partial = ''
  let stderr = ''
  child.stdout?.on('data', (d) => {
    const parts = (partial + d).split('\n')
    partial = parts.pop() ?? ''
    lines.push(...parts)
  })
  child.stderr?.on('data', (d) => {
    stderr += d
  })
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  )
  return {
    child,
    lines,
    stderr: () => stderr,
    exit,
    waitLines: (n, what = `${n} line(s)`) =>
      waitFor(() => lines.length >= n, `${what}; got ${JSON.stringify(lines)} ${stderr}`, 10_000),
  }
}
