import { join } from 'node:path'
import { resolvePaths } from '../config/paths.js'
import { debug } from '../debug.js'
import { requireBinBundle } from './bin-cache.js'

/**
 * The `quotabar` bin: a few lines that load the dispatcher and cached render (fast.cjs, built from
 * ./fast.ts) through V8's code cache (./bin-cache.ts) and run it. Everything else lives there.
 */

declare const __QUOTABAR_FAST__: string | undefined

type Fast = typeof import('./fast.js')

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
