import { readSync } from 'node:fs'

/** Reads `buf.length` bytes of `fd` from `at` on, fewer only at the end of the file; how many it read. */
export function readAt(fd: number, buf: Uint8Array, at: number): number {
  let n = 0
  while (n < buf.length) {
    const got = readSync(fd, buf, n, buf.length - n, at + n)
    if (got === 0) break
    n += got
  }
  return n
}
