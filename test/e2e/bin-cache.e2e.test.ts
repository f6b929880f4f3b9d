import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { emptyEntry, writeEntry } from '../../src/cache/store.js'
import { cachedData } from '../../src/cli/bin-cache.js'
import { codeCachePath, runCli } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'

// The bin loads its own bundle (fast.cjs) through V8's code cache (src/cli/bin-cache.ts), with a
// crypto-free check: a header naming the build, then the V8 data twice. DEBUG says which way.
let h: TempHome | undefined
afterEach(() => {
  h?.cleanup()
  h = undefined
})

const RENDER = ['-f', 'waybar']
const NOW = '2026-11-22T10:00:00.000Z'
const cacheFile = (t: TempHome) => codeCachePath(join(t.home, '.cache', 'quotabar'), 'fast.cjs')
const run = (t: TempHome, args = RENDER) => runCli(args, { ...t.env, DEBUG: 'quotabar', QUOTABAR_NOW: NOW })

/** One Copilot account (its key in a variable: no login file) with a fresh cache entry. */
function homeWithAccount(): TempHome {
  const t = makeHome()
  t.writeConfig({ accounts: [{ provider: 'copilot', id: 'alice', apiKeyEnv: 'TEST_GH_TOKEN' }] })
  const snapshot = {
    fetchedAt: NOW,
    plan: 'Pro',
    email: null,
    windows: [
      {
        id: 'monthly',
        label: 'month',
        usedPercent: 33,
        resetsAt: '2026-12-01T00:00:00.000Z',
        windowSeconds: 2592000,
      },
    ],
    spend: [],
  }
  writeEntry(t.cacheDir, {
    ...emptyEntry('copilot/alice'),
    credentialStamp: '',
    snapshot,
    lastAttemptAt: NOW,
  })
  return t
}
const said = (stderr: string) => /bin cache fast\.cjs: (used|rejected by V8|none)/.exec(stderr)?.[1]

describe('cachedData: the V8 data only from an intact file of this build', () => {
  const head = 'QBBIN1\nfast.cjs abc 10 v20 x64\n'
  const data = Buffer.from('v8 code cache bytes')
  const file = Buffer.concat([Buffer.from(head, 'latin1'), data, data])
  it('an intact file gives its data', () => {
    expect(cachedData(file, head)).toEqual(data)
  })
  it.each([
    ['another build', (b: Buffer) => b, 'QBBIN1\nfast.cjs abd 10 v20 x64\n'],
    [
      'a flipped byte in the first copy',
      (b: Buffer) => b.map((x, i) => (i === head.length + 3 ? x ^ 1 : x)),
      head,
    ],
    [
      'a flipped byte in the second copy',
      (b: Buffer) => b.map((x, i) => (i === b.length - 1 ? x ^ 1 : x)),
      head,
    ],
    ['a truncated file', (b: Buffer) => b.subarray(0, b.length - 1), head],
    ['a zero-filled tail', (b: Buffer) => b.map((x, i) => (i >= b.length - 5 ? 0 : x)), head],
    ['the header alone', (b: Buffer) => b.subarray(0, head.length), head],
    ['an empty file', () => Buffer.alloc(0), head],
  ])('%s gives nothing', (_name, damage, want) => {
    expect(cachedData(Buffer.from(damage(Buffer.from(file))), want)).toBeNull()
  })
})

describe('the code cache of the bin', () => {
  it('is written by the first render and used by the next, with the same output', async () => {
    h = homeWithAccount()
    const first = await run(h)
    expect(said(first.stderr)).toBe('none')
    expect(statSync(cacheFile(h)).size).toBeGreaterThan(20_000)
    const second = await run(h)
    expect(said(second.stderr)).toBe('used')
    expect([second.stdout, second.code]).toEqual([first.stdout, first.code])
    expect(JSON.parse(second.stdout).text).toContain('alice 33%')
  })

  it('is not written by a run that shows no account (it would hold little of a render)', async () => {
    h = homeWithAccount()
    for (const args of [['--version'], ['--demo', '-f', 'waybar'], ['-f', 'waybar', '-a', 'nobody']]) {
      expect((await run(h, args)).code).toBe(0)
      expect(() => statSync(cacheFile(h as TempHome))).toThrow()
    }
    expect(said((await run(h)).stderr)).toBe('none')
    expect(said((await run(h)).stderr)).toBe('used')
  })

  it('a damaged file is ignored, the output stays the same, and the file is written anew', async () => {
    h = homeWithAccount()
    const clean = await run(h)
    const good = readFileSync(cacheFile(h))
    writeFileSync(
      cacheFile(h),
      good.map((x, i) => (i === good.length - 100 ? x ^ 0xff : x)),
    )
    const damaged = await run(h)
    expect(said(damaged.stderr)).toBe('none')
    expect([damaged.stdout, damaged.code]).toEqual([clean.stdout, clean.code])
    expect(said((await run(h)).stderr)).toBe('used')
  })
})

describe('one cache file per build', () => {
  it("another build's file stays while recent (two installs share a cache dir); it goes once a month old, as does the old unversioned name, for the side bundles too", async () => {
    h = homeWithAccount()
    const dir = dirname(cacheFile(h))
    mkdirSync(dir, { recursive: true })
    const other = join(dir, 'fast.cjs.0123456789abcdef.v8')
    const old = join(dir, 'fast.cjs.fedcba9876543210.v8')
    const unversioned = join(dir, 'fast.cjs.v8')
    const unrelated = join(dir, 'full.cjs.fedcba9876543210.v8')
    for (const f of [other, old, unversioned, unrelated]) writeFileSync(f, 'another build')
    const monthAgo = new Date(Date.now() - 31 * 86_400_000)
    for (const f of [old, unrelated]) utimesSync(f, monthAgo, monthAgo)
    expect(said((await run(h)).stderr)).toBe('none')
    const left = readdirSync(dir)
    expect(left.filter((f) => f.startsWith('fast.')).sort()).toEqual(
      [basename(cacheFile(h)), basename(other)].sort(),
    )
    // The first run validated the config through full.cjs, whose cache write prunes the same way.
    expect(left.filter((f) => f.startsWith('full.'))).toEqual([
      basename(codeCachePath(dirname(dir), 'full.cjs')),
    ])
    // The other install's file did not take this one's place: the next render uses its own.
    expect(said((await run(h)).stderr)).toBe('used')
  })
})
