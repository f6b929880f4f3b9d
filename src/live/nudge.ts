import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Env } from '../config/paths.js'
import type { Config } from '../config/schema.js'
import { debug } from '../debug.js'
import { findOnPath, runCommand } from './exec.js'

/**
 * Wakes bars after new data was written (config `nudge`), so an interval bar shows it now, not at
 * its next tick. Each nudge matches one bar config (examples/): Waybar / i3blocks `signal = N`
 * get SIGRTMIN+N (what `pkill -RTMIN+N waybar` sends), tmux clients redraw their status line,
 * a polybar `custom/ipc` module runs its hook. Missing programs are skipped.
 */

export type NudgeConfig = NonNullable<Config['nudge']>

export interface NudgeDeps {
  env: Env
  /**
   * Where processes are listed: /proc, or env QUOTABAR_PROC_DIR (tests point it at a stand-in
   * holding only the processes they started, so a test never signals a real bar).
   */
  procDir?: string
  uid?: number
  sigRtMin?: number
}

const TIMEOUT_MS = 3000

/** What was nudged, for `DEBUG=quotabar` and tests. */
export type NudgeReport = string[]

export async function nudgeBars(
  nudge: NudgeConfig | null | undefined,
  deps: NudgeDeps,
): Promise<NudgeReport> {
  const done: NudgeReport = []
  if (!nudge) return done
  const rtmin = () => deps.sigRtMin ?? sigRtMin()
  for (const [name, n] of [
    ['waybar', nudge.waybarSignal],
    ['i3blocks', nudge.i3blocksSignal],
  ] as const) {
    if (n === undefined) continue
    const pids = signalByName(name, rtmin() + n, deps)
    done.push(`${name} SIGRTMIN+${n} -> ${pids.length ? pids.join(',') : 'no process'}`)
  }
  if (nudge.tmux) done.push(await nudgeTmux(deps.env))
  if (nudge.polybarHook) {
    const bin = findOnPath('polybar-msg', deps.env)
    const r = bin
      ? await runCommand([bin, 'action', nudge.polybarHook], { env: deps.env, timeoutMs: TIMEOUT_MS })
      : null
    done.push(`polybar-msg action ${nudge.polybarHook}: ${r ? (r.error ?? 'ok') : 'not installed'}`)
  }
  for (const line of done) debug(`nudge: ${line}`)
  return done
}

/**
 * SIGRTMIN is a C-library number, not the kernel's: glibc reserves two realtime signals (34),
 * musl three (35). The bar uses the same C library as the node running us, and node's report
 * says which one that is.
 */
export function sigRtMin(): number {
  const report = process.report.getReport()
  const header = 'header' in report && typeof report.header === 'object' ? report.header : null
  return header !== null && 'glibcVersionRuntime' in header ? 34 : 35
}

/** `pkill -SIG NAME` without pkill: /proc/<pid>/comm, this user's processes only. */
export function signalByName(name: string, signal: number, deps: NudgeDeps): number[] {
  const proc = deps.procDir ?? deps.env.QUOTABAR_PROC_DIR ?? '/proc'
  const uid = deps.uid ?? process.getuid?.() ?? -1
  const hit: number[] = []
  let pids: string[] = []
  try {
    pids = readdirSync(proc).filter((d) => /^\d+$/.test(d))
  } catch {
    return hit
  }
  for (const pid of pids) {
    try {
      if (readFileSync(join(proc, pid, 'comm'), 'utf8').trim() !== name) continue
      if (statSync(join(proc, pid)).uid !== uid) continue
      process.kill(Number(pid), signal)
      hit.push(Number(pid))
    } catch {
      // Gone in the meantime, or not ours to signal.
    }
  }
  return hit
}

/** `tmux refresh-client -S` for every client of the server this environment points at. */
async function nudgeTmux(env: Env): Promise<string> {
  const tmux = findOnPath('tmux', env)
  if (!tmux) return 'tmux: not installed'
  const list = await runCommand([tmux, 'list-clients', '-F', '#{client_name}'], {
    env,
    timeoutMs: TIMEOUT_MS,
  })
  if (list.error) return `tmux: no server (${list.error})`
  const clients = list.stdout.split('\n').filter(Boolean)
  for (const c of clients)
    await runCommand([tmux, 'refresh-client', '-S', '-t', c], { env, timeoutMs: TIMEOUT_MS })
  return `tmux refresh-client -S: ${clients.length} client(s)`
}
