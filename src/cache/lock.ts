import {
  accessSync,
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  type Stats,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from './store.js'

/**
 * Single flight across processes: one lock file per account, created with O_EXCL, holding the
 * owner's pid, a token and an expiry. A lock whose owner died or whose expiry passed is taken over,
 * so a crashed refresh never blocks an account for longer than the TTL. A lock file with no valid
 * body (a crash between create and write, a full disk) or that is not a regular file (a symlink)
 * is nobody's lock once it is older than BROKEN_GRACE_MS.
 */
interface LockBody {
  pid: number
  token: string
  expiresAt: number
}

/**
 * How long a lock stands without its owner releasing it. Generous (a command provider may run for
 * two minutes) because a crashed owner is detected by its pid long before this.
 */
export const LOCK_TTL_MS = 300_000

export function lockPath(cacheDir: string, key: string): string {
  return join(cacheDir, 'locks', `${key.replace('/', '~')}.lock`)
}

/** A writer fills its lock right after creating it: a body still missing after this never comes. */
const BROKEN_GRACE_MS = 5000
const MAX_LOCK_BYTES = 4096

function statLock(path: string): Stats | null {
  try {
    return lstatSync(path)
  } catch {
    return null
  }
}

function readLock(path: string): LockBody | null {
  try {
    // Never follow a symlink nor read a FIFO or a device: only our own small regular file.
    const st = lstatSync(path)
    if (!st.isFile() || st.size > MAX_LOCK_BYTES) return null
    const body: unknown = JSON.parse(readFileSync(path, 'utf8'))
    if (typeof body !== 'object' || body === null) return null
    const b = body as Partial<LockBody>
    return typeof b.pid === 'number' && typeof b.token === 'string' && typeof b.expiresAt === 'number'
      ? { pid: b.pid, token: b.token, expiresAt: b.expiresAt }
      : null
  } catch {
    return null
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function isLive(lock: LockBody | null, nowMs: number): boolean {
  return lock !== null && lock.expiresAt > nowMs && isAlive(lock.pid)
}

export function isLocked(cacheDir: string, key: string, nowMs: number): boolean {
  return isLive(readLock(lockPath(cacheDir, key)), nowMs)
}

export function tryLock(cacheDir: string, key: string, token: string, ttlMs: number, nowMs: number): boolean {
  const path = lockPath(cacheDir, key)
  const body = JSON.stringify({ pid: process.pid, token, expiresAt: nowMs + ttlMs } satisfies LockBody)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(join(cacheDir, 'locks'), { recursive: true, mode: 0o700 })
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, body)
      closeSync(fd)
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false
      const held = readLock(path)
      if (held === null) {
        // A half-written lock (no body yet) is someone else's fresh lock: leave it, until it is
        // clearly never going to be written. Its age is the file's, so real time (not `now`).
        const st = statLock(path)
        if (!st || Date.now() - st.mtimeMs < BROKEN_GRACE_MS) return false
        const again = statLock(path)
        if (!again || again.ino !== st.ino || again.mtimeMs !== st.mtimeMs) return false
        try {
          unlinkSync(path)
        } catch {}
        continue
      }
      if (isLive(held, nowMs)) return false
      // Dead or expired: remove it only if it is still the same lock we judged.
      if (readLock(path)?.token !== held.token) return false
      try {
        unlinkSync(path)
      } catch {}
    }
  }
  return false
}

/**
 * Why no lock can be taken in this cache dir at all (read-only HOME, a full disk, a file where
 * the directory should be): the path and the errno, or null when it is writable. Asked only
 * after tryLock failed with nobody holding the lock, so the render path pays nothing normally.
 */
export function lockProblem(cacheDir: string): { path: string; code: string } | null {
  const dir = join(cacheDir, 'locks')
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    accessSync(dir, constants.W_OK)
    return null
  } catch (err) {
    return { path: dir, code: (err as NodeJS.ErrnoException).code ?? 'error' }
  }
}

/** Passes a held lock to another process (the detached refresh) before this one exits. */
export function handOverLock(
  cacheDir: string,
  key: string,
  token: string,
  pid: number,
  ttlMs: number,
  nowMs: number,
) {
  const path = lockPath(cacheDir, key)
  if (readLock(path)?.token !== token) return
  writeFileAtomic(path, JSON.stringify({ pid, token, expiresAt: nowMs + ttlMs } satisfies LockBody))
}

export function releaseLock(cacheDir: string, key: string, token: string): void {
  const path = lockPath(cacheDir, key)
  if (readLock(path)?.token !== token) return
  try {
    unlinkSync(path)
  } catch {}
}
