import { readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { writeFileAtomic } from '../cache/store.js'
import { CODE_PATH } from '../code-path.js'
import { debug, debugEnabled } from '../debug.js'
import {
  cacheHeader,
  cachedData,
  codeCacheFile,
  compileBundle,
  pruneOtherBuilds,
  runBundle,
} from './bin-cache.js'

/**
 * Loads one of the bin's side bundles (full.cjs, refresh.cjs, hook.cjs, and zod.cjs for them)
 * through V8's code cache: compiling a megabyte of JavaScript is a large part of a command's
 * start-up, and Node 20 has no compile cache of its own (module.enableCompileCache is Node 22). The first run compiles as
 * `require` would and, at exit, stores what V8 compiled under the cache dir; later runs hand it
 * back to V8 and skip most of the compile.
 *
 * A cache file is only used when it was written for this very bundle (its build hash, which
 * scripts/build.mjs bakes into the bin, and its size), this Node and this CPU architecture, and
 * it holds the V8 data twice, byte-identical: V8 checks little more than the source length, and
 * feeding it foreign or damaged bytes could crash the process. Anything else is ignored and written anew. A bundle
 * loaded this way has no `import()` of its own (Node 20 has no stable loader for it in vm).
 *
 * The full CLI's commands each compile different parts of full.cjs: a cache written by `refresh`
 * leaves `report` compiling most of its own functions. So a cache file names the parts (command
 * words) whose runs it holds, and the first run of another part writes it again at exit: V8 then
 * serialises what it deserialised plus what this run compiled, and the file converges on the
 * commands this user runs (at most MAX_PARTS names, so stray words cannot keep rewriting it).
 */

declare const __QUOTABAR_BUNDLES__: Record<string, string> | undefined

const MAGIC = 'QBV8 3\n'
const MAX_PARTS = 24

/** What a cache file must have been written for; null without a build hash (tests, dev builds). */
function identity(name: string, size: number): string | null {
  return cacheHeader(MAGIC, name, buildHash(name), size)
}

const buildHash = (name: string): string | undefined =>
  typeof __QUOTABAR_BUNDLES__ === 'object' ? __QUOTABAR_BUNDLES__[name] : undefined

interface Cached {
  data: Buffer
  parts: string[]
}

/**
 * The V8 data in a cache file and the parts it holds, or null when missing, damaged or someone
 * else's: the header names this very bundle, then the parts line, then the data twice, both copies
 * identical (bin-cache.ts's check, which needs no node:crypto: loading it costs a command ~3 ms).
 */
function readCache(file: string, id: string): Cached | null {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch {
    return null
  }
  if (bytes.length <= id.length || bytes.toString('latin1', 0, id.length) !== id) return null
  const eol = bytes.indexOf(10, id.length)
  if (eol < 0) return null
  const data = cachedData(bytes, bytes.toString('latin1', 0, eol + 1))
  if (data === null) return null
  const parts = bytes.toString('latin1', id.length, eol)
  return { data, parts: parts ? parts.split(',') : [] }
}

const cacheBytes = (id: string, parts: string[], data: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${id}${parts.join(',')}\n`, 'latin1'), data, data])

/**
 * `require(file)` for a CommonJS bundle, compiled through the code cache in `cacheDir`; `part`
 * names what this run does with it (the full CLI's command word), see above.
 */
export function requireBundle(
  file: string,
  cacheDir: string,
  part = '',
  req: (id: string) => unknown = require,
): unknown {
  return loadBundle(file, cacheDir, part, req, debug)
}

/** requireBundle, saying which way the code cache went with `say`. */
function loadBundle(
  file: string,
  cacheDir: string,
  part: string,
  req: (id: string) => unknown,
  say: (line: string) => void,
): unknown {
  const source = readFileSync(file, 'utf8')
  const name = basename(file)
  const id = identity(name, source.length)
  const cacheFile = codeCacheFile(cacheDir, name, buildHash(name) ?? 'dev')
  const cached = id ? readCache(cacheFile, id) : null
  const script = compileBundle(file, source, cached?.data)
  const usable = cached !== null && !script.cachedDataRejected
  say(`code cache ${name}: ${usable ? 'used' : cached ? 'rejected by V8' : 'none'}`)
  const known = usable ? cached.parts : []
  // The parts the cache names; it is written at exit once one is added, or when it was not usable.
  let parts = known
  let writing = false
  const writeAtExit = () => {
    if (!id || writing) return
    writing = true
    // At exit, the cache holds every function this run compiled, not only the top level.
    process.once('exit', () => {
      try {
        writeFileAtomic(cacheFile, cacheBytes(id, parts, script.createCachedData()))
        pruneOtherBuilds(cacheFile, name)
      } catch (err) {
        debug(`code cache ${name}: not written (${err instanceof Error ? err.message : String(err)})`)
      }
    })
  }
  // The command this run does, or a code path it took (code-path.ts).
  const took = (p: string) => {
    if (!/^[a-z_]{1,16}$/.test(p) || parts.includes(p) || parts.length >= MAX_PARTS) return
    parts = [...parts, p]
    writeAtExit()
  }
  took(part)
  if (!usable) writeAtExit()
  notedBy.push(took)
  return runBundle(script, file, bundleRequire(dirname(file), cacheDir, part, req))
}

/** Each loaded bundle's hook for a code path this run took (code-path.ts). */
const notedBy: ((path: string) => void)[] = []
;(globalThis as Record<symbol, unknown>)[CODE_PATH] = (path: string) => {
  for (const note of notedBy) note(path)
}

/**
 * The `require` a side bundle runs with: `req` for Node's own modules, and `zod`, which
 * scripts/build.mjs leaves out of the side bundles. It is dist/zod.cjs, loaded (through the code
 * cache, under the same part: its cache converges on the commands run too) when the first module
 * that builds a schema loads, and once: every schema shares one zod. Its load is told as the
 * bundle's own was: `--verbose` turns diagnostics on after the bundle loaded, and says nothing of
 * the bundles then, as it did when zod was inside them.
 */
function bundleRequire(
  dir: string,
  cacheDir: string,
  part: string,
  req: (id: string) => unknown,
): (id: string) => unknown {
  const say = debugEnabled() ? debug : () => {}
  let zod: unknown
  return (id) => {
    if (id !== 'zod') return req(id)
    zod ??= loadBundle(join(dir, 'zod.cjs'), cacheDir, part, req, say)
    return zod
  }
}
