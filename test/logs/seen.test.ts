import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ListedFile } from '../../src/logs/jsonl.js'
import { answerOf, listingBytes, loadSeen, sameIndex, seenPath, writeSeen } from '../../src/logs/seen.js'
import { loadIndex, statePath } from '../../src/logs/state.js'
import { accountOf, byModel, HAIKU, haikuLine as line, oneProject, scan, tempCopy } from './helpers.js'

// seen.ts: a refresh whose listing is the last scan's answers from what that scan saw.
const NOW = '2026-08-12T12:00:00.000Z'
let t: ReturnType<typeof tempCopy> | undefined
afterEach(() => t?.cleanup())

function setup() {
  t = tempCopy()
  const p = oneProject(t, { 'a.jsonl': line(0) + line(1), 'b.jsonl': line(2) }, NOW)
  return { ...p, a: join(p.dir, 'a.jsonl'), b: join(p.dir, 'b.jsonl'), seen: seenPath(p.index) }
}

/**
 * The index's bytes replaced by as many others, and the seen file told it was written beside this
 * one (as if the damage came with the same size, inode and times): only seen.ts can answer.
 */
function spoilIndex(index: string) {
  writeFileSync(index, 'x'.repeat(statSync(index).size))
  const path = seenPath(index)
  const bytes = readFileSync(path)
  const eol = bytes.indexOf(10)
  const st = statSync(index)
  const header = { ...JSON.parse(bytes.toString('utf8', 0, eol)), index: [st.ino, st.size, st.mtimeMs] }
  writeFileSync(path, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), bytes.subarray(eol + 1)]))
}

describe('a refresh whose listing is the last scan’s', () => {
  it('answers from what that scan saw, the index and the detail unread', async () => {
    const s = setup()
    const first = await s.run()
    expect(first.stats).toMatchObject({ files: 2, filesRead: 2, changed: true })
    expect(existsSync(s.seen)).toBe(true)
    spoilIndex(s.index)
    rmSync(s.index.replace(/\.json$/, '.detail'))
    const again = await s.run()
    expect(again.stats).toMatchObject({ files: 2, filesRead: 0, bytesRead: 0, pending: 0, changed: false })
    expect(byModel(again)).toEqual(byModel(first))
    expect(again.reasons).toEqual(first.reasons)
    // Without it, the spoiled index is no index: every file is read again, to the same totals.
    rmSync(s.seen)
    const cold = await s.run()
    expect(cold.stats).toMatchObject({ filesRead: 2, changed: true })
    expect(byModel(cold)).toEqual(byModel(first))
  })

  it('gives what the index’s way gives: files kept, files still being written, totals', async () => {
    const s = setup()
    // A last line still being written, and a file last written before `since`, never read.
    appendFileSync(s.b, line(3).slice(0, 40))
    const old = join(s.dir, 'old.jsonl')
    writeFileSync(old, line(9, '2025-01-01T00:00:00.000Z'))
    utimesSync(old, new Date('2025-01-01'), new Date('2025-01-01'))
    const since = Date.parse('2026-01-01')
    await s.run(since)
    const fromSeen = await s.run(since)
    rmSync(s.seen)
    const fromIndex = await s.run(since)
    expect(fromIndex.stats).toMatchObject({ files: 2, pending: 1, filesRead: 0 })
    expect(fromSeen.stats).toEqual({ ...fromIndex.stats, ms: fromSeen.stats.ms })
    expect(byModel(fromSeen)).toEqual(byModel(fromIndex))
    expect(fromSeen.reasons).toEqual(fromIndex.reasons)
    // The index's way noted what it saw: the next refresh answers from it again.
    expect(existsSync(s.seen)).toBe(true)
  })

  it('is not taken from an earlier `since`: a file the last scan skipped as too old is read', async () => {
    const s = setup()
    const old = join(s.dir, 'old.jsonl')
    writeFileSync(old, line(9, '2025-01-01T00:00:00.000Z'))
    utimesSync(old, new Date('2025-01-01'), new Date('2025-01-01'))
    const recent = await s.run(Date.parse('2026-01-01'))
    expect(byModel(recent)[HAIKU]).toMatchObject({ requests: 3 })
    // A later `since` skips it too, from what was seen.
    expect((await s.run(Date.parse('2026-02-01'))).stats).toMatchObject({ files: 2, filesRead: 0 })
    const all = await s.run(0)
    expect(all.stats).toMatchObject({ files: 3, filesRead: 1 })
    expect(byModel(all)[HAIKU]).toMatchObject({ requests: 4 })
  })

  it('takes the normal way after any change to the listing', async () => {
    const s = setup()
    await s.run()
    // Grown.
    appendFileSync(s.a, line(4))
    expect((await s.run()).stats).toMatchObject({ filesRead: 1 })
    // A new file.
    writeFileSync(join(s.dir, 'c.jsonl'), line(5))
    expect((await s.run()).stats).toMatchObject({ files: 3, filesRead: 1 })
    // One gone.
    rmSync(join(s.dir, 'c.jsonl'))
    let u = await s.run()
    expect(u.stats).toMatchObject({ files: 2, changed: true })
    expect(byModel(u)[HAIKU]).toMatchObject({ requests: 4 })
    // Replaced by another of the same size and times (a new inode): read from scratch.
    const at = new Date('2026-08-12T11:00:00.000Z')
    utimesSync(s.b, at, at)
    await s.run()
    writeFileSync(`${s.b}.new`, line(7))
    utimesSync(`${s.b}.new`, at, at)
    expect(statSync(`${s.b}.new`)).toMatchObject({ size: statSync(s.b).size, mtimeMs: statSync(s.b).mtimeMs })
    renameSync(`${s.b}.new`, s.b)
    u = await s.run()
    expect(u.stats).toMatchObject({ filesRead: 1, changed: true })
    expect(byModel(u)[HAIKU]).toMatchObject({ requests: 4 })
    // Renamed: same inode and stats, another path.
    renameSync(s.b, join(s.dir, 'd.jsonl'))
    u = await s.run()
    expect(u.stats).toMatchObject({ files: 2, changed: true })
    expect(byModel(u)[HAIKU]).toMatchObject({ requests: 4 })
    // And then nothing new again, from what was seen.
    expect((await s.run()).stats).toMatchObject({ files: 2, filesRead: 0, changed: false })
  })

  it('is not taken beside an index written since (another process, another version): that one answers', async () => {
    const s = setup()
    await s.run()
    const before = readFileSync(s.seen)
    // The same index written again, as a rename does: another inode.
    writeFileSync(`${s.index}.tmp`, readFileSync(s.index))
    renameSync(`${s.index}.tmp`, s.index)
    const u = await s.run()
    expect(u.stats).toMatchObject({ files: 2, filesRead: 0 })
    expect(byModel(u)[HAIKU]).toMatchObject({ requests: 3 })
    // The index's way noted the new index: the file was written again.
    expect(readFileSync(s.seen).equals(before)).toBe(false)
  })

  it('Codex sessions too', async () => {
    t = tempCopy('codex')
    const account = accountOf('codex', t.dir)
    const first = await scan(account, t.cacheDir, NOW)
    const index = statePath(t.cacheDir, account.key)
    spoilIndex(index)
    const again = await scan(account, t.cacheDir, NOW)
    expect(again.stats).toMatchObject({ files: 3, filesRead: 0, pending: first.stats.pending })
    expect(byModel(again)).toEqual(byModel(first))
    expect(again.reasons).toEqual(first.reasons)
  })
})

const readSeen = (index: string, source: string, pricing: string, listing: ListedFile[], since: number) => {
  const held = loadSeen(index, source, pricing)
  return held && answerOf(held, listingBytes(listing), since)
}

describe('loadSeen and answerOf', () => {
  const sum = { buckets: { '1|m': [1, 2, 3, 4, 0.5, 1, 0, 1, 100, 200] }, reasons: { duplicate: 2 } }
  const listing: ListedFile[] = [
    { path: '/h/p/a.jsonl', st: { ino: 11, size: 500, mtimeMs: 1786500000123.25 } },
    { path: '/h/p/ünï.jsonl', st: { ino: 12, size: 9, mtimeMs: 1786500000000 } },
  ]
  function written() {
    t = tempCopy()
    const index = join(t.cacheDir, 'logs', 'claude~x.json')
    mkdirSync(join(t.cacheDir, 'logs'), { recursive: true })
    writeFileSync(index, '{}')
    writeSeen(index, 'claude', 'p1', listingBytes(listing), { since: 1000, files: 2, pending: 1, sum })
    return index
  }

  it('reads back what was written for the same listing, source, pricing and a `since` no earlier', () => {
    const index = written()
    const want = { since: 1000, files: 2, pending: 1, sum }
    expect(readSeen(index, 'claude', 'p1', listing, 1000)).toEqual(want)
    expect(readSeen(index, 'claude', 'p1', listing, 5000)).toEqual(want)
    expect(readSeen(index, 'claude', 'p1', listing, 999)).toBeNull()
    expect(readSeen(index, 'codex', 'p1', listing, 1000)).toBeNull()
    expect(readSeen(index, 'claude', 'p2', listing, 1000)).toBeNull()
  })

  it('answers no other listing', () => {
    const index = written()
    const other = (i: number, patch: Partial<ListedFile['st']> & { path?: string }) =>
      listing.map((f, j) => (j === i ? { path: patch.path ?? f.path, st: { ...f.st, ...patch } } : f))
    for (const l of [
      other(0, { mtimeMs: 1786500000123.5 }),
      other(1, { size: 10 }),
      other(0, { ino: 13 }),
      other(1, { path: '/h/p/uni.jsonl' }),
      [listing[1] as ListedFile, listing[0] as ListedFile],
      listing.slice(0, 1),
      [...listing, { path: '/h/p/c.jsonl', st: { ino: 14, size: 1, mtimeMs: 1 } }],
      [],
    ])
      expect(readSeen(index, 'claude', 'p1', l, 1000)).toBeNull()
  })

  it('answers nothing from a damaged file or beside another index, and never throws', () => {
    const index = written()
    const path = seenPath(index)
    const good = readFileSync(path)
    const eol = good.indexOf(10)
    const header = JSON.parse(good.toString('utf8', 0, eol))
    const withHeader = (h: unknown) =>
      Buffer.concat([Buffer.from(`${JSON.stringify(h)}\n`), good.subarray(eol + 1)])
    // The sum's line replaced (its length told in the header), the listing after it kept.
    const afterSum = eol + 1 + header.sumBytes + 1
    const withSum = (text: string) =>
      Buffer.concat([
        Buffer.from(`${JSON.stringify({ ...header, sumBytes: Buffer.byteLength(text) })}\n${text}\n`),
        good.subarray(afterSum),
      ])
    expect(readSeen(index, 'claude', 'p1', listing, 1000)).not.toBeNull()
    writeFileSync(path, withSum(JSON.stringify(sum)))
    expect(readSeen(index, 'claude', 'p1', listing, 1000)).toEqual({ since: 1000, files: 2, pending: 1, sum })
    for (const bytes of [
      good.subarray(0, good.length - 1),
      Buffer.concat([good, Buffer.from('x')]),
      good.subarray(0, eol),
      Buffer.from('not json\n'),
      Buffer.alloc(0),
      withSum('{"buckets":{"k":["1"]},"reasons":{}}'),
      withSum('{"buckets":{"k":[1],"j":1},"reasons":{}}'),
      withSum('{"buckets":{"k":[1,2,null]},"reasons":{}}'),
      withSum('{"buckets":[[1]],"reasons":{}}'),
      withSum('{"buckets":{},"reasons":{"duplicate":"2"}}'),
      withSum('{"buckets":{},'),
      withHeader({ ...header, sumBytes: header.sumBytes - 1 }),
      withHeader({ ...header, v: 99 }),
      withHeader({ ...header, state: 1 }),
      withHeader({ ...header, n: 3 }),
      withHeader({ ...header, files: -1 }),
      withHeader({ ...header, index: [1, 2] }),
      withHeader([header]),
    ]) {
      writeFileSync(path, bytes)
      expect(readSeen(index, 'claude', 'p1', listing, 1000)).toBeNull()
    }
    writeFileSync(path, good)
    expect(readSeen(index, 'claude', 'p1', listing, 1000)).not.toBeNull()
    // The index it was written beside, rewritten or gone.
    writeFileSync(index, '{ }')
    expect(readSeen(index, 'claude', 'p1', listing, 1000)).toBeNull()
    rmSync(index)
    expect(readSeen(index, 'claude', 'p1', listing, 1000)).toBeNull()
    // Without an index nothing is written.
    rmSync(path)
    writeSeen(index, 'claude', 'p1', listingBytes(listing), { since: 1000, files: 2, pending: 1, sum })
    expect(existsSync(path)).toBe(false)
  })

  it('names the index it was written beside: loadIndex takes that file’s marks as written, no other’s', async () => {
    const s = setup()
    await s.run()
    const held = loadSeen(s.index, 'claude', JSON.parse(readFileSync(s.index, 'utf8')).pricing)
    expect(held).not.toBeNull()
    const pricing = held?.header.pricing as string
    const ours = (st: { ino: number; size: number; mtimeMs: number }) =>
      sameIndex([st.ino, st.size, st.mtimeMs], held?.index ?? [0, 0, 0])
    expect(loadIndex(s.index, 'claude', pricing, ours)).toEqual(loadIndex(s.index, 'claude', pricing))
    // A mark without its head, as no version wrote: refused, unless the file is the one named.
    const text = readFileSync(s.index, 'utf8').replace(/"head":"[^"]*"/, '"heed":"00000000"')
    writeFileSync(s.index, text)
    expect(loadIndex(s.index, 'claude', pricing)).toBeNull()
    expect(loadIndex(s.index, 'claude', pricing, ours)).toBeNull()
    expect(loadIndex(s.index, 'claude', pricing, () => true)?.files).toBeDefined()
    // Whatever the marks, the rest is checked.
    writeFileSync(s.index, text.replace(/"sum":/, '"sums":'))
    expect(loadIndex(s.index, 'claude', pricing, () => true)).toBeNull()
  })
})
