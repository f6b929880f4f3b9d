// The full CLI (issue 14): commands that load more than the cached render, side by side with a
// bare `node -e 0` in the same minimal environment, medians of interleaved runs.
//  1. `--version`, `accounts list`, `report`, and the detached refresh a render starts
//     (`__refresh`, one account, the server answering at once): wall time, target <= 2.5x
//  2. `refresh --force` of one account vs Node making one bare request to the same server:
//     CPU (user + system) target <= 3x, and peak RSS (target <= 70 MB) next to node -e 0's
import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs'
import {
  against,
  bin,
  f1,
  interleave,
  median,
  minimalEnv,
  startUsageServer,
  timeSync,
  usageHook,
  claudeAccounts,
} from './lib.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 40)
const START_TARGET = 2.5
const CPU_TARGET = 3
const RSS_TARGET_MB = 70

export async function benchCli() {
  const home = mkdtempSync(join(tmpdir(), 'quotabar-bench-cli-'))
  const env = minimalEnv(home)
  const server = await startUsageServer(0)
  const lines = []
  let ok = true
  try {
    mkdirSync(join(env.XDG_CONFIG_HOME, 'quotabar'), { recursive: true })
    const accounts = claudeAccounts(home, 'a', 1, { baseUrl: server.url })
    writeFileSync(join(env.XDG_CONFIG_HOME, 'quotabar', 'config.json'), JSON.stringify({ accounts }))
    const node = (args, extra = {}) => timeSync(process.execPath, args, { env: { ...env, ...extra } }).ms
    node([bin, 'refresh', 'a1']) // the config is validated once, as on a user's machine
    // The detached refresh fetches only a due account: each run's clock is 10 minutes on.
    let tick = 0
    const later = () => ({ QUOTABAR_NOW: new Date(Date.now() + ++tick * 600_000).toISOString() })
    const commands = [
      ['--version', [bin, '--version']],
      ['accounts list', [bin, 'accounts', 'list']],
      ['report', [bin, 'report']],
      ['__refresh (detached refresh)', null],
    ]
    const thunks = [
      () => node(['-e', '0']),
      ...commands.map(([, args]) =>
        args ? () => node(args) : () => node([bin, '__refresh', '--token', 'bench', 'claude/a1'], later()),
      ),
    ]
    const [bare, ...times] = interleave(RUNS, 2, thunks)
    commands.forEach(([name], i) => {
      const ratio = times[i] / bare
      ok &&= ratio <= START_TARGET
      lines.push(
        `full CLI: ${name} ${f1(times[i])} ms vs node -e 0 ${f1(bare)} ms -> ${against(ratio, START_TARGET)}`,
      )
    })

    // 2. one refresh: CPU and peak RSS from the same exit hook on both sides.
    const hook = usageHook(home)
    const usageFile = join(home, 'usage.json')
    const bareRequest = join(home, 'bare-request.cjs')
    writeFileSync(
      bareRequest,
      `require('node:http').get(process.argv[2], (res) => { res.resume(); res.on('end', () => process.exit()) })`,
    )
    const measured = (args) => () => {
      node(['-r', hook, ...args], { BENCH_USAGE_FILE: usageFile })
      return JSON.parse(readFileSync(usageFile, 'utf8'))
    }
    const runs = { refresh: [], request: [], empty: [] }
    const take = [
      ['refresh', measured([bin, 'refresh', '--force', 'a1'])],
      ['request', measured([bareRequest, `${server.url}/api/oauth/usage`])],
      ['empty', measured(['-e', '0'])],
    ]
    for (let i = 0; i < Math.max(5, Math.floor(RUNS / 2)); i++) for (const [k, t] of take) runs[k].push(t())
    const med = (k, field) => median(runs[k].map((r) => r[field]))
    const cpuRatio = med('refresh', 'cpuMs') / med('request', 'cpuMs')
    const rssMb = med('refresh', 'rssKb') / 1024
    ok &&= cpuRatio <= CPU_TARGET && rssMb <= RSS_TARGET_MB
    lines.push(
      `refresh of one account: CPU ${f1(med('refresh', 'cpuMs'))} ms vs node + one bare request ${f1(med('request', 'cpuMs'))} ms -> ${against(cpuRatio, CPU_TARGET)}`,
      `refresh of one account: peak RSS ${f1(rssMb)} MB (target <= ${RSS_TARGET_MB} MB) vs node + one bare request ${f1(med('request', 'rssKb') / 1024)} MB, node -e 0 ${f1(med('empty', 'rssKb') / 1024)} MB`,
    )
  } finally {
    server.close()
    rmSync(home, { recursive: true, force: true })
  }
  return { ok, lines }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { ok, lines } = await benchCli()
  for (const l of lines) console.log(l)
  process.exitCode = ok ? 0 : 1
}
