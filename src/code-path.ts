/**
 * Tells the bin's loader (cli/code-cache.ts) that this run took a code path its bundles' V8 code
 * cache may not hold. A cache holds what the run that wrote it compiled, and the first run after an
 * install or upgrade is most often a refresh with nothing new: one that never compiles the log
 * reader, so that every later refresh with new lines compiled it again (about 7 ms over 1,600
 * transcripts). Named here, the path is added to each bundle's cache once, at the exit of the
 * first run that takes it. The bundles run in one process but are built apart: the loader is
 * found through a global, and nothing happens without one (tests, `node dist/full.cjs`).
 */
export const CODE_PATH = Symbol.for('quotabar.code-path')

export function tookCodePath(name: string): void {
  const note = (globalThis as Record<symbol, unknown>)[CODE_PATH]
  if (typeof note === 'function') note(name)
}
