import { writeSync } from 'node:fs'
import type { ErrorInfo } from '../model.js'
import { DEFAULT_COLORS } from '../render/palette.js'
import { type Format, renderers } from '../render/index.js'

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

/** A bar must always get one valid line: this renders a problem in the requested format. */
export function renderProblem(format: Format, problem: ErrorInfo, now: Date) {
  const view = {
    generatedAt: now.toISOString(),
    accounts: [],
    thresholds: { warning: 70, critical: 90 },
    problem,
  }
  return renderers[format](view, { colors: DEFAULT_COLORS, providerNames: {} })
}

/** Starts `quotabar __refresh` detached, so a bar's render returns at once. */
export function spawnRefresh(
  bin: string,
  keys: string[],
  token: string,
  configFile: string | null,
): number | null {
  const args = [bin, '__refresh', '--token', token, ...(configFile ? ['--config', configFile] : []), ...keys]
  // Loaded here, not at the top: only a render with stale data pays for child_process.
  const { spawn } = require('node:child_process') as typeof import('node:child_process')
  const child = spawn(process.execPath, args, { detached: true, stdio: 'ignore' })
  child.on('error', () => {})
  child.unref()
  return child.pid ?? null
}
