import { writeSync } from 'node:fs'
import { join } from 'node:path'
import { resolvePaths } from '../config/paths.js'
import { debug } from '../debug.js'
import { VERSION } from '../version.js'
import { requireBinBundle } from './bin-cache.js'

/**
 * The `quotabar` bin: a few lines that load the dispatcher and cached render (fast.cjs, built from
 * ./fast.ts) through V8's code cache (./bin-cache.ts) and run it. Everything else lives there.
 */

declare const __QUOTABAR_FAST__: string | undefined

type Fast = typeof import('./fast.js')

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // What yargs would print for a lone --version, before anything loads (fast.cjs would double it).
  writeSync(1, `${VERSION}\n`)
} else {
  let rendered = false
  const fast = requireBinBundle(
    join(__dirname, 'fast.cjs'),
    typeof __QUOTABAR_FAST__ === 'string' ? __QUOTABAR_FAST__ : undefined,
    resolvePaths(process.env).cacheDir,
    () => rendered,
  )
  debug(`bin cache fast.cjs: ${fast.cache}`)
  ;(fast.exports as Fast).main(__filename, () => {
    rendered = true
  })
}
