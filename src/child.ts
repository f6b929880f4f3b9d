/**
 * node:child_process (with net, dgram and streams behind it) is fetched when a program first runs,
 * not when this module loads: a refresh or the hook that runs nothing does not pay ~2 ms for it.
 */
const childProcess = () => process.getBuiltinModule('node:child_process')
import type { Env } from './config/paths.js'

/**
 * The one way quotabar runs another program (a `command` provider's script, `apiKeyCommand`, a
 * notification hook, notify-send, tmux): in its own process group, with a timeout that kills the
 * whole group (SIGKILL: a trapped SIGTERM must not keep a refresh waiting), a cap on stdout, and
 * pipes that are let go a moment after the program exits, so a background child that inherited
 * them (`sh -c 'x & exit'`) never holds the caller past the program's own end.
 */

export interface Ran {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  /** The first few KiB of stderr when `stderr: 'keep'`. */
  stderr: string
  /** Why it did not finish on its own: the timeout, too much output, or it could not start. */
  failure: 'timeout' | 'too-large' | 'spawn' | null
  spawnError: NodeJS.ErrnoException | null
}

export interface RunBoundedOptions {
  env: Env
  cwd?: string
  /** Fed on stdin (then closed); without it stdin is /dev/null. */
  input?: string
  timeoutMs: number
  maxBytes: number
  stderr?: 'keep' | 'inherit' | 'ignore'
  /**
   * Kill what the program left running once it exits (a `command` script's children must not
   * outlive it). Without it they are only let go: a hook may start a long-lived helper.
   */
  killLeftovers?: boolean
}

const STDERR_KEEP = 4096
// How long a background child may keep the pipes open after the program exits before we stop reading.
const DRAIN_MS = 250

export function runBounded(file: string, args: string[], o: RunBoundedOptions): Promise<Ran> {
  return new Promise((resolve) => {
    const out: Buffer[] = []
    let outBytes = 0
    let stderr = ''
    let failure: Ran['failure'] = null
    let spawnError: NodeJS.ErrnoException | null = null
    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null }
    let settled = false
    const child = childProcess().spawn(file, args, {
      cwd: o.cwd,
      env: o.env,
      stdio: [
        o.input === undefined ? 'ignore' : 'pipe',
        'pipe',
        o.stderr === 'keep' ? 'pipe' : (o.stderr ?? 'ignore'),
      ],
      detached: true,
    })
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {}
    }
    const settle = () => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      child.stdout?.destroy()
      child.stderr?.destroy()
      child.stdin?.destroy()
      child.unref()
      resolve({ ...exit, stdout: Buffer.concat(out).toString('utf8'), stderr, failure, spawnError })
    }
    const timer = setTimeout(() => {
      failure ??= 'timeout'
      killGroup()
      settle()
    }, o.timeoutMs)
    child.stdout?.on('data', (chunk: Buffer) => {
      outBytes += chunk.length
      if (outBytes > o.maxBytes) {
        failure ??= 'too-large'
        killGroup()
        settle()
        return
      }
      out.push(chunk)
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk.toString('utf8')
    })
    child.on('error', (err: NodeJS.ErrnoException) => {
      failure ??= 'spawn'
      spawnError = err
      settle()
    })
    child.on('exit', (code, signal) => {
      exit = { code, signal }
      if (o.killLeftovers) killGroup()
      setTimeout(settle, DRAIN_MS).unref()
    })
    child.on('close', settle)
    if (child.stdin) {
      // A program that does not read its stdin must not take us down with EPIPE.
      child.stdin.on('error', () => {})
      child.stdin.end(o.input ?? '')
    }
  })
}
