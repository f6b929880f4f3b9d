import { resolve } from 'node:path'

/** `~/.claude/` and `/home/u/./.claude` name the same directory: path arithmetic, no stat. */
export function samePath(a: string, b: string): boolean {
  return a === b || normal(a) === normal(b)
}

// An absolute path without empty, `.` or `..` segments nor a trailing slash is its own `resolve`:
// the render checks every account, and `resolve` is string work for each.
const ODD_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/
const normal = (p: string) => (p === '/' || (p[0] === '/' && !ODD_SEGMENT.test(p.slice(1))) ? p : resolve(p))
