// The `watch` targets (design §8, issue 14): CPU per emitted line at real speed, memory flat.
//
//  1. real speed: `watch -f waybar` over a fresh cache of 6 accounts whose countdowns change every
//     minute, so it prints a line a minute as on a bar. CPU of every thread of the process
//     (/proc/<pid>/task/*/schedstat: the main thread, GC and libuv helpers) from its first line
//     after a 30 s warm-up over the next BENCH_WATCH_LINES lines, divided by the lines: timers,
//     polling and GC between lines are all counted. Target <= 2 ms. The accounts' resets fall on
//     different seconds of the minute, as real ones do, so the line changes about six times a
//     minute: the default 12 lines take about two minutes after the warm-up, on the real clock
//     (`npm run bench` runs it last, alone: beside the other sections its CPU time nearly doubled).
//     The CPU per minute is printed too: idle cost does not hide in it.
//  2. memory (BENCH_WATCH_MEMORY=1, or `node bench/watch.mjs`): the same watch with its clock sped
//     up (hidden --clock-speed, --tick-ms) so every 2 ms tick is a new minute, for BENCH_LINES
//     (default 36,000) lines; RSS sampled from /proc every LINES/6 lines must stay flat after the
//     warm-up, the first third. That many: at this rate of lines V8 grows its heap (RSS from about
//     53 to about 100 MB, while each full GC leaves 9.2-9.5 MB live: --trace-gc over 36,000 lines)
//     and only reaches its size after about 6,000 lines, so a 12,000-line run called that plateau
//     growth. A leak of half a kilobyte a line still shows. Its per-line CPU measures hot code only
//     and is not the target's figure.
//
// The cache is filled by a real `quotabar refresh` against a local server; its windows are then
// replaced by daily ones, whose countdown keeps changing every minute (a 5-hour session stops
// counting after its reset, and durations over a day only change by the hour).
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { claudeAccounts, minimalEnv } from './lib.mjs'

const bin = join(import.meta.dirname, '..', 'dist', 'quotabar.cjs')
const LINES = Number(process.env.BENCH_LINES ?? 36_000)
const REAL_LINES = Number(process.env.BENCH_WATCH_LINES ?? 12)
const TARGET_MS = 2
/** Start-up settles (lazy compilation, V8 shrinking its start-up heap) before lines are counted. */
const WARM_MS = 30_000
const ACCOUNTS = 6
// An hour ago: the fast run starts there, the real-speed run sees data an hour old (never due).
const T0 = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3600_000).toISOString()
const at = (h) => new Date(Date.parse(T0) + h * 3600_000).toISOString()

async function setup() {
  const home = mkdtempSync(join(tmpdir(), 'quotabar-bench-watch-'))
  const env = { ...minimalEnv(home), TZ: 'UTC' }

  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        five_hour: { utilization: 40, resets_at: at(3) },
        seven_day: { utilization: 20, resets_at: at(90) },
      }),
    )
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const baseUrl = `http://127.0.0.1:${server.address().port}`

  // Never due during the run: the bench measures rendering, not fetching.
  const accounts = claudeAccounts(home, 'a', ACCOUNTS, { baseUrl, refreshSeconds: 10_000_000 })
  mkdirSync(join(home, '.config/quotabar'), { recursive: true })
  writeFileSync(join(home, '.config/quotabar/config.json'), JSON.stringify({ accounts }))

  const exec = (args, extraEnv = {}) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], {
        env: { ...env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      child.stdout.on('data', (d) => {
        out += d
      })
      child.on('close', (code) => resolve({ code, out }))
    })

  const filled = await exec(['refresh'], { QUOTABAR_NOW: T0 })
  if (filled.code !== 0) throw new Error(`refresh failed:\n${filled.out}`)
  server.close()
  const accountsDir = join(home, '.cache/quotabar/accounts')
  for (const [i, name] of readdirSync(accountsDir).entries()) {
    const file = join(accountsDir, name)
    const entry = JSON.parse(readFileSync(file, 'utf8'))
    entry.snapshot.windows = [
      // Resets at different seconds of the minute (as real ones fall), so the line changes several
      // times a minute at real speed instead of all accounts at once.
      {
        id: 'daily',
        label: 'day',
        usedPercent: 30 + i * 12,
        resetsAt: at(7 + i + (i * 9) / 3600),
        windowSeconds: 86400,
      },
      { id: 'monthly', label: 'month', usedPercent: 20 + i, resetsAt: at(200), windowSeconds: 30 * 86400 },
    ]
    writeFileSync(file, JSON.stringify(entry))
  }
  return env
}

/** CPU time of every thread in ms (schedstat's first field is nanoseconds on the CPU). */
const cpuMsOf = (pid) =>
  readdirSync(`/proc/${pid}/task`).reduce(
    (sum, tid) =>
      sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6,
    0,
  )
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1])

function startWatch(env, args, extraEnv) {
  const child = spawn(process.execPath, [bin, 'watch', '-f', 'waybar', '--stats', ...args], {
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let lines = 0
  let err = ''
  let partial = ''
  const listeners = []
  child.stdout.on('data', (d) => {
    const text = partial + d
    const parts = text.split('\n')
    partial = parts.pop()
    for (const line of parts) {
      JSON.parse(line) // every line a valid Waybar object
      lines++
      for (const l of listeners) l(lines)
    }
  })
  child.stderr.on('data', (d) => {
    err += d
  })
  const closed = new Promise((r) => child.on('close', (code) => r(code)))
  return { child, lines: () => lines, onLine: (f) => listeners.push(f), closed, stderr: () => err }
}

/** 1. real speed: CPU per line over REAL_LINES lines after the warm-up. */
async function realSpeed(env) {
  const w = startWatch(env, [], {})
  const warmUntil = performance.now() + WARM_MS
  const marks = []
  await new Promise((resolve) => {
    w.onLine(() => {
      if (performance.now() < warmUntil) return
      marks.push([performance.now(), cpuMsOf(w.child.pid)])
      if (marks.length === 1 + REAL_LINES) resolve()
    })
  })
  w.child.kill('SIGTERM')
  const code = await w.closed
  const stats = JSON.parse(w.stderr().trim().split('\n').pop())
  const cpu = marks.at(-1)[1] - marks[0][1]
  const perLine = cpu / REAL_LINES
  const perMinute = (cpu / (marks.at(-1)[0] - marks[0][0])) * 60_000
  const ok = perLine <= TARGET_MS && code === 0
  const line = `watch at real speed, ${ACCOUNTS} accounts: ${f(perLine, 2)} ms CPU per line, all threads, over ${REAL_LINES} lines in ${f((marks.at(-1)[0] - marks[0][0]) / 1000, 0)} s after a ${WARM_MS / 1000} s warm-up (${f(perMinute, 1)} ms CPU per minute; target <= ${TARGET_MS} ms); ${stats.ticks} ticks and ${stats.renders} renders for ${stats.lines} lines; exit ${code} on SIGTERM`
  return { ok, lines: [line] }
}

/** 2. memory: flat RSS over many updates on a sped-up clock (CPU here is hot code only). */
async function memory(env) {
  const fast = startWatch(env, ['--tick-ms', '2', '--clock-speed', '30000'], { QUOTABAR_NOW: T0 })
  const samples = []
  const every = Math.floor(LINES / 6)
  await new Promise((resolve) => {
    fast.onLine((n) => {
      if (n % every === 0) samples.push([n, rssKb(fast.child.pid)])
      if (n === LINES) {
        fast.child.kill('SIGTERM')
        resolve()
      }
    })
  })
  // Warm-up is the first third; after it no sample may exceed the warm-up's peak by more than 10 %.
  const warm = samples.filter(([n]) => n <= LINES / 3).map(([, kb]) => kb)
  const later = samples.filter(([n]) => n > LINES / 3).map(([, kb]) => kb)
  const flat = Math.max(...later) <= Math.max(...warm) * 1.1
  const code = await fast.closed
  const stats = JSON.parse(fast.stderr().trim().split('\n').pop())
  const line = `watch memory, ${stats.lines} lines on a sped-up clock: RSS ${stats.rssStartKb} KB at line 1, then ${samples.map(([n, kb]) => `${kb} KB at ${n}`).join(', ')} -> ${flat ? 'flat after warm-up' : 'GROWING'} (hot-code CPU ${f(stats.cpuMsPerLine, 3)} ms per line, not the target's figure)`
  return { ok: flat && code === 0, lines: [line] }
}

const f = (n, d = 2) => n.toFixed(d)

/** Both parts (memory only when asked), in a temp HOME of their own. */
export async function benchWatch({ withMemory = Boolean(process.env.BENCH_WATCH_MEMORY) } = {}) {
  const env = await setup()
  try {
    const parts = [await realSpeed(env), ...(withMemory ? [await memory(env)] : [])]
    return { ok: parts.every((p) => p.ok), lines: parts.flatMap((p) => p.lines) }
  } finally {
    rmSync(env.HOME, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { ok, lines } = await benchWatch({ withMemory: true })
  for (const l of lines) console.log(l)
  process.exitCode = ok ? 0 : 1
}
