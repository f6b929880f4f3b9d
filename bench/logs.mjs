// Local usage logs (issue 14), each row a ratio measured side by side in one run, with its target:
//  a. nothing new on a BENCH_LOGS_MB (default 200; 1024 for the 1 GB row) history: `report --json`
//     vs the same command on a home without logs (a full-CLI start): target <= 1.5x
//  b. +1 MB appended to live sessions: the run's extra wall time over the nothing-new runs either
//     side of it, as a share of a cold scan of the same history: target <= 2 %. Printed beside
//     it, its floor: bench/logs-floor.cjs, a bare node that does only what such a refresh cannot
//     skip (read the state and the new lines, add them up, write the state), over the same node
//     doing nothing
//  a and b again on a history of as many megabytes in BENCH_LOGS_SMALL_FILE_MB (default 0.1) files:
//     real histories are hundreds to thousands of sessions and sub-agent runs, most under a
//     megabyte, and what a refresh does per file shows there
//  c. cold, 100 MB: `report --json` vs `ccusage daily --json --offline` (devDependency) on the same
//     files, totals compared: target <= 1.0x
//  d. BENCH_LOGS_DENSE=1: cold, BENCH_LOGS_DENSE_LINES (default 5 M) small usage lines vs ccusage:
//     target <= 2x, and peak RSS at a fifth of the lines vs all of them: flat. Our tokens are checked
//     against the generated lines' (and ccusage's totals when it finishes: at 5 M lines it did not
//     within the default BENCH_LOGS_PEER_TIMEOUT_S of 600 s, so the ratio is a bound)
// The transcripts are generated in a temp HOME first (so they sit in the page cache: "cold" means
// no scan state). Chunks of one message repeat its final usage and there are no sidechain replays,
// so ccusage's first-chunk rule and ours agree on the totals. `node bench/logs.mjs` runs it alone.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bin, f1, f2, median, minimalEnv, quantile, root, timeSync, usageHook } from './lib.mjs'

const MB = 1024 * 1024
const ccusage = join(root, 'node_modules', 'ccusage', 'dist', 'index.js')
const PEER_TIMEOUT_MS = Number(process.env.BENCH_LOGS_PEER_TIMEOUT_S ?? 600) * 1000
const MODELS = ['claude-opus-4-6', 'claude-sonnet-4-6', 'claude-haiku-4-5-20251001']

// Text with the escapes real transcripts have (quotes, newlines, backslashes, non-ASCII).
function generator(seedValue) {
  let seed = seedValue
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x7fffffff
  }
  const words =
    'const value = "x"; if (a) {\n return b\\n } // ünïcode ✓ tokens cache usage model fetch'.split(' ')
  const text = (n) => {
    let s = ''
    while (s.length < n) s += `${words[Math.floor(rand() * words.length)]} `
    return s
  }
  const texts = Array.from({ length: 64 }, (_, i) => text(400 + i * 90))
  const pick = () => texts[Math.floor(rand() * texts.length)]
  let msgSeq = 0
  /** One turn: a user line (a tool result), then 1-3 assistant chunks of one message. */
  const turn = (session, ts, sidechain = false) => {
    const n = msgSeq++
    const id = `msg_01Bench${n.toString(36).padStart(12, '0')}`
    const base = { parentUuid: null, isSidechain: sidechain, userType: 'external', cwd: '/home/dev/src/app' }
    const meta = { sessionId: session, version: '2.1.80', gitBranch: 'main' }
    const iso = new Date(ts).toISOString()
    const user = {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: pick() + pick() }],
    }
    const lines = [
      JSON.stringify({ ...base, ...meta, type: 'user', message: user, uuid: `u${n}`, timestamp: iso }),
    ]
    const chunks = 1 + Math.floor(rand() * 3)
    const usage = {
      input_tokens: 3 + (n % 5),
      cache_creation_input_tokens: 1200,
      cache_read_input_tokens: 40_000 + n,
      cache_creation: { ephemeral_5m_input_tokens: 1200, ephemeral_1h_input_tokens: 0 },
      output_tokens: 50 + (n % 400),
      service_tier: 'standard',
    }
    const model = MODELS[n % MODELS.length]
    for (let c = 0; c < chunks; c++) {
      const content = [{ type: c === 0 ? 'thinking' : 'text', text: pick() }]
      const message = { id, type: 'message', role: 'assistant', model, content, stop_reason: null, usage }
      lines.push(
        JSON.stringify({
          ...base,
          ...meta,
          type: 'assistant',
          message,
          requestId: `req_011Bench${n}`,
          uuid: `a${n}-${c}`,
          timestamp: iso,
        }),
      )
    }
    return `${lines.join('\n')}\n`
  }
  return { turn }
}

const sessionName = (n) => `5b2f0c1e-0000-4000-8000-${String(n).padStart(12, '0')}`

/** A temp HOME with `mb` MB of transcripts in files of `fileMb`, a sub-agent for every tenth. */
export function historyHome(mb, fileMb, t0) {
  const home = mkdtempSync(join(tmpdir(), 'quotabar-logs-bench-'))
  const projects = join(home, '.claude', 'projects')
  const g = generator(42)
  let written = 0
  const files = []
  for (let n = 0; written < mb * MB; n++) {
    const session = sessionName(n)
    const dir = join(projects, `-home-dev-src-app${n % 40}`)
    mkdirSync(dir, { recursive: true })
    const parts = [`${JSON.stringify({ type: 'summary', summary: 'bench', leafUuid: session })}\n`]
    let size = parts[0].length
    let ts = t0 + (n % 96) * 3600_000
    while (size < fileMb * MB && written + size < mb * MB) {
      ts += 20_000
      const t = g.turn(session, ts)
      parts.push(t)
      size += Buffer.byteLength(t)
    }
    const file = join(dir, `${session}.jsonl`)
    writeFileSync(file, parts.join(''))
    files.push(file)
    written += size
    if (n % 10 === 0) {
      const sub = join(dir, session, 'subagents')
      mkdirSync(sub, { recursive: true })
      const body = Array.from({ length: 20 }, (_, i) => g.turn(session, ts + i * 5000, true)).join('')
      writeFileSync(join(sub, 'agent-a1b2c3d4.jsonl'), body)
      written += Buffer.byteLength(body)
    }
  }
  return { home, files, append: (file, bytes) => appendTurns(g, file, bytes) }
}

function appendTurns(g, file, bytes) {
  let n = 0
  while (n < bytes) {
    const t = g.turn('live', Date.now() - 60_000)
    appendFileSync(file, t)
    n += Buffer.byteLength(t)
  }
}

/** The tokens denseHome's `lines` lines hold: what a report over all of them must total. */
export function denseTokens(lines) {
  let n = 0
  for (let i = 0; i < lines; i++) n += 3 + 20 + (i % 50) + 1000 + (i % 1000)
  return n
}

/** `lines` small usage lines (no text) in files of 10 000, for the dense-history row. */
export function denseHome(lines, t0) {
  const home = mkdtempSync(join(tmpdir(), 'quotabar-logs-dense-'))
  const per = 10_000
  for (let f = 0; f * per < lines; f++) {
    const dir = join(home, '.claude', 'projects', `-home-dev-dense${f % 50}`)
    mkdirSync(dir, { recursive: true })
    const out = []
    for (let i = f * per; i < Math.min(lines, (f + 1) * per); i++) {
      const usage = {
        input_tokens: 3,
        output_tokens: 20 + (i % 50),
        cache_read_input_tokens: 1000 + (i % 1000),
      }
      const message = { id: `msg_d${i}`, model: MODELS[i % 3], usage }
      const timestamp = new Date(t0 + i * 1000).toISOString()
      out.push(
        JSON.stringify({ type: 'assistant', sessionId: `d${f}`, timestamp, requestId: `req_d${i}`, message }),
      )
    }
    writeFileSync(join(dir, `${sessionName(f)}.jsonl`), `${out.join('\n')}\n`)
  }
  return home
}

export function runner(home) {
  const env = { ...minimalEnv(home), TZ: 'UTC' }
  const usageFile = join(home, 'usage.json')
  const hook = usageHook(home)
  const run = (args, timeout = undefined) => {
    rmSync(usageFile, { force: true })
    const r = timeSync(process.execPath, ['-r', hook, ...args], {
      env: { ...env, BENCH_USAGE_FILE: usageFile },
      maxBuffer: 256 * MB,
      timeout,
    })
    return { ...r, rssMb: JSON.parse(readFileSync(usageFile, 'utf8')).rssKb / 1024 }
  }
  const report = () => {
    const r = run([bin, 'report', '--json', '--days', '400'])
    const out = JSON.parse(r.out)
    return { ...r, scan: out.scan['claude/default'], total: out.total }
  }
  /** ccusage may not finish a big history (it holds every line): then `failed` says how. */
  const peer = () => {
    const t = Date.now()
    try {
      const r = run([ccusage, 'daily', '--json', '--offline'], PEER_TIMEOUT_MS)
      return { ...r, total: JSON.parse(r.out).totals }
    } catch (err) {
      const ms = Date.now() - t
      const timedOut = ms >= PEER_TIMEOUT_MS
      const why = timedOut
        ? `stopped at the ${PEER_TIMEOUT_MS / 1000} s limit of BENCH_LOGS_PEER_TIMEOUT_S`
        : String(err.message ?? err)
            .replace(/^.* (exited \S+)$/s, '$1')
            .slice(0, 120)
      return { ms, failed: why, timedOut }
    }
  }
  const dropState = () =>
    rmSync(join(env.XDG_CACHE_HOME, 'quotabar', 'logs'), { recursive: true, force: true })
  const statePath = join(env.XDG_CACHE_HOME, 'quotabar', 'logs', 'claude~default.json')
  return { report, peer, dropState, statePath }
}

const floorJs = join(root, 'bench', 'logs-floor.cjs')

/**
 * What bench/logs-floor.cjs spends on the append `files` last got (`bytes` each) over the same
 * node doing nothing: the median of `pairs` pairs, run in alternating order.
 */
function floorExtra(index, files, bytes, pairs) {
  const scratch = mkdtempSync(join(tmpdir(), 'quotabar-logs-floor-'))
  const env = { PATH: process.env.PATH }
  const work = () =>
    timeSync(process.execPath, [floorJs, index, scratch, String(bytes), ...files], { env }).ms
  const idle = () => timeSync(process.execPath, [floorJs, 'idle'], { env }).ms
  try {
    work()
    idle()
    const d = []
    for (let i = 0; i < pairs; i++) {
      if (i % 2) {
        const a = work()
        d.push(a - idle())
      } else {
        const b = idle()
        d.push(work() - b)
      }
    }
    return median(d)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** The lower and upper quartile of `xs`: how far one run's difference may stray from the median. */
const spread = (xs) => `${f1(quantile(xs, 0.25))}-${f1(quantile(xs, 0.75))}`

/** Interleaved runs (a, b, a, b, ...): the median of each. */
function sideBySide(runs, a, b) {
  const as = []
  const bs = []
  for (let i = 0; i < runs; i++) {
    as.push(a())
    bs.push(b())
  }
  const mid = (xs) => xs.find((x) => x.ms === median(xs.map((y) => y.ms)))
  return [mid(as), mid(bs)]
}

const sameTotals = (ours, peer) =>
  ours.tokens === peer.totalTokens &&
  Math.abs(ours.cost - peer.totalCost) <= 1e-6 * Math.max(1, peer.totalCost)
const totalsLine = (ours, peer) =>
  `${ours.tokens} vs ${peer.totalTokens} tokens, $${f2(ours.cost)} vs $${f2(peer.totalCost)}`

export async function benchLogs() {
  const lines = []
  let ok = true
  const row = (what, figures, met, target) => {
    lines.push(
      `logs: ${what}: ${figures} -> ${met === null ? 'skipped' : met ? 'ok' : 'MISSED'} (target ${target})`,
    )
    if (met === false) ok = false
  }
  const runs = Number(process.env.BENCH_LOGS_RUNS ?? 5)
  const t0 = Date.now() - 4 * 86_400_000
  const homes = []
  try {
    // a + b: a history, nothing new and +1 MB; then the same in small files.
    const mb = Number(process.env.BENCH_LOGS_MB ?? 200)
    const empty = mkdtempSync(join(tmpdir(), 'quotabar-logs-empty-'))
    homes.push(empty)
    mkdirSync(join(empty, '.claude', 'projects'), { recursive: true })
    const bare = runner(empty)
    for (const fileMb of [
      Number(process.env.BENCH_LOGS_FILE_MB ?? 8),
      Number(process.env.BENCH_LOGS_SMALL_FILE_MB ?? 0.1),
    ]) {
      const h = historyHome(mb, fileMb, t0)
      homes.push(h.home)
      // Written back now, not ext4's 30 s from now, in the middle of the runs below.
      spawnSync('sync')
      const r = runner(h.home)
      const colds = []
      for (let i = 0; i < 3; i++) {
        r.dropState()
        colds.push(r.report().ms)
      }
      const cold = median(colds)
      // As many pairs as the appended runs below, and as the floor: with 5, one slow start moved
      // the ratio by 0.2; with 9, on a machine where a bare node start took 62 to 97 ms, two runs
      // of this bench read 1.41x and 1.54x.
      const pairs = Math.max(runs, 21)
      const [idle, start] = sideBySide(pairs, r.report, bare.report)
      const what = `${mb} MB history (${idle.scan.files} files of ${fileMb} MB at most)`
      row(
        `nothing new, ${what}`,
        `${f1(idle.ms)} ms vs a full-CLI start (report, no logs) ${f1(start.ms)} ms = ${f2(idle.ms / start.ms)}x`,
        idle.ms / start.ms <= 1.5,
        '<= 1.5x',
      )
      // Each appended run against the mean of the nothing-new runs just before and just after it
      // (a machine slowing down or speeding up moves both sides alike), over at least 21 of them:
      // with 5, each against the run after it, one slow nothing-new run once made 14 ms read 2.
      const extra = []
      const live = h.files.slice(-4)
      let before = r.report()
      for (let i = 0; i < pairs; i++) {
        for (const f of live) h.append(f, MB / 4)
        const warm = r.report()
        const after = r.report()
        extra.push(warm.ms - (before.ms + after.ms) / 2)
        before = after
      }
      const share = median(extra) / cold
      // Beside it, its floor: a bare node that reads, adds up and writes only this append.
      const floor = floorExtra(r.statePath, live, MB / 4, pairs)
      row(
        `+1 MB appended to ${live.length} sessions, ${what}`,
        `${f1(median(extra))} ms more than nothing new (middle half ${spread(extra)} ms), cold scan ${f1(cold)} ms = ${f1(share * 100)} % (floor: bench/logs-floor.cjs ${f1(floor)} ms = ${f1((floor / cold) * 100)} %)`,
        share <= 0.02,
        '<= 2 %',
      )
      // The next history's files would sit beside these in the page cache: only one at a time.
      if (!process.env.BENCH_KEEP) rmSync(h.home, { recursive: true, force: true })
    }
    // c: cold 100 MB against ccusage.
    if (!existsSync(ccusage)) {
      row(
        'cold 100 MB vs ccusage',
        'ccusage is not installed (npm ci installs it as a devDependency)',
        null,
        '<= 1.0x',
      )
    } else {
      const c = historyHome(100, 8, t0)
      homes.push(c.home)
      const cr = runner(c.home)
      const coldReport = () => {
        cr.dropState()
        return cr.report()
      }
      const [ours, peer] = sideBySide(Math.max(3, Math.ceil(runs / 2)), coldReport, cr.peer)
      if (peer.failed) throw new Error(`ccusage failed on 100 MB: ${peer.failed}`)
      const same = sameTotals(ours.total, peer.total)
      row(
        'cold 100 MB vs ccusage daily --json --offline',
        `${f1(ours.ms)} ms vs ${f1(peer.ms)} ms = ${f2(ours.ms / peer.ms)}x; ${same ? 'same totals' : 'TOTALS DIFFER'} (${totalsLine(ours.total, peer.total)})`,
        ours.ms <= peer.ms && same,
        '<= 1.0x, same totals',
      )
    }
    // d: dense history, opt-in.
    if (!process.env.BENCH_LOGS_DENSE) {
      row('cold, 5 M small usage lines vs ccusage', 'opt-in: BENCH_LOGS_DENSE=1', null, '<= 2x, memory flat')
    } else if (existsSync(ccusage)) {
      const n = Number(process.env.BENCH_LOGS_DENSE_LINES ?? 5_000_000)
      const start = Date.now() - n * 1000 - 86_400_000
      const d5 = denseHome(Math.round(n / 5), start)
      const d = denseHome(n, start)
      homes.push(d5, d)
      const fifth = runner(d5)
      const dr = runner(d)
      const small = fifth.report()
      const ours = dr.report()
      const peer = dr.peer()
      const rss = `peak RSS ${f1(small.rssMb)} MB at ${n / 5} lines, ${f1(ours.rssMb)} MB at ${n}`
      const flat = ours.rssMb <= small.rssMb * 1.5
      // The generated lines' tokens, known without the peer: a peer that does not finish still
      // leaves our totals checked.
      const generated = ours.total.tokens === denseTokens(n)
      const tokens = generated ? 'the generated tokens' : `TOKENS DIFFER from the generated ${denseTokens(n)}`
      if (peer.failed) {
        // Stopped at the limit, ccusage takes longer than peer.ms: ours / peer is at most
        // ours.ms / peer.ms, and the row is met if that bound is. A peer that failed otherwise
        // gives no ratio at all.
        row(
          `cold, ${n} small usage lines vs ccusage`,
          `${f1(ours.ms)} ms; ccusage did not finish (${peer.failed}) after ${f1(peer.ms)} ms${peer.timedOut ? `, so < ${f2(ours.ms / peer.ms)}x` : ''}; ${tokens}; ${rss}`,
          peer.timedOut ? ours.ms <= 2 * peer.ms && generated && flat : null,
          '<= 2x, memory flat',
        )
      } else {
        const same = sameTotals(ours.total, peer.total)
        row(
          `cold, ${n} small usage lines vs ccusage`,
          `${f1(ours.ms)} ms vs ${f1(peer.ms)} ms = ${f2(ours.ms / peer.ms)}x; ${same ? 'same totals' : 'TOTALS DIFFER'}, ${tokens}; ${rss} (ccusage ${f1(peer.rssMb)} MB)`,
          ours.ms <= 2 * peer.ms && same && generated && flat,
          '<= 2x, memory flat',
        )
      }
    }
  } finally {
    if (!process.env.BENCH_KEEP) for (const h of homes) rmSync(h, { recursive: true, force: true })
  }
  return { lines, ok }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await benchLogs()
  for (const line of r.lines) console.log(line)
  process.exitCode = r.ok ? 0 : 1
}
