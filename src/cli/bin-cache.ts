import { accessSync, constants, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { Script } from 'node:vm'
import { pruneStale, writeFileAtomic } from '../cache/store.js'

/**
 * The bin's own code (fast.cjs: the cached render and the command dispatch) through V8's code
 * cache. A bar starts it every few seconds, and compiling it is about 2 ms of a render that may
 * cost only a few ms more than a bare `node -e 0` (design §8). code-cache.ts does the same for the
 * big side bundles, but its SHA-1 needs node:crypto, whose loading alone costs more than the
 * compile saves here (about 4 ms measured), so this cache file carries its own cheap check.
 *
 * V8 checks little more than the source length, and damaged data can crash the process (tried: a
 * segfault), so a file is used only when its header names this very bundle (build hash baked in
 * by scripts/build.mjs, size, Node version, CPU architecture) and it holds the V8 data twice, both
 * copies byte-identical (a native memcmp). A torn, truncated, zero-filled, foreign or otherwise
 * damaged file cannot pass that; it is ignored and written anew. It is written at exit only after
 * a render that showed accounts, so it holds the functions such a render runs, not only those of
 * `--version` or of a "no accounts" line.
 */

const MAGIC = 'QBBIN1\n'
/** scripts/build.mjs writes fast.cjs (and the side bundles) as this function expression, so its text compiles as it is. */
const WRAPPER = '(function (exports, require, module, __filename, __dirname) {'

/**
 * The header of a cache file for bundle `name` of this build (its hash and size), this Node and
 * this CPU architecture; null without a build hash (dev builds). `magic` names the file's layout.
 */
export function cacheHeader(
  magic: string,
  name: string,
  hash: string | undefined,
  size: number,
): string | null {
  return hash ? `${magic}${name} ${hash} ${size} ${process.version} ${process.arch}\n` : null
}

/**
 * A bundle's text compiled, with V8's cached data when there is some. The text is the wrapper Node
 * puts around a CommonJS file (scripts/build.mjs), compiled as it is read: wrapping it here would
 * flatten a second copy in the young heap.
 */
export function compileBundle(file: string, source: string, data: Buffer | undefined): Script {
  if (!source.startsWith(WRAPPER)) throw new Error(`${file} is not a quotabar build (run npm run build)`)
  return new Script(source, { filename: file, cachedData: data })
}

/**
 * Runs a compiled bundle as a CommonJS module and returns its exports. A bundle requires only
 * Node's own modules (esbuild resolved the rest) and, for the side bundles, zod.cjs: `req` serves
 * those (code-cache.ts's bundleRequire, the render's record): createRequire(file) would cost a
 * render ~0.3 ms of module-path set-up.
 */
export function runBundle(
  script: Script,
  file: string,
  req: (id: string) => unknown = require,
): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> }
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void
  wrapper.call(module.exports, module.exports, req, module, file, dirname(file))
  return module.exports
}

/** The V8 data in `bytes`, or null unless the header matches and both copies are identical. */
export function cachedData(bytes: Buffer, head: string): Buffer | null {
  if (bytes.length <= head.length || bytes.toString('latin1', 0, head.length) !== head) return null
  const rest = bytes.length - head.length
  if (rest % 2 !== 0) return null
  const half = head.length + rest / 2
  const first = bytes.subarray(head.length, half)
  return first.equals(bytes.subarray(half)) ? first : null
}

/**
 * The cache file of bundle `name` from build `hash`: one per build, so two installs sharing a cache
 * dir (a global install and a clone's `npm start`) keep one each instead of overwriting each
 * other's at every run.
 */
export function codeCacheFile(cacheDir: string, name: string, hash: string): string {
  return join(cacheDir, 'code', `${name}.${hash}.v8`)
}

const STALE_MS = 30 * 86_400_000

/**
 * Called after writing `file`: the caches other builds left for the same bundle go once untouched
 * for 30 days (an upgrade leaves the old build's behind), and so does the one-file-per-bundle name
 * older versions wrote. A build still in use loses its file at most once a month.
 */
export function pruneOtherBuilds(file: string, name: string): void {
  rmSync(join(dirname(file), `${name}.v8`), { force: true })
  pruneStale(file, STALE_MS, (n) => n.startsWith(`${name}.`) && n.endsWith('.v8'))
}

export interface BinBundle {
  exports: Record<string, unknown>
  /** Whether the code cache was used (for `DEBUG=quotabar`). */
  cache: 'used' | 'rejected by V8' | 'none'
}

/**
 * `require(file)` for the bin's bundle, compiled through the cache in `<cacheDir>/code`; the cache
 * is written at exit when it was not used and `worth()` then says the run was worth keeping.
 * `req` is the `require` the bundle gets (the render's recording one: ./render-record.ts).
 */
export function requireBinBundle(
  file: string,
  hash: string | undefined,
  cacheDir: string,
  worth: () => boolean,
  req?: (id: string) => unknown,
): BinBundle {
  const source = readFileSync(file, 'utf8')
  const name = basename(file)
  const head = cacheHeader(MAGIC, name, hash, source.length)
  const cacheFile = codeCacheFile(cacheDir, name, hash ?? 'dev')
  let data: Buffer | null = null
  if (head) {
    try {
      data = cachedData(readFileSync(cacheFile), head)
    } catch {}
  }
  const script = compileBundle(file, source, data ?? undefined)
  const cache = data === null ? 'none' : script.cachedDataRejected ? 'rejected by V8' : 'used'
  if (head && cache !== 'used')
    process.once('exit', () => worth() && writeCache(script, cacheFile, head, name))
  return { exports: runBundle(script, file, req), cache }
}

function writeCache(script: Script, cacheFile: string, head: string, name: string): void {
  try {
    // An unwritable cache dir must not cost every render the serialisation: look before.
    mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 })
    accessSync(dirname(cacheFile), constants.W_OK)
    const data = script.createCachedData()
    writeFileAtomic(cacheFile, Buffer.concat([Buffer.from(head, 'latin1'), data, data]))
    pruneOtherBuilds(cacheFile, name)
  } catch {
    // Only speed is lost: the next render compiles again.
  }
}
