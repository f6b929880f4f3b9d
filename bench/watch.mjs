// node bench/watch.mjs (after npm run build): the `watch` targets of design §8 — CPU per emitted
// line under 5 ms, memory flat over many updates — plus what an idle watch costs per minute.
//
//  1. steady updates: `watch -f waybar` over a fresh cache of 6 accounts, its clock running fast
//     (hidden --clock-speed, --tick-ms) so every tick is a new minute and every tick prints a line;
//     CPU per line from the watch's own process.cpuUsage (hidden --stats, startup excluded) and
//     RSS sampled from /proc every LINES/6 lines: V8 grows its heap to a plateau in the first few
//     thousand lines, after that RSS must stay flat.
//  2. idle: the same watch at real speed: CPU over IDLE_S seconds after a 25 s warm-up (V8 shrinks
//     its start-up heap in that time), summed over all threads from /proc/<pid>/task/*/schedstat.
//
// The cache is filled by a real `quotabar refresh` against a local server; its windows are then
// replaced by daily ones, whose countdown keeps changing every minute forever (a 5-hour session
// stops counting after its reset, and durations over a day only change by the hour).
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const bin = join(import.meta.dirname, '..', 'dist', 'quotabar.cjs')
const LINES = Number(process.env.BENCH_LINES ?? 12_000)
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 30)
const ACCOUNTS = 6
// An hour ago: the fast run starts there, the idle run sees data an hour old (never due).
const T0 = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3600_000).toISOString()
const at = (h) => new Date(Date.parse(T0) + h * 3600_000).toISOString()

const home = mkdtempSync(join(tmpdir(), 'quotabar-bench-watch-'))
const env = {
  PATH: process.env.PATH,
  HOME: home,
  XDG_CONFIG_HOME: join(home, '.config'),
  XDG_CACHE_HOME: join(home, '.cache'),
  XDG_STATE_HOME: join(home, '.local/state'),
  TZ: 'UTC',
}

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

const accounts = []
for (let i = 1; i <= ACCOUNTS; i++) {
  const dir = join(home, `.claude-a${i}`)
  mkdirSync(dir, { recursive: true })
  const oauth = {
    accessToken: `sk-ant-oat01-bench-${i}-xxxxxxxx`,
    expiresAt: Date.parse('2030-01-01'),
    scopes: ['user:profile'],
  }
  writeFileSync(join(dir, '.credentials.json'), JSON.stringify({ claudeAiOauth: oauth }))
  // Never due during the run: the bench measures rendering, not fetching.
  accounts.push({ provider: 'claude', id: `a${i}`, configDir: dir, baseUrl, refreshSeconds: 10_000_000 })
}
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
    { id: 'daily', label: 'day', usedPercent: 30 + i * 12, resetsAt: at(7 + i), windowSeconds: 86400 },
    { id: 'monthly', label: 'month', usedPercent: 20 + i, resetsAt: at(200), windowSeconds: 30 * 86400 },
  ]
  writeFileSync(file, JSON.stringify(entry))
}

/** CPU time of every thread in ms (schedstat's first field is nanoseconds on the CPU). */
const cpuMsOf = (pid) =>
  readdirSync(`/proc/${pid}/task`).reduce(
    (sum, tid) =>
      sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6,
    0,
  )
const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1])

function startWatch(args, extraEnv) {
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

// 1. steady updates: one virtual minute per 2 ms tick.
const fast = startWatch(['--tick-ms', '2', '--clock-speed', '30000'], { QUOTABAR_NOW: T0 })
const samples = []
const every = Math.floor(LINES / 6)
let t1 = 0
await new Promise((resolve) => {
  fast.onLine((n) => {
    if (n === every) t1 = performance.now()
    if (n % every === 0) samples.push([n, rssKb(fast.child.pid)])
    if (n === LINES) {
      fast.child.kill('SIGTERM')
      resolve()
    }
  })
})
const wallPerLine = (performance.now() - t1) / (LINES - every)
// Warm-up is the first third; after it no sample may exceed the warm-up's peak by more than 10 %.
const warm = samples.filter(([n]) => n <= LINES / 3).map(([, kb]) => kb)
const later = samples.filter(([n]) => n > LINES / 3).map(([, kb]) => kb)
const flat = Math.max(...later) <= Math.max(...warm) * 1.1
const fastCode = await fast.closed
const stats = JSON.parse(fast.stderr().trim().split('\n').pop())

// 2. idle at real speed (clock not pinned; the data is from T0 and never due).
const idle = startWatch([], {})
await new Promise((r) => setTimeout(r, 25_000))
const cpu0 = cpuMsOf(idle.child.pid)
const lines0 = idle.lines()
await new Promise((r) => setTimeout(r, IDLE_S * 1000))
const idleCpuMs = cpuMsOf(idle.child.pid) - cpu0
const idleLines = idle.lines() - lines0
idle.child.kill('SIGTERM')
const idleCode = await idle.closed
rmSync(home, { recursive: true, force: true })

const f = (n, d = 2) => n.toFixed(d)
console.log(`node ${process.version}, watch -f waybar, ${ACCOUNTS} accounts, fresh cache`)
console.log(
  `steady updates: ${stats.lines} lines, ${stats.renders} renders, ${stats.ticks} ticks: ${f(stats.cpuMsPerLine, 3)} ms CPU per line (target < 5 ms); wall ${f(wallPerLine, 3)} ms per line`,
)
console.log(
  `memory: RSS ${stats.rssStartKb} KB at line 1, then ${samples.map(([n, kb]) => `${kb} KB at ${n}`).join(', ')} -> ${flat ? 'flat after warm-up' : 'GROWING'}`,
)
console.log(
  `idle at real speed: ${f((idleCpuMs / IDLE_S) * 60, 1)} ms CPU per minute (all threads, ${IDLE_S} s after a 25 s warm-up; ${idleLines} line(s) in that time)`,
)
console.log(`exit codes on SIGTERM: ${fastCode}, ${idleCode}`)
const ok = stats.cpuMsPerLine < 5 && flat && fastCode === 0 && idleCode === 0
console.log(ok ? 'bench watch: all targets met' : 'bench watch: a target was missed')
process.exitCode = ok ? 0 : 1
