import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCommand } from '../../src/live/exec.js'

/** The notification hook and the bar helpers: a hook that leaves children never holds us up. */

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' }
const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
const pidFile = () => {
  const d = mkdtempSync(join(tmpdir(), 'quotabar-exec-'))
  dirs.push(d)
  return join(d, 'child.pid')
}

describe('runCommand (hooks, notify-send, tmux)', () => {
  it("a hook that leaves a background child (sh -c 'x & exit') returns when the hook does", async () => {
    const file = pidFile()
    const r = await runCommand(['/bin/sh', '-c', `sleep 30 & echo $! > '${file}'; exit 0`], {
      env,
      input: '{"type":"warning"}\n',
      timeoutMs: 5000,
    })
    expect(r.error).toBeNull()
    process.kill(Number(readFileSync(file, 'utf8')), 'SIGKILL')
  })

  it('a hook and its child ignoring SIGTERM: the timeout kills the whole group', async () => {
    const file = pidFile()
    const r = await runCommand(
      ['/bin/sh', '-c', `trap "" TERM; sh -c 'trap "" TERM; sleep 30' & echo $! > '${file}'; wait`],
      { env, timeoutMs: 600 },
    )
    expect(r.error).toBe('timed out after 600 ms')
    const child = Number(readFileSync(file, 'utf8'))
    const deadline = Date.now() + 2000
    while (alive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(alive(child)).toBe(false)
  })
})
