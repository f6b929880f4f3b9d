import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nudgeBars, sigRtMin, signalByName } from '../../src/live/nudge.js'
import { type FakeBar, fakeHelpers, fakeProc, startFakeBar } from '../helpers/fake-bars.js'

let dir: string
const bars: FakeBar[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quotabar-nudge-'))
})
afterEach(() => {
  for (const b of bars.splice(0)) b.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** A /proc holding only the processes this test started: a nudge never reaches a real bar. */
const procOf = (started: FakeBar[]) => fakeProc(join(dir, 'proc'), started)

describe('nudging bars', () => {
  it('SIGRTMIN is glibc’s 34 here (node runs on glibc)', () => {
    expect(sigRtMin()).toBe(34)
  })

  it('each configured bar gets its signal, processes with other names get nothing', async () => {
    const waybar = await startFakeBar(join(dir, 'a'), 'waybar')
    const i3blocks = await startFakeBar(join(dir, 'b'), 'i3blocks')
    const other = await startFakeBar(join(dir, 'c'), 'waybar-not')
    bars.push(waybar, i3blocks, other)
    const helpers = fakeHelpers(dir)
    const env = { PATH: `${helpers.bin}:${process.env.PATH}` }
    const report = await nudgeBars(
      { waybarSignal: 8, i3blocksSignal: 11, tmux: true, polybarHook: '#quotabar.hook.0' },
      { env, procDir: procOf(bars) },
    )
    await Promise.all(bars.map((b) => b.flush()))
    expect(waybar.signals()).toEqual(['42'])
    expect(i3blocks.signals()).toEqual(['45'])
    expect(other.signals()).toEqual([])
    expect(helpers.calls()).toEqual([
      'tmux list-clients -F #{client_name}',
      'tmux refresh-client -S -t /dev/pts/7',
      'tmux refresh-client -S -t /dev/pts/9',
      'polybar-msg action #quotabar.hook.0',
    ])
    expect(report[0]).toBe(`waybar SIGRTMIN+8 -> ${waybar.child.pid}`)
    expect(report[1]).toBe(`i3blocks SIGRTMIN+11 -> ${i3blocks.child.pid}`)
    expect(report.slice(2)).toEqual([
      'tmux refresh-client -S: 2 client(s)',
      'polybar-msg action #quotabar.hook.0: ok',
    ])
  })

  it('no nudge config, or helpers that are not installed: nothing happens, nothing fails', async () => {
    expect(await nudgeBars(null, { env: {} })).toEqual([])
    const report = await nudgeBars({ tmux: true, polybarHook: 'x' }, { env: { PATH: join(dir, 'empty') } })
    expect(report).toEqual(['tmux: not installed', 'polybar-msg action x: not installed'])
  })

  it('only this user’s processes are signalled', async () => {
    const waybar = await startFakeBar(join(dir, 'a'), 'waybar')
    bars.push(waybar)
    const uid = (process.getuid?.() ?? 0) + 1
    const procDir = procOf(bars)
    expect(signalByName('waybar', 42, { env: {}, uid, procDir })).toEqual([])
    expect(signalByName('waybar', 42, { env: {}, procDir })).toEqual([waybar.child.pid])
    await waybar.flush()
    expect(waybar.signals()).toEqual(['42'])
  })
})
