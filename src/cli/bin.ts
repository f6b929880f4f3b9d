import { writeSync } from 'node:fs'
import { join } from 'node:path'
import { clockFrom, resolvePaths } from '../config/paths.js'
import { debug, debugEnabled } from '../debug.js'
import { VERSION } from '../version.js'
import { requireBinBundle } from './bin-cache.js'
import { memoHit, memoKey } from './render-memo.js'
import { RenderRecord, recordingRequire } from './render-record.js'
import { writeFd } from './write-fd.js'

/**
 * The `quotabar` bin: a few lines that print a render's memo when it still holds
 * (./render-memo.ts), or else load the dispatcher and cached render (fast.cjs, built from
 * ./fast.ts) through V8's code cache (./bin-cache.ts) and run it. Everything else lives there.
 */

declare const __QUOTABAR_FAST__: string | undefined

type Fast = typeof import('./fast.js')

function workingDir(): string | null {
  try {
    return process.cwd()
  } catch {
    return null
  }
}

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // What yargs would print for a lone --version, before anything loads (fast.cjs would double it).
  writeSync(1, `${VERSION}\n`)
} else {
  const build = typeof __QUOTABAR_FAST__ === 'string' ? __QUOTABAR_FAST__ : undefined
  const { cacheDir } = resolvePaths(process.env)
  // DEBUG=quotabar traces a real render; a dev build (no hash) could not tell its memos apart;
  // a working directory removed since the bar started has no name to key relative paths by.
  const cwd = workingDir()
  const key = build && cwd !== null && !debugEnabled() ? memoKey(argv, cwd, build) : null
  const hit = key ? memoHit(cacheDir, key, process.env, clockFrom(process.env)().getTime()) : null
  if (hit) {
    writeFd(1, `${hit.out}\n`)
    process.exit(hit.code)
  }
  let rendered = false
  const memo = key ? { record: new RenderRecord(), key, cacheDir, require } : undefined
  const fast = requireBinBundle(
    join(__dirname, 'fast.cjs'),
    build,
    cacheDir,
    () => rendered,
    memo && recordingRequire(memo.record, require),
  )
  debug(`bin cache fast.cjs: ${fast.cache}`)
  ;(fast.exports as Fast).main(
    __filename,
    () => {
      rendered = true
    },
    memo,
  )
}
