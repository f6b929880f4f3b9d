import { entryPath, readEntry } from '../cache/store.js'
import { checkedPath, fileStamp } from '../config/checked.js'
import { resolvePaths } from '../config/paths.js'
import type { CacheEntry } from '../model.js'
import { type Loaded, loadSettings, type StatusReads } from '../status.js'
import { choicePath, readChoice, type ViewChoice } from './choice.js'

/**
 * A render's reads for a process that renders again and again (`watch`): each answer is kept
 * while the files it came from keep their stamps (inode, size, mtime, ctime; every quotabar write
 * is a rename, so a new inode), and read again as soon as one changes. A render then costs a stat
 * per file instead of a read, a JSON parse and a check per file: most of what a line cost beyond
 * drawing it, in a process whose code mostly stays unoptimised (a line every few seconds never
 * makes it hot).
 *
 * Settings are kept only when there is a config file: what it gives (its validated copy beside the
 * cache, config/checked.ts, or the problem it has) depends on its text alone. Without one they are
 * the providers' defaults, which depend on which login files exist, and are read every time.
 */
export function keptReads(): StatusReads {
  let settings: { stamps: string; loaded: Loaded } | null = null
  const entries = new Map<string, { stamp: string | null; entry: CacheEntry | null }>()
  let choice: { stamp: string | null; value: ViewChoice } | null = null
  return {
    settings(req, deps) {
      const paths = resolvePaths(deps.env, req.config)
      const config = fileStamp(paths.configFile)
      // Taken before the load: a config validated now writes its checked copy, and the next
      // render, seeing that copy's new stamp, loads once more (from the copy) and keeps that.
      const stamps = `${config}|${fileStamp(checkedPath(paths.cacheDir))}`
      if (settings?.stamps === stamps) return settings.loaded
      const loaded = loadSettings(req, deps)
      settings = config !== null ? { stamps, loaded } : null
      return loaded
    },
    entry(cacheDir, key) {
      const path = entryPath(cacheDir, key)
      const stamp = fileStamp(path)
      const held = entries.get(path)
      if (held && held.stamp === stamp) return held.entry
      // Read after the stat: a file replaced in between is kept under the older stamp, so the
      // next render reads it again.
      const entry = stamp === null ? null : readEntry(cacheDir, key)
      entries.set(path, { stamp, entry })
      return entry
    },
    choice(stateDir) {
      const stamp = fileStamp(choicePath(stateDir))
      if (choice?.stamp === stamp) return choice.value
      const value = readChoice(stateDir)
      choice = { stamp, value }
      return value
    },
  }
}
