// Shared by the bench sections: a minimal environment, timing, medians, peak RSS, and a way to
// load one source module (bundled on the fly) to time a function inside one process.
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'

export const root = join(import.meta.dirname, '..')
export const bin = join(root, 'dist', 'quotabar.cjs')

/**
 * PATH, HOME and the XDG dirs only, so nothing inherited (NODE_OPTIONS, NODE_EXTRA_CA_CERTS, ...)
 * flatters a ratio.
 */
export function minimalEnv(home) {
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local/state'),
  }
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

/** Wall ms of one process run to its end, with stdout kept; throws on a non-zero exit. */
export function timeSync(cmd, args, options = {}) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'], ...options })
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`)
  return { ms, out: r.stdout?.toString() ?? '' }
}

/** Runs each thunk `runs` times, interleaved (a, b, a, b, ...) after `warm` rounds: medians. */
export function interleave(runs, warm, thunks) {
  const samples = thunks.map(() => [])
  for (let i = 0; i < warm + runs; i++) {
    thunks.forEach((t, j) => {
      const ms = t()
      if (i >= warm) samples[j].push(ms)
    })
  }
  return samples.map(median)
}

/** A source module bundled to CommonJS and required, to time its functions in this process. */
export async function loadSource(entry) {
  const dir = mkdtempSync(join(tmpdir(), 'quotabar-bench-src-'))
  const outfile = join(dir, 'module.cjs')
  await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  })
  return createRequire(import.meta.url)(outfile)
}

export const f1 = (n) => n.toFixed(1)
export const f2 = (n) => n.toFixed(2)
/** "1.23x (target <= 2.5x)" and whether it was met. */
export const against = (ratio, target) => `${f2(ratio)}x (target <= ${target}x)`
