import { chmodSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { CommandError } from '../model.js'

/**
 * `--output FILE`: replaces FILE atomically (temp file in the same directory, then rename), so a
 * reader such as node_exporter's textfile collector never sees half a file. The temp name does not
 * end in `.prom`, so the collector ignores it. Prometheus text is readable by all (0644, whatever
 * the umask: node_exporter runs as its own user); other formats may carry emails and stay 0600.
 */
export function writeOutputFile(path: string, format: string, text: string): void {
  const mode = format === 'prometheus' ? 0o644 : 0o600
  const tmp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  )
  try {
    writeFileSync(tmp, text, { mode })
    chmodSync(tmp, mode)
    renameSync(tmp, path)
  } catch (err) {
    try {
      unlinkSync(tmp)
    } catch {}
    const code = (err as NodeJS.ErrnoException).code ?? String(err)
    const fix =
      code === 'ENOENT'
        ? ` (does ${dirname(path)} exist?)`
        : code === 'EACCES'
          ? ` (is ${dirname(path)} writable?)`
          : ''
    throw new CommandError(`cannot write ${path}: ${code}${fix}`)
  }
}
