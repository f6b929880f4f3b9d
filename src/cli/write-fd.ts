import { writeSync } from 'node:fs'

/** Synchronous writes: no stream set-up on the render path, and nothing lost at exit. */
export function writeFd(fd: 1 | 2, text: string): void {
  // Usually one call does it: Node encodes a string itself for less than Buffer.from costs first
  // (~60 µs of a render measured). What a full pipe left unwritten goes on from the bytes.
  let off = 0
  try {
    off = writeSync(fd, text)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err
  }
  if (off === Buffer.byteLength(text)) return
  const buf = Buffer.from(text)
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off)
    } catch (err) {
      // A non-blocking pipe that is full: wait a moment and go on.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5)
    }
  }
}
