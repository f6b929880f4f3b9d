import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs'
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
})
