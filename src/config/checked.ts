import { readFileSync, statSync } from 'node:fs'
import { joinPath } from './paths.js'
import { writeFileAtomic } from '../cache/store.js'
import { VERSION } from '../version.js'
import type { Settings } from './accounts.js'

/**
 * Validating the config needs zod, which costs more than the whole render budget. So the validated
 * result is remembered next to the cache, keyed by the file's identity (path, inode, size, mtime,
 * ctime) and by the quotabar version that validated it; the render path re-validates only when
 * the file changed or quotabar did (another schema, other defaults, another Settings shape).
 */
interface CheckedFile {
  version: string
  path: string
  stamp: string
  settings: Settings
}

export type FastConfig =
  | { kind: 'missing' }
  | { kind: 'checked'; settings: Settings }
  | { kind: 'unchecked'; stamp: string }

export function fileStamp(path: string): string | null {
  try {
    // No exception for a missing file (the common answer for a login or state file): it costs.
    const s = statSync(path, { throwIfNoEntry: false })
    return s ? `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}` : null
  } catch {
    return null
  }
}

export const checkedPath = (cacheDir: string) => joinPath(cacheDir, 'config-checked.json')

export function readCheckedConfig(configFile: string, cacheDir: string): FastConfig {
  const stamp = fileStamp(configFile)
  if (stamp === null) return { kind: 'missing' }
  try {
    const checked = JSON.parse(readFileSync(checkedPath(cacheDir), 'utf8')) as CheckedFile
    if (
      checked.version === VERSION &&
      checked.path === configFile &&
      checked.stamp === stamp &&
      checked.settings
    ) {
      return { kind: 'checked', settings: checked.settings }
    }
  } catch {}
  return { kind: 'unchecked', stamp }
}

export function writeCheckedConfig(
  configFile: string,
  cacheDir: string,
  stamp: string,
  settings: Settings,
): void {
  try {
    writeFileAtomic(
      checkedPath(cacheDir),
      JSON.stringify({ version: VERSION, path: configFile, stamp, settings } satisfies CheckedFile),
    )
  } catch {
    // An unwritable cache dir only costs speed: the next render validates again.
  }
}
