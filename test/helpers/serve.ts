import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { BIN } from './cli.js'

/** A long-running `quotabar serve` spawned from the built binary, as systemd would run it. */
export interface Served {
  url: string
  port: number
  child: ChildProcess
  stderr(): string
  /** Sends the signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export function startServe(args: string[], env: Record<string, string>, timeoutMs = 10_000): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    let exited: number | null | undefined
    const exit = new Promise<number | null>((r) =>
      child.on('exit', (code) => {
        exited = code
        r(code)
      }),
    )
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`quotabar serve did not start: ${stderr}`))
    }, timeoutMs)
    child.stderr?.on('data', (d) => {
      stderr += d
      const m = /listening on (http:\/\/\S+):(\d+)\/metrics/.exec(stderr)
      if (!m) return
      clearTimeout(timer)
      const port = Number(m[2])
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        child,
        stderr: () => stderr,
        stop: (signal = 'SIGTERM') => {
          if (exited === undefined) child.kill(signal)
          return exit
        },
      })
    })
    child.on('error', reject)
    exit.then((code) => {
      clearTimeout(timer)
      reject(new Error(`quotabar serve exited with ${code}: ${stderr}`))
    })
  })
}

/** A TCP port that was free a moment ago (for programs that cannot report the one they picked). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      s.close(() => resolve(port))
    })
  })
}
