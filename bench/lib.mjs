// Shared by the bench sections: a minimal environment, timing, medians, peak RSS, and a way to
// load one source module (bundled on the fly) to time a function inside one process.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
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

/** The value a share `q` of the way through `xs` sorted (the nearest one): 0.5 is the median. */
export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.round(q * (s.length - 1))]
}

export const median = (xs) => quantile(xs, 0.5)

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

/**
 * A stand-in for Claude's usage endpoint in its own process (so timing with spawnSync here never
 * blocks the server), answering after `delayMs`. Resolves with its URL and a way to stop it.
 */
export async function startUsageServer(delayMs = 0) {
  const { spawn } = await import('node:child_process')
  const code = `const reset = () => new Date(Date.now() + 3600e3).toISOString()
require('node:http').createServer((req, res) => setTimeout(() => {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ five_hour: { utilization: 40, resets_at: reset() }, seven_day: { utilization: 20, resets_at: reset() } }))
}, ${delayMs})).listen(0, '127.0.0.1', function () { console.log(this.address().port) })
process.stdin.on('end', () => process.exit()).resume()`
  // It ends with the bench: its stdin closes when the bench process goes, however it goes.
  const child = spawn(process.execPath, ['-e', code], { stdio: ['pipe', 'pipe', 'inherit'] })
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d)))))
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill() }
}

/** A Claude Code login in `dir`, valid for a day, as the bench accounts use. */
export function writeClaudeLogin(dir, n) {
  mkdirSync(dir, { recursive: true })
  const oauth = {
    accessToken: `sk-ant-oat01-bench-${n}-xxxxxxxx`,
    expiresAt: Date.now() + 86400_000,
    scopes: ['user:profile'],
  }
  writeFileSync(join(dir, '.credentials.json'), JSON.stringify({ claudeAiOauth: oauth }))
}

/**
 * A `-r` preload that writes the process's CPU (user + system ms) and peak RSS (KB) to `file` at
 * exit: the same few lines for quotabar and for the baseline it is compared with.
 */
export function usageHook(dir) {
  const hook = join(dir, 'usage-hook.cjs')
  writeFileSync(
    hook,
    `process.on('exit', () => { const u = process.resourceUsage()
require('node:fs').writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, rssKb: u.maxRSS })) })`,
  )
  return hook
}

/** `n` Claude accounts `<prefix>1..n`, each with its own login under `home`, with `fields` added. */
export function claudeAccounts(home, prefix, n, fields) {
  return Array.from({ length: n }, (_, i) => {
    const dir = join(home, `.claude-${prefix}${i + 1}`)
    writeClaudeLogin(dir, `${prefix}${i + 1}`)
    return { provider: 'claude', id: `${prefix}${i + 1}`, configDir: dir, ...fields }
  })
}
