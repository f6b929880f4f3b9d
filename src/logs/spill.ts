import { closeSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { readAt } from '../read-at.js'

/**
 * Where a long scan parks the hashes of the files it has finished (their request keys and message
 * ids, 16 bytes a usage line): they are needed again only to write the scan state, so a cold scan
 * of a dense history holds them on disk, not in memory, and its peak memory stays flat. A temp
 * file in the state's directory, removed as soon as it is open (nothing is left behind, whatever
 * ends the process); read back one file's hashes at a time when the state is written.
 */

/** A file's hashes in the spill: `length` of them, read back on demand. */
export class SpilledHashes {
  constructor(
    private readonly spill: Spill,
    private readonly at: number,
    readonly length: number,
  ) {}

  read(): Float64Array {
    return this.spill.read(this.at, this.length)
  }

  /** The bytes, in a buffer the next call reuses (for writing them out at once). */
  bytes(): Uint8Array {
    return this.spill.readBytes(this.at, this.length * 8)
  }
}

/** A file's hashes, in memory or spilled. */
export type Hashes = Float64Array | SpilledHashes

export const inMemory = (h: Hashes | undefined): Float64Array =>
  h === undefined ? new Float64Array(0) : h instanceof SpilledHashes ? h.read() : h

export class Spill {
  private fd: number | null = null
  private path: string | null = null
  private end = 0
  /** Hashes kept in memory so far: below `after`, `keep` does not touch the disk. */
  private held = 0

  constructor(
    private readonly dir: string,
    private readonly after: number,
  ) {}

  /** `h` as it should be kept: in memory while the scan holds few, else parked on disk. */
  keep(h: Float64Array): Hashes {
    if (h.length === 0 || this.held + h.length <= this.after) {
      this.held += h.length
      return h
    }
    const fd = this.open()
    const bytes = new Uint8Array(h.buffer, h.byteOffset, h.byteLength)
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at, this.end + at)
    const spilled = new SpilledHashes(this, this.end, h.length)
    this.end += bytes.length
    return spilled
  }

  read(at: number, length: number): Float64Array {
    const out = new Float64Array(length)
    this.fill(new Uint8Array(out.buffer), at)
    return out
  }

  /** Reused between calls: a base record of millions of hashes is written without garbage. */
  private scratch = new Uint8Array(0)

  readBytes(at: number, length: number): Uint8Array {
    if (this.scratch.length < length) this.scratch = new Uint8Array(Math.max(length, this.scratch.length * 2))
    const bytes = this.scratch.subarray(0, length)
    this.fill(bytes, at)
    return bytes
  }

  private fill(bytes: Uint8Array, at: number): void {
    const fd = this.fd
    if (fd === null) throw new Error('the spill is closed')
    if (readAt(fd, bytes, at) !== bytes.length) throw new Error('the spill is shorter than recorded')
  }

  private open(): number {
    if (this.fd !== null) return this.fd
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    const path = join(this.dir, `.spill.${process.pid}.${Math.random().toString(36).slice(2)}`)
    this.fd = openSync(path, 'wx+', 0o600)
    this.path = path
    this.unlink()
    return this.fd
  }

  private unlink(): void {
    if (this.path === null) return
    try {
      unlinkSync(this.path)
      this.path = null
    } catch {}
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
    this.unlink()
  }
}
