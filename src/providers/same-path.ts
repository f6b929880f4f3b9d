import { resolve } from 'node:path'
import { isNormalAbsolute } from '../config/paths.js'

/** `~/.claude/` and `/home/u/./.claude` name the same directory: path arithmetic, no stat. */
export function samePath(a: string, b: string): boolean {
  return a === b || normal(a) === normal(b)
}

// The render checks every account: a path that is its own `resolve` skips resolve's string work.
const normal = (p: string) => (isNormalAbsolute(p) ? p : resolve(p))
