import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { join } from 'node:path'
import type { Env } from '../config/paths.js'

/** Running the helpers quotabar may call (notify-send, tmux, polybar-msg, the user's hook). */

/** The first executable `name` on PATH, or null: a missing helper is skipped, not an error. */
export function findOnPath(name: string, env: Env): string | null {
  for (const dir of (env.PATH ?? '').split(':')) {
    if (!dir) continue
    const file = join(dir, name)
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {}
  }
  return null
}

export interface RunResult {
  code: number | null
  stdout: string
  error: string | null
}

/**
 * Runs argv without a shell, feeds `input` on stdin, collects stdout (capped), kills it after the
 * timeout. Its stdout never reaches ours (that belongs to the bar); its stderr only when asked.
 */
export function runCommand(
  argv: string[],
  opts: { env: Env; input?: string; timeoutMs: number; stderr?: 'inherit' | 'ignore' },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv
    if (!cmd) return resolve({ code: null, stdout: '', error: 'empty command' })
    let stdout = ''
    let settled = false
    const done = (r: RunResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(r)
    }
    const child = spawn(cmd, args, { env: opts.env, stdio: ['pipe', 'pipe', opts.stderr ?? 'ignore'] })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      done({ code: null, stdout, error: `timed out after ${opts.timeoutMs} ms` })
    }, opts.timeoutMs)
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 65_536) stdout += d.toString()
    })
    child.on('error', (err) => done({ code: null, stdout, error: err.message }))
    child.on('close', (code) => done({ code, stdout, error: code === 0 ? null : `exit ${code}` }))
    // A hook that does not read its stdin must not take us down with EPIPE.
    child.stdin.on('error', () => {})
    child.stdin.end(opts.input ?? '')
  })
}
