import { resolve } from 'node:path'

/** `~/.claude/` and `/home/u/./.claude` name the same directory: path arithmetic, no stat. */
export function samePath(a: string, b: string): boolean {
  return resolve(a) === resolve(b)
}
