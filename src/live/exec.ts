import { accessSync, constants } from 'node:fs'
import { join } from 'node:path'
import { runBounded } from '../child.js'
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
 * Runs argv without a shell, feeds `input` on stdin, collects stdout (capped), kills its process
 * group after the timeout and lets go of what it left running once it exits (runBounded). Its
 * stdout never reaches ours (that belongs to the bar); its stderr only when asked.
 */
export async function runCommand(
  argv: string[],
  opts: { env: Env; input?: string; timeoutMs: number; stderr?: 'inherit' | 'ignore' },
): Promise<RunResult> {
  const [cmd, ...args] = argv
  if (!cmd) return { code: null, stdout: '', error: 'empty command' }
  const r = await runBounded(cmd, args, {
    env: opts.env,
    input: opts.input ?? '',
    timeoutMs: opts.timeoutMs,
    maxBytes: 65_536,
    stderr: opts.stderr ?? 'ignore',
  })
  const error =
    r.failure === 'timeout'
      ? `timed out after ${opts.timeoutMs} ms`
      : r.failure === 'spawn'
        ? (r.spawnError?.message ?? 'cannot start')
        : r.failure === 'too-large'
          ? 'printed too much'
          : r.code === 0
            ? null
            : `exit ${r.code ?? r.signal}`
  return { code: r.code, stdout: r.stdout, error }
}
