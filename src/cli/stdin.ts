import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'

/**
 * All of stdin as text, for a caller that must not hang: a terminal gives '', and whatever came
 * within `timeoutMs` is the answer when nobody closes the pipe. Bytes past `limit` are dropped.
 *
 * `process.stdin` builds a net.Socket for a pipe: loading node:net and the stream machinery for
 * it was the largest single cost of a Claude Code status-line redraw (~4 ms of ~40, measured).
 * So on Linux a pipe is read with plain reads of its own non-blocking open (/proc/self/fd/0, which
 * leaves the writer's side as it was), polled on a short timer while empty; a blocking read on
 * the thread pool would not do, as Node's exit waits for it. A regular file is read as it is;
 * anything else (a terminal, other systems, sockets) goes through `process.stdin` as before.
 */
export function readStdin(timeoutMs: number, limit: number): Promise<string> {
  // No node:tty for a terminal check: it loads node:net, the very cost avoided here.
  let fd = -1
  try {
    const stat = fstatSync(0)
    if (stat.isFile()) fd = 0
    else if (stat.isFIFO() && process.platform === 'linux')
      fd = openSync('/proc/self/fd/0', constants.O_RDONLY | constants.O_NONBLOCK)
  } catch {
    fd = -1
  }
  return fd < 0 ? viaStream(timeoutMs, limit) : viaReads(fd, timeoutMs, limit)
}

/** How often an empty pipe is looked at again. */
const POLL_MS = 2

function viaReads(fd: number, timeoutMs: number, limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  const deadline = Date.now() + timeoutMs
  const done = () => {
    if (fd !== 0) closeSync(fd)
    return Buffer.concat(chunks).toString('utf8')
  }
  return new Promise((resolve) => {
    const drain = () => {
      for (;;) {
        const buf = Buffer.allocUnsafe(1 << 16)
        let n: number
        try {
          n = readSync(fd, buf, 0, buf.length, null)
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return resolve(done())
          // Nothing yet and the writer still has it open: look again in a moment.
          if (Date.now() >= deadline) return resolve(done())
          setTimeout(drain, POLL_MS)
          return
        }
        if (n === 0) return resolve(done())
        size += n
        if (size <= limit) chunks.push(buf.subarray(0, n))
      }
    }
    drain()
  })
}

function viaStream(timeoutMs: number, limit: number): Promise<string> {
  if (process.stdin.isTTY) return Promise.resolve('')
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const finish = () => {
      clearTimeout(timer)
      process.stdin.removeAllListeners()
      process.stdin.destroy()
      resolve(Buffer.concat(chunks).toString('utf8'))
    }
    const timer = setTimeout(finish, timeoutMs)
    process.stdin.on('data', (d: Buffer) => {
      size += d.length
      if (size <= limit) chunks.push(d)
    })
    process.stdin.on('end', finish)
    process.stdin.on('error', finish)
  })
}
