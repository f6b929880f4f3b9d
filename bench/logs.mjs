// node bench/logs.mjs: local usage logs (issue 7) on synthetic Claude Code transcripts.
//  1. cold scan (no state) of BENCH_LOGS_MB (default 1024) MB: MB/s, target >= 150
//  2. append 1 MB, scan again: cost vs the cold scan, target < 5 % (the scan itself; the process
//     start, ~0.25 s for any full-CLI command, is shown apart: a refresh pays it for its fetch anyway)
//  3. peak RSS of a cold scan of a quarter of that vs the whole: flat in the file size (also with
//     V8's young generation capped at 1 MB, which shows what the scan itself keeps)
// Runs `quotabar report --json` (the same scan the background refresh does) in a temp HOME; the
// logs are generated there first (so they sit in the page cache: "cold" means no scan state).
// Env: BENCH_LOGS_MB, BENCH_LOGS_FILE_MB (size of one transcript, default 8), BENCH_KEEP=1.
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const bin = join(import.meta.dirname, '..', 'dist', 'quotabar.cjs')
const TOTAL_MB = Number(process.env.BENCH_LOGS_MB ?? 1024)
const FILE_MB = Number(process.env.BENCH_LOGS_FILE_MB ?? 8)
const SMALL_MB = TOTAL_MB / 4
const MB = 1024 * 1024

const home = mkdtempSync(join(tmpdir(), 'quotabar-logs-bench-'))
const env = {
  PATH: process.env.PATH,
  HOME: home,
  TZ: 'UTC',
  XDG_CONFIG_HOME: join(home, '.config'),
  XDG_CACHE_HOME: join(home, '.cache'),
  XDG_STATE_HOME: join(home, '.local/state'),
}
const projects = join(home, '.claude', 'projects')
const rssHook = join(home, 'rss.cjs')
const rssFile = join(home, 'rss.txt')
// At exit: peak RSS. With BENCH_LIVE set, also the largest heap still in use right after a full
// GC, sampled every 100 ms during the scan: what the scan really keeps (its state, the hashes of
// every request key), as opposed to garbage the GC had not collected yet.
writeFileSync(
  rssHook,
  `let live = 0
if (process.env.BENCH_LIVE) setInterval(() => { global.gc(); live = Math.max(live, process.memoryUsage().heapUsed) }, 100).unref()
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, process.resourceUsage().maxRSS + ' ' + live))
`,
)

// Text with the escapes real transcripts have (quotes, newlines, backslashes, non-ASCII).
let seed = 42
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed / 0x7fffffff
}
const words = 'const value = "x"; if (a) {\n return b\\n } // ünïcode ✓ tokens cache usage model fetch'.split(
  ' ',
)
const text = (n) => {
  let s = ''
  while (s.length < n) s += `${words[Math.floor(rand() * words.length)]} `
  return s
}
const texts = Array.from({ length: 64 }, (_, i) => text(400 + i * 90))
const pick = () => texts[Math.floor(rand() * texts.length)]
const MODELS = ['claude-opus-4-8', 'claude-sonnet-4-6', 'claude-haiku-4-5-20251001']

let msgSeq = 0
const t0 = Date.now() - 4 * 86_400_000
/** One turn: a user line (prompt or tool result), then 1-3 assistant chunks of one message. */
function turn(session, ts, sidechain = false) {
  const id = `msg_01Bench${(msgSeq++).toString(36).padStart(12, '0')}`
  const req = `req_011Bench${msgSeq.toString(36)}`
  const base = {
    parentUuid: null,
    isSidechain: sidechain,
    userType: 'external',
    cwd: '/home/dev/src/app',
    sessionId: session,
    version: '2.1.80',
    gitBranch: 'main',
  }
  const iso = new Date(ts).toISOString()
  const lines = [
    JSON.stringify({
      ...base,
      type: 'user',
      message: {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: pick() + pick() }],
      },
      uuid: `u${msgSeq}`,
      timestamp: iso,
    }),
  ]
  const chunks = 1 + Math.floor(rand() * 3)
  const model = MODELS[msgSeq % MODELS.length]
  for (let c = 0; c < chunks; c++) {
    const usage = {
      input_tokens: 3 + c,
      cache_creation_input_tokens: 1200,
      cache_read_input_tokens: 40_000 + msgSeq,
      cache_creation: { ephemeral_5m_input_tokens: 1200, ephemeral_1h_input_tokens: 0 },
      output_tokens: 50 * (c + 1),
      service_tier: 'standard',
    }
    const content = [{ type: c === 0 ? 'thinking' : 'text', text: pick() }]
    lines.push(
      JSON.stringify({
        ...base,
        type: 'assistant',
        message: { id, type: 'message', role: 'assistant', model, content, stop_reason: null, usage },
        requestId: req,
        uuid: `a${msgSeq}-${c}`,
        timestamp: iso,
      }),
    )
  }
  return lines.join('\n') + '\n'
}

let fileSeq = 0
let written = 0
function writeFiles(upToMb) {
  while (written < upToMb * MB) {
    const n = fileSeq++
    const session = `5b2f0c1e-0000-4000-8000-${String(n).padStart(12, '0')}`
    const dir = join(projects, `-home-dev-src-app${n % 40}`)
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `${session}.jsonl`)
    const parts = [JSON.stringify({ type: 'summary', summary: 'bench', leafUuid: session }) + '\n']
    let size = parts[0].length
    let ts = t0 + (n % 96) * 3600_000
    while (size < FILE_MB * MB) {
      ts += 20_000
      const t = turn(session, ts)
      parts.push(t)
      size += Buffer.byteLength(t)
    }
    writeFileSync(file, parts.join(''))
    written += size
    if (n % 10 === 0) {
      // A sub-agent: its own messages, as the sub-agent logs them.
      const sub = join(dir, session, 'subagents')
      mkdirSync(sub, { recursive: true })
      const body = Array.from({ length: 20 }, (_, i) => turn(session, ts + i * 5000, true)).join('')
      writeFileSync(join(sub, 'agent-a1b2c3d4.jsonl'), body)
      written += Buffer.byteLength(body)
    }
  }
}

function report(live = false) {
  rmSync(rssFile, { force: true })
  const started = process.hrtime.bigint()
  const args = ['--expose-gc', '--require', rssHook, bin, 'report', '--json', '--days', '30']
  const r = spawnSync(process.execPath, args, {
    env: live ? { ...env, BENCH_LIVE: '1' } : env,
    encoding: 'utf8',
    maxBuffer: 64 * MB,
  })
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6
  if (r.status !== 0) throw new Error(`report failed (${r.status}): ${r.stderr}`)
  const out = JSON.parse(r.stdout)
  const scan = out.scan['claude/default']
  const [rssKb, heap] = readFileSync(rssFile, 'utf8').split(' ').map(Number)
  return { wallMs, scan, total: out.total, rssMb: rssKb / 1024, liveMb: heap / MB }
}
const dropState = () => rmSync(join(env.XDG_CACHE_HOME, 'quotabar', 'logs'), { recursive: true, force: true })

const fmt = (n, d = 0) => n.toFixed(d)
try {
  console.log(`generating ${TOTAL_MB} MB of transcripts in ${home} ...`)
  writeFiles(SMALL_MB)
  dropState()
  const smallLive = report(true)
  dropState()
  const small = report()
  writeFiles(TOTAL_MB)
  dropState()
  const coldLive = report(true)
  dropState()
  const cold = report()
  // Append 1 MB to the newest files, as live sessions do.
  const live = [...Array(4).keys()].map((i) => {
    const n = fileSeq - 1 - i * 3
    return join(
      projects,
      `-home-dev-src-app${n % 40}`,
      `5b2f0c1e-0000-4000-8000-${String(n).padStart(12, '0')}.jsonl`,
    )
  })
  let appended = 0
  while (appended < MB) {
    for (const f of live) {
      const t = turn('live', Date.now() - 60_000)
      appendFileSync(f, t)
      appended += Buffer.byteLength(t)
    }
  }
  const warm = report()
  const idle = report()
  const bytes = cold.scan.bytesRead / MB
  const rate = bytes / (cold.scan.ms / 1000)
  const rateWall = bytes / (cold.wallMs / 1000)
  const scanShare = warm.scan.ms / cold.scan.ms
  const mb = (r) => `${fmt(r.rssMb)} MB for ${fmt(r.scan.bytesRead / MB)} MB`
  const kept = (r) => `${fmt(r.liveMb, 1)} MB for ${fmt(r.scan.bytesRead / MB)} MB`
  const flat = (a, b) => (b.rssMb < a.rssMb * 1.5 ? 'ok (flat)' : 'GROWS with size')
  const rows = [
    [
      'cold scan',
      `${fmt(bytes)} MB in ${fmt(cold.scan.ms)} ms (process ${fmt(cold.wallMs)} ms)`,
      `${fmt(rate)} MB/s scan, ${fmt(rateWall)} MB/s wall`,
      rateWall >= 150 ? 'ok (>= 150 MB/s)' : 'MISSED (< 150 MB/s)',
    ],
    [
      '+1 MB appended',
      `${fmt(warm.scan.bytesRead / 1024)} KB read in ${fmt(warm.scan.ms)} ms (process ${fmt(warm.wallMs)} ms)`,
      `scan ${fmt(scanShare * 100, 1)} %, process ${fmt((warm.wallMs / cold.wallMs) * 100, 1)} % of cold`,
      scanShare < 0.05 ? 'ok (scan < 5 %)' : 'MISSED (>= 5 %)',
    ],
    [
      'nothing changed',
      `${cold.scan.files} files stat'ed in ${fmt(idle.scan.ms)} ms (process ${fmt(idle.wallMs)} ms)`,
      '',
      '',
    ],
    ['peak RSS', mb(small), mb(cold), flat(small, cold)],
    [
      '  live heap max',
      kept(smallLive),
      kept(coldLive),
      `${cold.scan.files} files, ${cold.total.requests} requests`,
    ],
  ]
  console.log(
    `\nlocal logs: ${cold.scan.files} files, ${cold.total.requests} requests, ~$${fmt(cold.total.cost, 2)}`,
  )
  for (const r of rows) console.log(`${r[0].padEnd(16)} ${r[1].padEnd(60)} ${r[2].padEnd(42)} ${r[3]}`)
} finally {
  if (!process.env.BENCH_KEEP) rmSync(home, { recursive: true, force: true })
}
