import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { refreshesSettled, runCli, waitFor, waybarText } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import {
  backdateAttempt,
  claudeAccounts,
  later,
  spawnWatch,
  USAGE,
  usage,
  type Watch,
} from '../helpers/live.js'
import { type FakeServer, startServer } from '../helpers/server.js'

let server: FakeServer
let h: TempHome
const running: Watch[] = []
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => {
  for (const w of running.splice(0))
    if (w.child.exitCode === null && w.child.pid) process.kill(w.child.pid, 'SIGKILL')
  h?.cleanup()
})
const watch = (args: string[], env: Record<string, string>, stdin: 'pipe' | 'ignore' = 'ignore') => {
  const w = spawnWatch(args, env, stdin)
  running.push(w)
  return w
}
const two = (extra: Record<string, unknown> = {}) => {
  h = makeHome()
  return claudeAccounts(
    h,
    server,
    { work: { body: usage(37, 12) }, personal: { body: usage(81, 64) } },
    extra,
  )
}
const text = (line: string | undefined) => waybarText(JSON.parse(line ?? '{}').text ?? '')

describe('quotabar watch', () => {
  it('SIGUSR1 inside the provider floor asks nothing; past it, it asks', async () => {
    const { env, set } = two()
    const w = watch(['-f', 'plain'], { ...env, DEBUG: 'quotabar' })
    const settled = () => (w.stderr().match(/watch: refresh of \d+ account\(s\) settled/g) ?? []).length
    await w.waitLines(1, 'the first line (after the first fetch)')
    expect(server.count(USAGE)).toBe(2)
    set('work', { body: usage(50, 12) })
    const before = settled()
    w.child.kill('SIGUSR1')
    // A positive marker, not a sleep: the refresh SIGUSR1 started has settled, asking nothing.
    await waitFor(() => settled() > before, 'the SIGUSR1 refresh settled')
    expect(server.count(USAGE)).toBe(2)
    backdateAttempt(h, 'claude/work', 180)
    w.child.kill('SIGUSR1')
    await waitFor(() => w.lines.at(-1)?.startsWith('work 50%') === true, `the new line in ${w.lines}`)
    expect(server.count(USAGE)).toBe(3)
  })

  it('waybar: a line with data, SIGUSR1 refreshes, another process’s write shows, SIGTERM exits 0', async () => {
    const { env, set } = two()
    const w = watch(['-f', 'waybar'], env)
    await w.waitLines(1, 'the first line (after the first fetch)')
    expect(text(w.lines[0])).toBe('work 37% · personal 81%')
    expect(server.count(USAGE)).toBe(2)

    set('work', { body: usage(50, 12) })
    set('personal', { body: usage(60, 30) })
    // SIGUSR1 asks nothing inside Claude's 180 s floor: let that much time pass for both.
    for (const id of ['work', 'personal']) backdateAttempt(h, `claude/${id}`, 180)
    w.child.kill('SIGUSR1')
    await waitFor(() => text(w.lines.at(-1)) === 'work 50% · personal 60%', 'a line after SIGUSR1')
    expect(server.count(USAGE)).toBe(4)

    // A one-shot refresh in another process writes the cache: the watch shows it, fetching nothing.
    set('work', { body: usage(20, 12) })
    const r = await runCli(['refresh', '--force'], env)
    expect(r.code).toBe(0)
    await waitFor(() => text(w.lines.at(-1)) === 'work 20% · personal 60%', 'a line after the cache changed')
    // A refresh holds its account's lock while it asks: none held means nobody is asking.
    await refreshesSettled(h.cacheDir)
    expect(server.count(USAGE)).toBe(6)
    // One line per change: never the same line twice in a row.
    w.lines.forEach((line, i) => {
      expect(line).not.toBe(w.lines[i - 1])
    })

    w.child.kill('SIGTERM')
    expect(await w.exit).toEqual({ code: 0, signal: null })
    for (const line of w.lines) expect(() => JSON.parse(line)).not.toThrow()
  })

  it('a one-shot render and a watch on the same stale cache fetch each account once', async () => {
    const { env } = two()
    expect((await runCli(['-f', 'waybar'], env)).code).toBe(0)
    expect(server.count(USAGE)).toBe(2)
    server.on(USAGE, { body: usage(44, 12), delayMs: 300 })
    const stale = { ...env, QUOTABAR_NOW: later(301) }
    const w = watch(['-f', 'plain'], stale)
    const renders = await Promise.all(Array.from({ length: 4 }, () => runCli(['-f', 'waybar'], stale)))
    for (const r of renders) expect(r.code).toBe(0)
    await waitFor(() => w.lines.some((l) => l === 'work 44% · personal 44%'), `the new data in ${w.lines}`)
    await refreshesSettled(h.cacheDir)
    expect(server.count(USAGE)).toBe(4)
  })

  it('exits 0 when the bar closes the pipe (EPIPE) and on SIGINT', async () => {
    const { env, set } = two()
    const a = watch(['-f', 'tmux'], env)
    await a.waitLines(1)
    a.child.stdout?.destroy()
    set('work', { body: usage(51, 12) })
    for (const id of ['work', 'personal']) backdateAttempt(h, `claude/${id}`, 180) // past the floor
    a.child.kill('SIGUSR1')
    expect(await a.exit).toEqual({ code: 0, signal: null })

    const b = watch(['-f', 'polybar'], env)
    await b.waitLines(1)
    expect(b.lines[0]).toBe('%{F#3a9d23}work 51%%{F-} · %{F#e07000}personal 81%%{F-}')
    b.child.kill('SIGINT')
    expect(await b.exit).toEqual({ code: 0, signal: null })
  })

  it('i3bar: header, endless array, clicks on stdin change the window and the short text', async () => {
    const { env } = two()
    const w = watch(['-f', 'i3bar'], env, 'pipe')
    await w.waitLines(3)
    expect(w.lines.slice(0, 2)).toEqual(['{"version":1,"click_events":true}', '['])
    const blocks = JSON.parse(w.lines[2] ?? '')
    expect(blocks.map((b: { full_text: string }) => b.full_text)).toEqual(['work 37%', 'personal 81%'])
    expect(blocks[1]).toMatchObject({
      name: 'quotabar',
      instance: 'claude/personal',
      color: '#e07000',
      markup: 'none',
    })

    // Right click twice: auto → session (the text names it: "work 5h 37%") → weekly.
    const click = (button: number) =>
      `{"name":"quotabar","instance":"claude/work","button":${button},"x":5,"y":5,"relative_x":1,"relative_y":1,"width":40,"height":20,"modifiers":[]}\n`
    const frame = (line: string | undefined) =>
      (JSON.parse(line?.replace(/^,/, '') ?? '[]') as { full_text: string; short_text: string }[]) ?? []
    const last = () => frame(w.lines.at(-1))
    w.child.stdin?.write(`[\n${click(3)},${click(3)}`)
    // One line per click, or one for both: the watch may see them in one read.
    await waitFor(() => last()[0]?.full_text === 'work 7d 12%', 'a line with the weekly window')
    expect(w.lines.slice(3).every((l) => l.startsWith(',['))).toBe(true)
    expect(last().map((b) => b.full_text)).toEqual(['work 7d 12%', 'personal 7d 64%'])
    const state = join(h.home, '.local/state/quotabar/view.json')
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({ v: 1, focus: null, window: 'weekly' })
    // The one-shot render honours the same choice.
    expect((await runCli(['--no-refresh'], env)).stdout).toBe('work 7d 12% · personal 7d 64%\n')

    // Left click: the short text is about the next account (work); the other keeps a short label.
    const before = w.lines.length
    w.child.stdin?.write(`,${click(1)}`)
    await w.waitLines(before + 1, 'a line after the left click')
    expect(last().map((b) => b.short_text)).toEqual(['work 7d 12%', 'p 7d 64%'])
    w.child.kill('SIGTERM')
    expect((await w.exit).code).toBe(0)
  })

  it('i3blocks persist: one JSON line per change for format=json, urgent when critical', async () => {
    h = makeHome()
    const { env } = claudeAccounts(h, server, {
      work: { body: usage(37, 12) },
      client: { body: usage(94, 71) },
    })
    const w = watch(['-f', 'i3blocks'], env)
    await w.waitLines(1)
    expect(JSON.parse(w.lines[0] ?? '')).toEqual({
      full_text: 'work 37% · client 94% 2h',
      short_text: 'client 94% 2h',
      color: '#d00000',
      urgent: 'true',
    })
    w.child.kill('SIGTERM')
    expect((await w.exit).code).toBe(0)
  })

  it('a broken config: the problem line, and the watch keeps running until it is fixed', async () => {
    const { env } = two()
    const good = readFileSync(h.configFile, 'utf8')
    h.writeConfig('{"accounts": [')
    const w = watch(['-f', 'waybar'], env)
    await w.waitLines(1)
    expect(JSON.parse(w.lines[0] ?? '')).toMatchObject({ text: 'quotabar: config error', class: ['error'] })
    expect(server.count(USAGE)).toBe(0)
    h.writeConfig(good)
    await w.waitLines(2, 'a line after the config was fixed')
    // The first line after the fix waits for the first fetch: no "work --" in between.
    expect(text(w.lines[1])).toBe('work 37% · personal 81%')
    w.child.kill('SIGTERM')
    expect((await w.exit).code).toBe(0)
  })

  it('a config edited while it runs: each edit shows on the next line (the settings a render keeps follow the file)', async () => {
    const { env } = two()
    const w = watch(['-f', 'waybar'], env)
    await w.waitLines(1)
    expect(text(w.lines[0])).toBe('work 37% · personal 81%')
    const config = JSON.parse(readFileSync(h.configFile, 'utf8'))
    for (const [n, label] of [
      [2, 'job'],
      [3, 'day job'],
    ] as const) {
      config.accounts[0].label = label
      h.writeConfig(config)
      await w.waitLines(n, `a line after the label became "${label}"`)
      expect(text(w.lines[n - 1])).toBe(`${label} 37% · personal 81%`)
    }
    expect(server.count(USAGE)).toBe(2)
    w.child.kill('SIGTERM')
    expect((await w.exit).code).toBe(0)
  })

  it('usage errors: json is not a watch format', async () => {
    h = makeHome()
    const r = await runCli(['watch', '-f', 'json'], h.env)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/Invalid values:[\s\S]*format/)
  })
})
