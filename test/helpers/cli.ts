import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { expect } from 'vitest'
import { codeCacheFile } from '../../src/cli/bin-cache.js'
import { processesWith } from './procs.js'

export const BIN = join(import.meta.dirname, '..', '..', 'dist', 'quotabar.cjs')

/** Where the built bin keeps the V8 code cache of dist/<name> under `cacheDir`: named by the build hash scripts/build.mjs gives it. */
export function codeCachePath(cacheDir: string, name: string): string {
  const hash = createHash('sha256')
    .update(readFileSync(join(dirname(BIN), name)))
    .digest('hex')
    .slice(0, 16)
  return codeCacheFile(cacheDir, name, hash)
}

export interface RunResult {
  stdout: string
  stderr: string
  code: number | null
}

/** A user and group to run as (a test run as root drops to one: test/helpers/secrets.ts). */
export interface RunAs {
  uid: number
  gid: number
  /** The bin to run, where that user can read it (see copyBin). */
  bin?: string
}

/**
 * The built bundles copied into `dir`, for a user who may not be able to enter the checkout
 * (one under /root); returns the copied bin. They are self-contained, so the copy runs the same.
 */
export function copyBin(dir: string): string {
  const to = join(dir, 'quotabar-dist')
  cpSync(dirname(BIN), to, { recursive: true })
  return join(to, basename(BIN))
}

/** Spawns the built binary as a bar would: no stdin, the given environment only. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 15_000,
  user?: RunAs,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [user?.bin ?? BIN, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user && { uid: user.uid, gid: user.gid }),
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ stdout, stderr, code })
    })
  })
}

/** Waits until `check` holds, polling; fails the test with `what` after the timeout. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * A positive marker for "nothing more will be asked": no refresh holds a lock in the cache dir.
 * Absence checks count requests after this, not after a fixed sleep (a late duplicate would
 * have to come from a refresh that holds the lock while it asks).
 */
export function refreshesSettled(cacheDir: string, timeoutMs = 8000): Promise<void> {
  const locks = join(cacheDir, 'locks')
  const held = () => {
    try {
      return readdirSync(locks).length
    } catch {
      return 0
    }
  }
  return waitFor(() => held() === 0, 'every refresh lock released', timeoutMs)
}

/**
 * The detached refreshes the renders of a test start, as they report themselves through
 * QUOTABAR_REFRESH_TRACE (src/cli/refresh-trace.ts): a line when one starts, one when it exits
 * (after its notifications and nudges). Pass `env` to every command of the test.
 */
export interface RefreshTrace {
  env: { QUOTABAR_REFRESH_TRACE: string }
  started(): number
  exited(): number
  /** Waits until `n` refreshes have started and every one that started has exited. */
  settled(n: number, timeoutMs?: number): Promise<void>
  /**
   * Proof that no refresh started after the `before`-th, without a sleep. Call it once every
   * command the test ran has exited: a process they started is either still alive (and carries
   * this trace in its environment) or gone, and a refresh marks its start before it does anything
   * (and before a render's refresh releases the lock the render handed it). So: nothing alive with
   * this trace, no lock held, and no new start mark means none was started.
   */
  expectNoneSince(before: number): void
}

/** Live processes whose environment holds `entry` (only our own are readable when not root). */
export function refreshTrace(dir: string, cacheDir: string): RefreshTrace {
  const file = join(dir, 'refresh-trace.log')
  const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [])
  const count = (what: string) => lines().filter((l) => l.startsWith(`${what} `)).length
  const held = () => {
    try {
      return readdirSync(join(cacheDir, 'locks'))
    } catch {
      return []
    }
  }
  return {
    env: { QUOTABAR_REFRESH_TRACE: file },
    started: () => count('start'),
    exited: () => count('exit'),
    // `exit` is written from the process's exit handler, while it still runs: settled also waits
    // until it is gone, so a process check right after does not see it.
    settled: (n, timeoutMs) =>
      waitFor(
        () =>
          count('start') === n &&
          count('exit') === n &&
          processesWith(`QUOTABAR_REFRESH_TRACE=${file}`).length === 0,
        `${n} detached refresh(es) started and exited; trace: ${JSON.stringify(lines())}`,
        timeoutMs,
      ),
    expectNoneSince(before) {
      // Processes and locks first: one that is gone or let go has marked its start already.
      expect(processesWith(`QUOTABAR_REFRESH_TRACE=${file}`)).toEqual([])
      expect(held()).toEqual([])
      expect(count('start')).toBe(before)
    },
  }
}

/** Waybar's text without its per-account colour spans: what the reader sees. */
export function waybarText(text: string): string {
  return text.replace(/<\/?span[^>]*>/g, '')
}

/** A Waybar tooltip as one run of readable text: markup gone, wrapped lines joined by spaces. */
export function tooltipText(tooltip: string): string {
  return tooltip
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\n+/g, ' ')
}
