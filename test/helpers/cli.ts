import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

export const BIN = join(import.meta.dirname, '..', '..', 'dist', 'quotabar.cjs')

export interface RunResult {
  stdout: string
  stderr: string
  code: number | null
}

/** Spawns the built binary as a bar would: no stdin, the given environment only. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
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
