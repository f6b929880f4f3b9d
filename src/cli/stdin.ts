import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'

/**
 * All of stdin as text, for a caller that must not hang: a terminal gives '', and whatever came
 * within `timeoutMs` is the answer when nobody closes the pipe. Bytes past `limit` are dropped.
 *
 * `process.stdin` builds a net.Socket for a pipe or a socket: loading node:net and the stream
 * machinery for it was the largest single cost of a Claude Code status-line redraw (~2-4 ms of
 * ~45, measured A/B). So stdin is read with plain reads, polled on a short timer while empty: a
 * Linux pipe (a shell's `|`) through its own non-blocking open (/proc/self/fd/0, which leaves the
 * writer's side as it was), a socket (what a Node parent such as Claude Code spawns us with) made
 * non-blocking as net.Socket would make it. A blocking read on the thread pool would not do, as
 * Node's exit waits for it. A regular file is read as it is; anything else (a terminal, a pipe on
 * other systems) goes through `process.stdin` as before.
 */
export function readStdin(timeoutMs: number, limit: number): Promise<string> {
  // No node:tty for a terminal check: it loads node:net, the very cost avoided here.
  let fd = -1
  try {
    const stat = fstatSync(0)
    if (stat.isFile()) fd = 0
    else if (stat.isFIFO() && process.platform === 'linux')
      fd = openSync('/proc/self/fd/0', constants.O_RDONLY | constants.O_NONBLOCK)
    else if (stat.isSocket() && setNonBlocking(0)) fd = 0
  } catch {
    fd = -1
  }
  return fd < 0 ? viaStream(timeoutMs, limit) : viaReads(fd, timeoutMs, limit)
}

/** The one piece of node:net's pipe handle a socket needs here (Node's internal binding, untyped). */
interface PipeBinding {
  Pipe: new (type: number) => { open(fd: number): number | undefined }
  constants: { SOCKET: number }
}

/**
 * O_NONBLOCK on the socket stdin a Node parent (Claude Code) spawns us with, so plain reads poll
 * it: what net.Socket does to it, through the same pipe handle, without loading node:net. libuv
 * never closes fds 0-2, and Node puts stdio's flags back as they were at exit. Other systems'
 * Node may lack the binding: then the stream path.
 */
function setNonBlocking(fd: number): boolean {
  const quiet = process.noDeprecation
  try {
    // process.binding warns (DEP0111) under --pending-deprecation only; stderr is no place for it here.
    process.noDeprecation = true
    const binding = (process as unknown as { binding(name: string): PipeBinding }).binding('pipe_wrap')
    return !new binding.Pipe(binding.constants.SOCKET).open(fd)
  } catch {
    return false
  } finally {
    process.noDeprecation = quiet
  }
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
    // A new buffer only once a read has filled part of this one: an empty poll allocates nothing.
    let buf = Buffer.allocUnsafe(1 << 16)
    const drain = () => {
      for (;;) {
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
        if (size <= limit) {
          chunks.push(buf.subarray(0, n))
          buf = Buffer.allocUnsafe(1 << 16)
        }
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
