import type { ErrorInfo } from '../model.js'
import { closeSync, constants, fstatSync, openSync, type Stats } from 'node:fs'
import { readAt } from '../read-at.js'

/** What the adapters share for reading other tools' login files (read-only, never written). */

/** Login files are a few KiB; Claude Code's `.claude.json` (identity, project history) grows to MBs. */
export const LOGIN_FILE_MAX_BYTES = 64 * 1024 * 1024

const kindOf = (st: Stats) =>
  st.isDirectory()
    ? 'a directory'
    : st.isFIFO()
      ? 'a FIFO'
      : st.isCharacterDevice() || st.isBlockDevice()
        ? 'a device'
        : st.isSocket()
          ? 'a socket'
          : 'not a regular file'

/**
 * The one way a login or credentials file is read: opened without blocking (a FIFO with no
 * writer, a tty), checked to be a regular file after the open (no race with a swap), and capped
 * in size. Throws like readFileSync, with `code` ENOENT, EACCES, ... or, for a FIFO, a device or
 * a directory, a `code` that says what it is (`a FIFO, not a regular file`), so callers' usual
 * "cannot read FILE (CODE)" is a clear refusal.
 */
export function readLoginFile(file: string, maxBytes = LOGIN_FILE_MAX_BYTES): string {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY)
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw refusal(`${kindOf(st)}, not a regular file`)
    if (st.size > maxBytes) throw refusal(`larger than ${Math.round(maxBytes / 1024)} KiB`)
    const buf = Buffer.alloc(st.size)
    return buf.subarray(0, readAt(fd, buf, 0)).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

function refusal(code: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(code)
  err.code = code
  return err
}

/** A login reader's answer: the login, or the account's error (with its fingerprint when known). */
export type LoginRead<T> =
  | { ok: true; login: T }
  | { ok: false; error: ErrorInfo; fingerprint: string | null }

/** A JSON file's content, or null when it is missing, unreadable, not a regular file or not JSON. */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readLoginFile(file))
  } catch {
    return null
  }
}

/**
 * The payload of a JWT, base64url-decoded and read by `read` (a hand check); null when the token
 * is not a JWT or its payload does not fit. The signature is not checked: claims name who is
 * logged in and when the token expires, they are never trusted for access.
 */
export function jwtClaims<T>(
  token: string | null | undefined,
  read: (payload: unknown) => T | null,
): T | null {
  const part = token?.split('.')[1]
  if (!part) return null
  try {
    return read(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')))
  } catch {
    return null
  }
}
