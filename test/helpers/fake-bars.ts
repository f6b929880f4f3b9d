import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { waitFor } from './cli.js'

/**
 * Stand-ins for the bars a nudge wakes: a shell script that writes every realtime signal it gets,
 * by number. It is NOT named after the bar: this machine may run real bars, other test runs
 * (test/bars/run.sh sends `pkill -RTMIN+8 waybar`) or other users' nudges, and a recorder called
 * `waybar` would count their signals too (`pkill` matches any name containing the pattern). The
 * bar's name lives in a /proc stand-in instead (fakeProc): quotabar looks there when the test
 * sets QUOTABAR_PROC_DIR, so it signals only the processes the test started.
 * tmux and polybar-msg are scripts on PATH that log their arguments.
 */

// SIGRTMAX (64) is the test's own: the shell runs pending traps lowest signal first, so once its
// "flushed" line is written, every signal sent before it has been written too.
const RECORDER = `#!/bin/sh
out="$1"
for n in $(seq 34 63); do trap "echo $n >> '$out'" $n; done
trap "echo flushed >> '$out'" 64
echo ready >> "$out"
while :; do sleep 0.05; done
`

export interface FakeBar {
  /** The bar it stands for (its comm in fakeProc). */
  name: string
  child: ChildProcess
  /** The realtime signals written so far, by number. */
  signals(): string[]
  /** Waits until every signal sent to it before this call has been written: then count. */
  flush(): Promise<void>
  stop(): void
}

export async function startFakeBar(dir: string, name: string): Promise<FakeBar> {
  mkdirSync(dir, { recursive: true })
  const exe = join(dir, 'signal-recorder')
  const out = join(dir, `${name}.signals`)
  writeFileSync(exe, RECORDER)
  chmodSync(exe, 0o755)
  writeFileSync(out, '')
  const child = spawn(exe, [out], { stdio: 'ignore' })
  const lines = () => readFileSync(out, 'utf8').split('\n').filter(Boolean)
  await waitFor(() => lines().includes('ready'), `fake ${name} to start`)
  return {
    name,
    child,
    signals: () => lines().filter((l) => l !== 'ready' && l !== 'flushed'),
    flush: async () => {
      const flushed = () => lines().filter((l) => l === 'flushed').length
      const before = flushed()
      if (child.pid) process.kill(child.pid, 64)
      await waitFor(() => flushed() > before, `fake ${name} to write what it got`)
    },
    stop: () => {
      if (child.pid) process.kill(child.pid, 'SIGKILL')
    },
  }
}

/**
 * A /proc holding only these bars, each `<pid>/comm` naming the bar it stands for (what quotabar
 * reads there), owned by this user like the real entries. Pass it as QUOTABAR_PROC_DIR (or as
 * nudgeBars' procDir).
 */
export function fakeProc(dir: string, bars: FakeBar[]): string {
  for (const b of bars) {
    mkdirSync(join(dir, String(b.child.pid)), { recursive: true })
    writeFileSync(join(dir, String(b.child.pid), 'comm'), `${b.name}\n`)
  }
  return dir
}

/** `tmux` and `polybar-msg` that log "NAME ARGS" to `<dir>/calls.log`; tmux lists two clients. */
export function fakeHelpers(dir: string): { bin: string; calls(): string[] } {
  const bin = join(dir, 'bin')
  mkdirSync(bin, { recursive: true })
  const log = join(dir, 'calls.log')
  writeFileSync(log, '')
  const script = (name: string, extra = '') => `#!/bin/sh\necho "${name} $*" >> '${log}'\n${extra}`
  writeFileSync(
    join(bin, 'tmux'),
    script('tmux', `[ "$1" = list-clients ] && printf '/dev/pts/7\\n/dev/pts/9\\n'\nexit 0\n`),
  )
  writeFileSync(join(bin, 'polybar-msg'), script('polybar-msg'))
  chmodSync(join(bin, 'tmux'), 0o755)
  chmodSync(join(bin, 'polybar-msg'), 0o755)
  return { bin, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) }
}
