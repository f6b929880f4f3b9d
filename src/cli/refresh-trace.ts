import { appendFileSync } from 'node:fs'
import type { Env } from '../config/paths.js'

/**
 * `QUOTABAR_REFRESH_TRACE=FILE`: the detached refresh appends `start PID` when it begins and
 * `exit PID` when its process exits, after its notifications and nudges. Its stdio goes nowhere,
 * so this is how a test (or a puzzled user) learns that one ran and that it is over. Unset, it
 * costs one environment lookup in the refresh process, nothing on the render path.
 */
export function traceRefresh(env: Env): void {
  const file = env.QUOTABAR_REFRESH_TRACE
  if (!file) return
  const mark = (what: string) => {
    try {
      appendFileSync(file, `${what} ${process.pid}\n`)
    } catch {}
  }
  mark('start')
  process.on('exit', () => mark('exit'))
}
