import { spawn } from 'node:child_process'
import type { Env } from '../../config/paths.js'
import type { ErrorInfo } from '../../model.js'

/**
 * Runs the user's script: argv without a shell (spawn, as execFile would, but in its own process
 * group so a timeout can kill whatever the script started), a timeout, and a cap on stdout.
 */

export const MAX_OUTPUT_BYTES = 256 * 1024
const STDERR_KEEP = 4096
// A background child may keep the pipes open after the script exits; stop waiting for it then.
const DRAIN_MS = 250

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

export function runCommand(argv: string[], name: string, options: RunOptions): Promise<RunResult> {
  const [file = '', ...args] = argv
  const max = options.maxBytes ?? MAX_OUTPUT_BYTES
  return new Promise((resolve) => {
    let done = false
    const out: Buffer[] = []
    let outBytes = 0
    let stderr = ''
    let failure: RunResult | null = null
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    // SIGKILL to the whole group: the script had its full time, and a trapped SIGTERM or a child
    // holding stdout open must not keep the refresh waiting.
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {}
    }
    const finish = (r: RunResult) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve(r)
    }
    const timer = setTimeout(() => {
      failure ??= fail(
        'timeout',
        `${name} did not finish in ${options.timeoutMs / 1000}s`,
        'make the script faster or raise timeoutSeconds',
      )
      killGroup()
    }, options.timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length
      if (outBytes > max) {
        failure ??= fail(
          'schema',
          `${name} printed more than ${Math.round(max / 1024)} KiB`,
          'print one JSON object only',
        )
        killGroup()
        return
      }
      out.push(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8')
    })
    child.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? 'not found' : err.code === 'EACCES' ? 'not executable' : err.code
      const fix =
        err.code === 'EACCES'
          ? `chmod +x ${file}`
          : 'check the account\'s "command" (an absolute path, or a program on PATH)'
      finish(fail('config', `cannot run ${name}: ${file} ${why ?? 'failed to start'}`, fix))
    })
    child.on('exit', () => {
      setTimeout(() => {
        child.stdout.destroy()
        child.stderr.destroy()
      }, DRAIN_MS).unref()
    })
    child.on('close', (code, signal) => {
      if (failure) return finish(failure)
      if (signal) return finish(fail('http', `${name} was killed by ${signal}`, null))
      if (code !== 0) {
        const said = firstLine(stderr)
        return finish(
          fail(
            'http',
            `${name} exited with code ${code}${said ? `: ${said}` : ''}`,
            'run the command in a terminal to see why',
          ),
        )
      }
      finish({ ok: true, stdout: Buffer.concat(out).toString('utf8') })
    })
  })
}
