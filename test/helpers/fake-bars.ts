import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { waitFor } from './cli.js'

/**
 * Stand-ins for the bars a nudge wakes. A process's name in /proc/<pid>/comm is its executable's
 * file name (`exec -a` does not change it), so the recorder is a shell script saved as `waybar`
 * or `i3blocks` and run from there; it writes every realtime signal it gets, by number.
 * tmux and polybar-msg are scripts on PATH that log their arguments.
 */

const RECORDER = `#!/bin/sh
out="$1"
for n in $(seq 34 64); do trap "echo $n >> '$out'" $n; done
echo ready >> "$out"
while :; do sleep 0.05; done
`

export interface FakeBar {
  child: ChildProcess
  signals(): string[]
  stop(): void
}

export async function startFakeBar(dir: string, name: string): Promise<FakeBar> {
  mkdirSync(dir, { recursive: true })
  const exe = join(dir, name)
  const out = join(dir, `${name}.signals`)
  writeFileSync(exe, RECORDER)
  chmodSync(exe, 0o755)
  writeFileSync(out, '')
  const child = spawn(exe, [out], { stdio: 'ignore' })
  const lines = () => readFileSync(out, 'utf8').split('\n').filter(Boolean)
  await waitFor(() => lines().includes('ready'), `fake ${name} to start`)
  return {
    child,
    signals: () => lines().filter((l) => l !== 'ready'),
    stop: () => {
      if (child.pid) process.kill(child.pid, 'SIGKILL')
    },
  }
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
