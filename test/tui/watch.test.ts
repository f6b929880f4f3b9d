import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { afterAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import type { CommandContext } from '../../src/context.js'
import { defaultSettings } from '../../src/config/accounts.js'
import { resolvePaths } from '../../src/config/paths.js'
import { runWatch } from '../../src/tui/watch.js'
import { waitFor } from '../helpers/cli.js'

/** The watch loop against in-memory streams (the tmux e2e test drives the real terminal). */

const home = mkdtempSync(join(tmpdir(), 'quotabar-watch-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))
const env = { HOME: home }
const ctx: CommandContext = {
  env,
  paths: resolvePaths(env),
  settings: defaultSettings(env, home),
  configFile: null,
  now: () => new Date('2026-11-22T10:00:00Z'),
}

function fakeTerminal(columns: number, rows: number) {
  let written = ''
  const stdout = Object.assign(
    new Writable({
      write(chunk, _enc, cb) {
        written += chunk.toString()
        cb()
      },
    }),
    { columns, rows, isTTY: false },
  )
  const stdin = Object.assign(new PassThrough(), { isTTY: false })
  return {
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    written: () => written,
    type: (key: string) => stdin.write(key),
  }
}

describe('runWatch', () => {
  it('ticks, redraws in place, refreshes on r, quits on q and restores the terminal', async () => {
    const term = fakeTerminal(50, 3)
    const frames: { refreshing: boolean; columns: number }[] = []
    const screen = {
      frame: (s: { refreshing: boolean; columns: number; rows: number }) => {
        frames.push(s)
        return [`frame ${frames.length}`, 'second', 'third', 'fourth is clipped']
      },
    }
    const sigints = process.listenerCount('SIGINT')
    // The tick is a fake interval the test advances: a frame per tick, however slow the machine.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    onTestFinished(() => {
      vi.useRealTimers()
    })
    const done = runWatch(ctx, [], screen, { stdin: term.stdin, stdout: term.stdout, tickMs: 20 })
    expect(process.listenerCount('SIGINT')).toBe(sigints + 1)
    expect(frames.length).toBe(1)
    vi.advanceTimersByTime(60)
    expect(frames.length).toBe(4)
    expect(frames.every((f) => f.columns === 50 && !f.refreshing)).toBe(true)
    expect(term.written().startsWith('\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[H')).toBe(true)
    // Three rows: the frame fills the screen, so nothing after it (a CR LF would scroll).
    expect(term.written()).toContain('\x1b[H\x1b[2Kframe 2\r\n\x1b[2Ksecond\r\n\x1b[2Kthird\x1b[H')
    expect(term.written()).not.toContain('fourth')

    // Nothing is due without accounts, so only the key can start a refresh.
    expect(frames.some((f) => f.refreshing)).toBe(false)
    term.type('r')
    await waitFor(() => frames.some((f) => f.refreshing), 'a frame drawn while refreshing')

    term.type('q')
    expect(await done).toBe(0)
    expect(term.written().endsWith('\x1b[?7h\x1b[?25h\x1b[?1049l')).toBe(true)
    expect(process.listenerCount('SIGINT')).toBe(sigints)
    // The tick is gone (a leaked interval would also keep the process from exiting).
    expect(vi.getTimerCount()).toBe(0)
    const count = frames.length
    vi.advanceTimersByTime(1000)
    expect(frames.length).toBe(count)
  })

  it('Ctrl-C in raw mode quits like q', async () => {
    const term = fakeTerminal(80, 24)
    const done = runWatch(
      ctx,
      [],
      { frame: () => ['x'] },
      { stdin: term.stdin, stdout: term.stdout, tickMs: 20 },
    )
    term.type('\x03')
    expect(await done).toBe(0)
    // A frame shorter than the screen clears what is below it, from the next line on.
    expect(term.written()).toContain('\x1b[H\x1b[2Kx\r\n\x1b[J')
  })
})
