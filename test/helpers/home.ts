import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeProcesses, processesWith } from './procs.js'

/** A throw-away HOME with XDG dirs, so no test ever reads the real user's files. */
export interface TempHome {
  home: string
  env: Record<string, string>
  configFile: string
  cacheDir: string
  writeConfig(config: unknown): void
  /** Writes `<dir>/.credentials.json` for a Claude login and returns its path. */
  claudeLogin(dir: string, opts?: ClaudeLoginOptions): string
  /** Every file under the cache and state dirs, for secret scans. */
  writtenFiles(): string[]
  cleanup(): void
}

export interface ClaudeLoginOptions {
  token?: string
  expiresAt?: number
  scopes?: string[]
  subscriptionType?: string
  rateLimitTier?: string
  uuid?: string
  email?: string
}

// Far in the future so credentials stay valid whatever the injected clock says.
export const FAR_FUTURE_MS = Date.parse('2030-01-01T00:00:00Z')

const pause = new Int32Array(new SharedArrayBuffer(4))

export function makeHome(): TempHome {
  const home = mkdtempSync(join(tmpdir(), 'quotabar-test-'))
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local/state'),
    TZ: 'UTC',
  }
  const configFile = join(env.XDG_CONFIG_HOME, 'quotabar', 'config.json')
  const walk = (dir: string): string[] => {
    let out: string[] = []
    let names: string[] = []
    try {
      names = readdirSync(dir)
    } catch {
      return out
    }
    for (const n of names) {
      const p = join(dir, n)
      out = statSync(p).isDirectory() ? out.concat(walk(p)) : out.concat(p)
    }
    return out
  }
  return {
    home,
    env,
    configFile,
    cacheDir: join(env.XDG_CACHE_HOME, 'quotabar'),
    writeConfig(config) {
      mkdirSync(join(env.XDG_CONFIG_HOME, 'quotabar'), { recursive: true })
      writeFileSync(configFile, typeof config === 'string' ? config : JSON.stringify(config, null, 2))
    },
    claudeLogin(dir, o = {}) {
      mkdirSync(dir, { recursive: true })
      const file = join(dir, '.credentials.json')
      const oauth = {
        accessToken: o.token ?? 'sk-ant-oat01-test-token-aaaaaaaaaaaaaaaa',
        refreshToken: 'sk-ant-ort01-test-refresh-bbbbbbbbbbbbbbbb',
        expiresAt: o.expiresAt ?? FAR_FUTURE_MS,
        scopes: o.scopes ?? ['user:inference', 'user:profile', 'user:sessions:claude_code'],
        subscriptionType: o.subscriptionType ?? 'max',
        rateLimitTier: o.rateLimitTier ?? 'default_claude_max_5x',
      }
      writeFileSync(
        file,
        JSON.stringify({ claudeAiOauth: oauth, mcpOAuth: { keep: { token: 'x' } } }, null, 2),
        { mode: 0o600 },
      )
      if (o.uuid || o.email) {
        writeFileSync(
          join(dir, '.claude.json'),
          JSON.stringify({ oauthAccount: { accountUuid: o.uuid, emailAddress: o.email } }),
        )
      }
      return file
    },
    writtenFiles: () => [
      ...walk(join(env.XDG_CACHE_HOME, 'quotabar')),
      ...walk(join(env.XDG_STATE_HOME, 'quotabar')),
    ],
    cleanup: () => {
      // A detached refresh may still be writing: wait until no process started with this HOME is
      // alive (on a loaded machine one can finish late) and its locks are gone, then remove it.
      // rmSync's retries back off linearly: 10 of them are 5.5 s at most.
      const locks = join(env.XDG_CACHE_HOME, 'quotabar', 'locks')
      const alive = () => processesWith(`HOME=${home}`)
      const deadline = Date.now() + 15_000
      while (Date.now() < deadline && (alive().length > 0 || walk(locks).length > 0))
        Atomics.wait(pause, 0, 0, 50)
      try {
        rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
      } catch (err) {
        const left = alive()
        throw left.length > 0
          ? new Error(`${home}: still in use by ${describeProcesses(left)}`, { cause: err })
          : err
      }
    },
  }
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'))
}
