import { appendFileSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AccountUsage } from '../../src/logs/local.js'
import { statePath } from '../../src/logs/state.js'
import { accountOf, entriesOf, readDetail, scan, tempCopy, writeDetail } from './helpers.js'

// A refresh that read a few files sums from a remembered prefix sum (the files that sort first
// by mtime) and parses only the newer files' totals: its sums must be a cold scan's, bit for bit
// (float costs added in the same order), whatever changed where.
const NOW = '2026-08-12T12:00:00.000Z'
const NOW_MS = Date.parse(NOW)
const MODELS = ['claude-haiku-4-5-20251001', 'claude-sonnet-4-6', 'claude-opus-4-6']
/** Files' mtimes, set by hand: a second apart from this on, in the order they were written. */
const T0 = Date.parse('2026-08-10T00:00:00.000Z') / 1000

let seq = 0
/** `n` usage lines with odd token counts (costs that are not round in binary), one bucket apart. */
function lines(n: number, o: { side?: boolean; msg?: string; hoursAgo?: number } = {}): string {
  let out = ''
  for (let i = 0; i < n; i++) {
    const k = seq++
    const ts = new Date(NOW_MS - (o.hoursAgo ?? 30) * 3_600_000 + (k % 40) * 900_000).toISOString()
    const usage = {
      input_tokens: 3 + (k % 7),
      output_tokens: 17 + ((k * 37) % 911),
      cache_read_input_tokens: 1000 + ((k * 131) % 7919),
      cache_creation_input_tokens: (k * 53) % 1009,
    }
    out += `${JSON.stringify({
      type: 'assistant',
      isSidechain: o.side ?? false,
      timestamp: ts,
      requestId: `req_${k}`,
      message: { id: o.msg ?? `msg_${k}`, model: MODELS[k % 3], usage },
    })}\n`
  }
  return out
}

let t: ReturnType<typeof tempCopy> | undefined
afterEach(() => t?.cleanup())

function home(count: number) {
  t = tempCopy()
  const projects = join(t.dir, 'projects')
  const account = accountOf('claude', t.dir)
  const cacheDir = t.cacheDir
  const temp = t
  let clock = T0
  const touch = (path: string) => {
    clock += 1
    utimesSync(path, clock, clock)
  }
  const path = (i: number) => join(projects, `-p${i % 3}`, `s${i}.jsonl`)
  const write = (i: number, body: string, mtime?: number) => {
    mkdirSync(join(path(i), '..'), { recursive: true })
    writeFileSync(path(i), body)
    if (mtime === undefined) touch(path(i))
    else utimesSync(path(i), mtime, mtime)
  }
  const append = (i: number, body: string) => {
    appendFileSync(path(i), body)
    touch(path(i))
  }
  for (let i = 0; i < count; i++) write(i, lines(30))
  let colds = 0
  const run = () => scan(account, cacheDir, NOW)
  /** The same files scanned with no state at all. */
  const cold = () => scan(account, join(temp.dir, '..', `cold-${colds++}`), NOW)
  return {
    path,
    write,
    append,
    index: statePath(cacheDir, account.key),
    run,
    cold,
    /** A refresh that reads `filesRead` files and sums exactly what a cold scan sums. */
    async same(filesRead: number, what?: string): Promise<AccountUsage> {
      const warm = await run()
      expect(warm.stats.filesRead, what).toBe(filesRead)
      expect(exact(warm), what).toEqual(exact(await cold()))
      return warm
    },
  }
}

/** Every bucket's totals exactly (no rounding), and the reasons. */
const exact = (u: AccountUsage) => ({
  slots: [...u.slots].sort((a, b) => a[0] - b[0]).map(([b, m]) => [b, [...m].sort()]),
  reasons: u.reasons,
})

describe('the prefix sum', () => {
  it('an incremental scan sums exactly what a cold scan sums, whatever changed where', async () => {
    const h = home(14)
    await h.run()
    // the newest file grows (the usual refresh), several times
    for (let n = 0; n < 3; n++) {
      h.append(13, lines(5, { hoursAgo: 2 }))
      await h.same(1, 'newest file appended')
    }
    // a file the prefix covers grows: it moves to the end of the order
    h.append(0, lines(4, { hoursAgo: 1 }))
    await h.same(1, 'oldest file appended')
    // two files at once, one of them covered
    h.append(3, lines(3))
    h.append(12, lines(3))
    await h.same(2, 'two files appended')
    // a new file with an old mtime sorts among the covered ones
    h.write(20, lines(6), T0 - 100)
    await h.same(1, 'new file with an old mtime')
    h.append(13, lines(2))
    await h.same(1, 'newest file appended after that')
    // a covered file goes away
    rmSync(h.path(5))
    await h.same(0, 'covered file removed')
    h.append(13, lines(2))
    await h.same(1, 'appended after a removal')
  })

  it('a new file with the same mtime as the prefix’s last one: after it in path order or before', async () => {
    // 14 files a second apart: the prefix covers the oldest 6 (s0 … s5, the last at T0 + 6).
    const h = home(14)
    await h.run()
    // '-p2/s50.jsonl' sorts after '-p2/s5.jsonl': the prefix still holds.
    h.write(50, lines(4), T0 + 6)
    await h.same(1, 'tie, sorting after the last covered file')
    // '-p0/s21.jsonl' sorts before it: the prefix no longer covers the same files.
    h.write(21, lines(4), T0 + 6)
    await h.same(1, 'tie, sorting before the last covered file')
    h.append(13, lines(2))
    await h.same(1, 'appended after both')
  })

  it('a main-thread line taking back a request an old, unread file counted: still a cold scan’s sums', async () => {
    const h = home(12)
    // A sidechain copy in the oldest file, of a message the main thread only writes later.
    h.write(30, lines(1, { side: true, msg: 'msg_replayed', hoursAgo: 3 }), T0 - 50)
    await h.run()
    h.append(11, lines(1, { msg: 'msg_replayed', hoursAgo: 3 }))
    const warm = await h.same(1)
    expect(warm.reasons['sidechain-replay']).toBe(1)
    h.append(11, lines(2))
    expect(exact(await h.run())).toEqual(exact(await h.cold()))
  })

  it('a refresh that reads one file never parses the totals of the old files it did not read', async () => {
    const h = home(14)
    await h.run()
    h.append(13, lines(2))
    await h.run()
    // The oldest files' totals in the detail's base record (state-log.ts's layout: a 16-byte
    // head, the JSON naming each file's body bytes in order, after the prefix sum's), damaged
    // so that parsing them would fail.
    const detail = h.index.replace(/\.json$/, '.detail')
    const bytes = readFileSync(detail)
    const jsonLen = bytes.readUInt32LE(4)
    const rec = JSON.parse(bytes.toString('utf8', 16, 16 + jsonLen))
    let at = 16 + jsonLen + (rec.pre?.bl ?? 0)
    const old = [0, 1, 2].map(h.path)
    let damaged = 0
    for (const [p, e] of Object.entries(rec.files as Record<string, { bl: number }>)) {
      if (old.includes(p)) {
        expect(bytes.toString('latin1', at, at + 11)).toBe('{"buckets":')
        bytes.write('{"bucketz":', at, 'latin1')
        damaged++
      }
      at += e.bl
    }
    expect(damaged).toBe(3)
    writeFileSync(detail, bytes)
    h.append(13, lines(2))
    const warm = await h.run()
    expect(warm.stats.bytesRead).toBeLessThan(2000)
    expect(exact(warm)).toEqual(exact(await h.cold()))
  })

  it('damaged totals a refresh does need: everything is read again, the sums stay right', async () => {
    const h = home(3)
    await h.run()
    const detail = h.index.replace(/\.json$/, '.detail')
    writeFileSync(detail, readFileSync(detail, 'latin1').replaceAll('{"buckets":', '{"bucketz":'), 'latin1')
    h.append(2, lines(2))
    await h.same(3)
    h.append(2, lines(2))
    await h.same(1)
  })
})

/** The detail's records rewritten as version 1 wrote them ('QBL1', each file's totals inline as `b`). */
function asVersion1(detail: string): void {
  const records = readDetail(readFileSync(detail)).map((r) => {
    for (const { e, body, sides } of entriesOf(r)) {
      if (!body) continue
      const b = JSON.parse(body.toString('utf8'))
      if (sides) b.sides = JSON.parse(sides.toString('utf8'))
      e.b = b
      for (const k of ['bl', 'sl', 'sm', 'sq']) delete e[k]
    }
    delete r.rec.pre
    return { ...r, magic: 'QBL1' }
  })
  writeFileSync(detail, writeDetail(records))
}

describe('version-1 records', () => {
  it('a detail the previous version wrote is read on: only the new bytes are read, the sums a cold scan’s', async () => {
    const h = home(12)
    await h.run()
    h.append(11, lines(3))
    await h.run()
    asVersion1(h.index.replace(/\.json$/, '.detail'))
    h.append(11, lines(2))
    const warm = await h.same(1)
    expect(warm.stats.bytesRead).toBeLessThan(2000)
    h.append(4, lines(2))
    await h.same(1)
  })
})
