import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { previousPath } from '../../src/cache/store.js'
import { loadIndex, statePath } from '../../src/logs/state.js'
import { accountOf, byModel, HAIKU, haikuLine as line, oneProject, scan, tempCopy } from './helpers.js'

// The scan state is an index (read marks and summed totals), read by every refresh, and a detail
// (per-file totals and dedupe hashes), read only when there is something to read.
const NOW = '2026-08-12T12:00:00.000Z'
let t: ReturnType<typeof tempCopy> | undefined
afterEach(() => t?.cleanup())

function setup(requests: number) {
  t = tempCopy()
  const p = oneProject(t, { 's.jsonl': Array.from({ length: requests }, (_, i) => line(i)).join('') }, NOW)
  return {
    file: join(p.dir, 's.jsonl'),
    index: p.index,
    detail: p.index.replace(/\.json$/, '.detail'),
    run: () => p.run(),
  }
}

describe('scan state', () => {
  it('the index a refresh with nothing new reads holds no per-request data', async () => {
    const s = setup(5000)
    expect(byModel(await s.run())[HAIKU]).toMatchObject({ requests: 5000 })
    // 5000 request keys and message ids are 80 kB of hashes: they are in the detail only.
    expect(statSync(s.index).size).toBeLessThan(2000)
    expect(statSync(s.detail).size).toBeGreaterThan(80_000)
  })

  it('nothing new: the answer comes from the index, the detail is not read', async () => {
    const s = setup(3)
    const first = await s.run()
    writeFileSync(s.detail, 'not json')
    const again = await s.run()
    expect(again.stats).toMatchObject({ filesRead: 0, changed: false })
    expect(byModel(again)).toEqual(byModel(first))
  })

  it('an index seen.ts vouches for is taken as written (marks, sum); any other is checked whole', async () => {
    const s = setup(3)
    await s.run()
    const good = JSON.parse(readFileSync(s.index, 'utf8'))
    const { pricing } = good
    const key = Object.keys(good.sum.buckets)[0] as string
    writeFileSync(s.index, JSON.stringify({ ...good, sum: { ...good.sum, buckets: { [key]: 'x' } } }))
    expect(loadIndex(s.index, 'claude', pricing)).toBeNull()
    expect(loadIndex(s.index, 'claude', pricing, () => false)).toBeNull()
    expect(loadIndex(s.index, 'claude', pricing, () => true)?.sum.buckets[key]).toBe('x')
    // What is always checked: the shape around them, the version, source and pricing.
    for (const bad of [{ sum: 5 }, { files: [] }, { v: 0 }, { pricing: 'other' }]) {
      writeFileSync(s.index, JSON.stringify({ ...good, ...bad }))
      expect(loadIndex(s.index, 'claude', pricing, () => true)).toBeNull()
    }
    writeFileSync(s.index, JSON.stringify(good))
    expect(loadIndex(s.index, 'claude', pricing)?.sum).toEqual(good.sum)
  })

  it('a detail of another generation (a crash between the two writes) costs a full read, never a double count', async () => {
    const s = setup(3)
    await s.run()
    const stale = readFileSync(s.detail, 'utf8')
    appendFileSync(s.file, line(3))
    expect(byModel(await s.run())[HAIKU]).toMatchObject({ requests: 4 })
    // The index of the run before goes with the detail just written (or the other way round).
    writeFileSync(s.detail, stale)
    appendFileSync(s.file, line(4))
    const u = await s.run()
    expect(u.stats.bytesRead).toBe(statSync(s.file).size)
    expect(byModel(u)[HAIKU]).toMatchObject({ requests: 5, tokens: 550 })
    rmSync(s.detail)
    appendFileSync(s.file, line(5))
    expect(byModel(await s.run())[HAIKU]).toMatchObject({ requests: 6, tokens: 660 })
  })
})

describe('the index after a refresh that read some files', () => {
  it('holds the marks a cold scan writes: the untouched ones carried over, the read ones new', async () => {
    t = tempCopy()
    const dir = join(t.dir, 'projects', '-p')
    mkdirSync(dir, { recursive: true })
    const files = [0, 1, 2].map((n) => join(dir, `s${n}.jsonl`))
    for (const [n, f] of files.entries()) writeFileSync(f, line(n))
    // The middle one ends in a line still being written: its mark says so.
    appendFileSync(files[1] as string, '{"type":"assistant","timest')
    const account = accountOf('claude', t.dir)
    const warmCache = join(t.cacheDir, 'warm')
    const marks = (cacheDir: string) =>
      JSON.parse(readFileSync(statePath(cacheDir, account.key), 'utf8')).files as Record<string, unknown>
    await scan(account, warmCache, NOW)
    const first = marks(warmCache)
    expect(Object.values(first).filter((m) => (m as { pending?: boolean }).pending)).toHaveLength(1)
    appendFileSync(files[2] as string, line(3))
    const warm = await scan(account, warmCache, NOW)
    expect(warm.stats).toMatchObject({ filesRead: 1 })
    const after = marks(warmCache)
    await scan(account, join(t.cacheDir, 'cold'), NOW)
    expect(after).toEqual(marks(join(t.cacheDir, 'cold')))
    expect(after[files[0] as string]).toEqual(first[files[0] as string])
    expect(after[files[1] as string]).toEqual(first[files[1] as string])
    expect(after[files[2] as string]).not.toEqual(first[files[2] as string])
  })

  it('after files went, came and grew: a cold scan’s marks, each file once', async () => {
    t = tempCopy()
    const dir = join(t.dir, 'projects', '-p')
    mkdirSync(dir, { recursive: true })
    const files = [0, 1, 2, 3, 4].map((n) => join(dir, `s${n}.jsonl`))
    for (const [n, f] of files.slice(0, 4).entries()) writeFileSync(f, line(n))
    const account = accountOf('claude', t.dir)
    const warmCache = join(t.cacheDir, 'warm')
    const text = (cacheDir: string) => readFileSync(statePath(cacheDir, account.key), 'utf8')
    await scan(account, warmCache, NOW)
    // The index's first and last entries go, one in between grows, and a new file comes.
    const [first, , grown, last, added] = files as [string, string, string, string, string]
    expect(text(warmCache).indexOf(JSON.stringify(first))).toBeLessThan(
      text(warmCache).indexOf(JSON.stringify(last)),
    )
    rmSync(first)
    rmSync(last)
    appendFileSync(grown, line(7))
    writeFileSync(added, line(8))
    expect((await scan(account, warmCache, NOW)).stats).toMatchObject({ files: 3, filesRead: 2 })
    // Then a refresh that only reads on.
    appendFileSync(added, line(9))
    expect((await scan(account, warmCache, NOW)).stats).toMatchObject({ files: 3, filesRead: 1 })
    await scan(account, join(t.cacheDir, 'cold'), NOW)
    const warm = JSON.parse(text(warmCache))
    expect(warm.files).toEqual(JSON.parse(text(join(t.cacheDir, 'cold'))).files)
    expect(Object.keys(warm.files).sort()).toEqual([files[1], grown, added].sort())
    for (const p of Object.keys(warm.files)) expect(text(warmCache).split(JSON.stringify(p))).toHaveLength(2)
  })
})

describe('the detail is a log of records', () => {
  it('a refresh that read a few new lines appends a small record; the bytes before it stay', async () => {
    const s = setup(5000)
    await s.run()
    const before = readFileSync(s.detail)
    appendFileSync(s.file, line(5000))
    expect(byModel(await s.run())[HAIKU]).toMatchObject({ requests: 5001 })
    const after = readFileSync(s.detail)
    expect(after.subarray(0, before.length).equals(before)).toBe(true)
    expect(after.length - before.length).toBeLessThan(2000)
    // and the next refresh reads the chain back: nothing counted twice, nothing lost
    appendFileSync(s.file, line(5001))
    const u = await s.run()
    expect(u.stats.bytesRead).toBe(line(5001).length)
    expect(byModel(u)[HAIKU]).toMatchObject({ requests: 5002, tokens: 5002 * 110 })
  })

  it('a record no index names (a crash before the index was written) is never applied', async () => {
    const s = setup(3)
    await s.run()
    const index = readFileSync(s.index)
    appendFileSync(s.file, line(3))
    await s.run()
    // The index of the run before: its marks say line 3 was never read, its chain ends before it.
    writeFileSync(s.index, index)
    const u = await s.run()
    expect(u.stats.bytesRead).toBe(line(3).length)
    expect(byModel(u)[HAIKU]).toMatchObject({ requests: 4, tokens: 440 })
    appendFileSync(s.file, line(4))
    expect(byModel(await s.run())[HAIKU]).toMatchObject({ requests: 5, tokens: 550 })
  })

  it('with no index (a writer between its two renames, a crash) a refresh goes on from the one it replaced', async () => {
    const s = setup(3)
    await s.run()
    appendFileSync(s.file, line(3))
    await s.run()
    const previous = previousPath(s.index)
    const { pricing } = JSON.parse(readFileSync(s.index, 'utf8'))
    // The index a refresh replaced stays beside the new one (renamed, never renamed over).
    expect(loadIndex(previous, 'claude', pricing)?.gen).not.toBe(loadIndex(s.index, 'claude', pricing)?.gen)
    // A writer between its renames: the newest index has just become the previous one.
    rmSync(previous)
    renameSync(s.index, previous)
    appendFileSync(s.file, line(4))
    let u = await s.run()
    expect(u.stats.bytesRead).toBe(line(4).length)
    expect(byModel(u)[HAIKU]).toMatchObject({ requests: 5, tokens: 550 })
    // The newest gone (a crash), the one before it there: its marks and chain, the lines since
    // read again, none counted twice.
    appendFileSync(s.file, line(5))
    await s.run()
    rmSync(s.index)
    appendFileSync(s.file, line(6))
    u = await s.run()
    expect(u.stats.bytesRead).toBe(line(5).length + line(6).length)
    expect(byModel(u)[HAIKU]).toMatchObject({ requests: 7, tokens: 770 })
    // Neither: everything again, still counted once.
    rmSync(s.index)
    rmSync(previous, { force: true })
    appendFileSync(s.file, line(7))
    u = await s.run()
    expect(u.stats.bytesRead).toBe(statSync(s.file).size)
    expect(byModel(u)[HAIKU]).toMatchObject({ requests: 8, tokens: 880 })
  })

  it('the JSON detail an older version wrote is removed with the first new base', async () => {
    const s = setup(3)
    const legacy = s.index.replace(/\.json$/, '.detail.json')
    mkdirSync(join(s.index, '..'), { recursive: true })
    writeFileSync(legacy, '{"gen":"old","files":{}}')
    expect(byModel(await s.run())[HAIKU]).toMatchObject({ requests: 3 })
    expect(existsSync(legacy)).toBe(false)
  })

  it('many appends end in a new base record: the file stays small, the totals those of a cold scan', async () => {
    const s = setup(10)
    await s.run()
    const first = statSync(s.detail).size
    appendFileSync(s.file, line(10))
    await s.run()
    const record = statSync(s.detail).size - first
    for (let n = 11; n < 130; n++) {
      appendFileSync(s.file, line(n))
      await s.run()
    }
    // 120 records of about `record` bytes each, folded into a base now and then.
    expect(statSync(s.detail).size).toBeLessThan(first + 70 * record)
    const warm = await s.run()
    rmSync(s.detail)
    rmSync(s.index)
    const cold = await s.run()
    expect(cold.stats.bytesRead).toBe(statSync(s.file).size)
    expect(byModel(warm)).toEqual(byModel(cold))
    expect(byModel(warm)[HAIKU]).toMatchObject({ requests: 130, tokens: 130 * 110 })
  })
})
