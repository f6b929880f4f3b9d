import { appendFileSync, copyFileSync, cpSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { codeCachePath, runCli } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'

// The bin's side bundles go through V8's code cache (src/cli/code-cache.ts); DEBUG says which way.
let h: TempHome | undefined
afterEach(() => {
  h?.cleanup()
  h = undefined
})

const ARGS = ['accounts', 'list']
const cacheFile = (t: TempHome, name: string) => codeCachePath(join(t.home, '.cache', 'quotabar'), name)
const run = (t: TempHome, args = ARGS) => runCli(args, { ...t.env, DEBUG: 'quotabar' })
const said = (stderr: string) => /code cache (\S+): (used|rejected by V8|none)/.exec(stderr)?.slice(1)

describe('the code cache of the full CLI', () => {
  it('is written by the first command and used by the next, with the same output', async () => {
    h = makeHome()
    const first = await run(h)
    expect(said(first.stderr)).toEqual(['full.cjs', 'none'])
    expect(statSync(cacheFile(h, 'full.cjs')).size).toBeGreaterThan(10_000)
    const second = await run(h)
    expect(said(second.stderr)).toEqual(['full.cjs', 'used'])
    expect([second.stdout, second.code]).toEqual([first.stdout, first.code])
  })

  it.each([
    ['a flipped byte in the V8 data', (b: Buffer) => b.map((x, i) => (i === b.length - 100 ? x ^ 0xff : x))],
    ['a truncated file', (b: Buffer) => b.subarray(0, b.length >> 1)],
    ['random bytes', (b: Buffer) => b.map((_, i) => (i * 7919) & 0xff)],
    ['an empty file', () => Buffer.alloc(0)],
  ])('%s is ignored, the output stays the same, and the file is written anew', async (_name, damage) => {
    h = makeHome()
    const clean = await run(h)
    const file = cacheFile(h, 'full.cjs')
    const good = readFileSync(file)
    writeFileSync(file, damage(Buffer.from(good)))
    const damaged = await run(h)
    expect(said(damaged.stderr)).toEqual(['full.cjs', 'none'])
    expect([damaged.stdout, damaged.code]).toEqual([clean.stdout, clean.code])
    expect(said((await run(h)).stderr)).toEqual(['full.cjs', 'used'])
  })

  it("another bundle's cache file (the hook's) is not used for the full CLI", async () => {
    h = makeHome()
    const hook = await runCli(['hook', 'claude-statusline'], { ...h.env, DEBUG: 'quotabar' })
    expect(said(hook.stderr)).toEqual(['hook.cjs', 'none'])
    const clean = await run(h)
    copyFileSync(cacheFile(h, 'hook.cjs'), cacheFile(h, 'full.cjs'))
    const foreign = await run(h)
    expect(said(foreign.stderr)).toEqual(['full.cjs', 'none'])
    expect([foreign.stdout, foreign.code]).toEqual([clean.stdout, clean.code])
  })

  it('a report that reads new log lines adds the reader to a cache a run with nothing new wrote', async () => {
    const t = makeHome()
    h = t
    const claude = join(t.home, '.claude-work')
    cpSync(
      join(import.meta.dirname, '..', 'fixtures', 'logs', 'claude', 'projects'),
      join(claude, 'projects'),
      {
        recursive: true,
      },
    )
    t.writeConfig({ accounts: [{ provider: 'claude', id: 'work', configDir: claude }] })
    const transcript = join(
      claude,
      'projects',
      '-Users-dev-legacy',
      '99999999-aaaa-4bbb-8ccc-dddddddddddd.jsonl',
    )
    const env = { ...t.env, QUOTABAR_NOW: '2026-08-12T12:00:00.000Z' }
    const report = async () => {
      const r = await runCli(['report', '--json', '--days', '30'], { ...env, DEBUG: 'quotabar' })
      expect(r.code, r.stderr).toBe(0)
      return { said: said(r.stderr), total: JSON.parse(r.stdout).total }
    }
    const file = cacheFile(t, 'full.cjs')
    // The parts line, after the two header lines: the commands (and code paths) the cache holds.
    const parts = () => readFileSync(file, 'latin1').split('\n')[2]
    const more = (n: number) =>
      appendFileSync(
        transcript,
        `${JSON.stringify({ type: 'assistant', timestamp: '2026-08-12T10:00:00.000Z', requestId: `req_cc${n}`, message: { id: `msg_cc${n}`, model: 'claude-haiku-4-5-20251001', usage: { input_tokens: 100, output_tokens: 10 } } })}\n`,
      )
    await report()
    // As after an upgrade: the scan state is there, the code cache is not.
    rmSync(file)
    const idle = await report()
    expect(parts()).toBe('report')
    more(1)
    const read = await report()
    expect(read.said).toEqual(['full.cjs', 'used'])
    expect(read.total.requests).toBe(idle.total.requests + 1)
    expect(parts()).toBe('report,logs')
    // Known from then on: the cache is used and not written again.
    const written = readFileSync(file)
    more(2)
    const next = await report()
    expect(next.said).toEqual(['full.cjs', 'used'])
    expect(next.total.requests).toBe(idle.total.requests + 2)
    expect(readFileSync(file).equals(written)).toBe(true)
  })
})
