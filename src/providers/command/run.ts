import { runBounded } from '../../child.js'
import type { Env } from '../../config/paths.js'
import type { ErrorInfo } from '../../model.js'

/**
 * Runs the user's script: argv without a shell, through runBounded (its own process group, killed
 * whole at the timeout and when the script exits), and a cap on stdout.
 */

export const MAX_OUTPUT_BYTES = 256 * 1024

export type RunResult = { ok: true; stdout: string } | { ok: false; error: ErrorInfo }

export interface RunOptions {
  env: Env
  cwd: string
  timeoutMs: number
  maxBytes?: number
}

const fail = (kind: ErrorInfo['kind'], message: string, fix: string | null): RunResult => ({
  ok: false,
  error: { kind, message, fix, httpStatus: null },
})

/** The first line of stderr, without control characters and cut short: enough to say what broke. */
export function firstLine(stderr: string, max = 200): string {
  const line = (stderr.split(/\r?\n/).find((l) => l.trim()) ?? '').replace(
    /[\u0000-\u001f\u007f-\u009f]+/g,
    ' ',
  )
  const t = line.trim()
  return t.length > max ? `${t.slice(0, max - 1)}…` : t
}

export async function runCommand(argv: string[], name: string, options: RunOptions): Promise<RunResult> {
  const [file = '', ...args] = argv
  const max = options.maxBytes ?? MAX_OUTPUT_BYTES
  // Its children do not outlive it: whatever the script left running is killed when it exits.
  const r = await runBounded(file, args, {
    env: options.env,
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
    maxBytes: max,
    stderr: 'keep',
    killLeftovers: true,
  })
  if (r.failure === 'spawn') {
    const code = r.spawnError?.code
    const why = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : code
    const fix =
      code === 'EACCES'
        ? `chmod +x ${file}`
        : 'check the account\'s "command" (an absolute path, or a program on PATH)'
    return fail('config', `cannot run ${name}: ${file} ${why ?? 'failed to start'}`, fix)
  }
  if (r.failure === 'timeout')
    return fail(
      'timeout',
      `${name} did not finish in ${options.timeoutMs / 1000}s`,
      'make the script faster or raise timeoutSeconds',
    )
  if (r.failure === 'too-large')
    return fail(
      'schema',
      `${name} printed more than ${Math.round(max / 1024)} KiB`,
      'print one JSON object only',
    )
  if (r.signal) return fail('http', `${name} was killed by ${r.signal}`, null)
  if (r.code !== 0) {
    const said = firstLine(r.stderr)
    return fail(
      'http',
      `${name} exited with code ${r.code}${said ? `: ${said}` : ''}`,
      'run the command in a terminal to see why',
    )
  }
  return { ok: true, stdout: r.stdout }
}
