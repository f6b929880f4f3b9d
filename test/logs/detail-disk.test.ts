import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readChain } from '../../src/logs/state-log.js'
import {
  closeState,
  type FileState,
  fileWith,
  loadIndex,
  loadState,
  statePath,
} from '../../src/logs/state.js'
import { accountOf, byModel, scan, tempCopy } from './helpers.js'

// A detail's first record, a base holding every file's totals, is most of a big detail; a refresh
// that reads a few files leaves those totals on disk and reads the few it needs, through the
// descriptor it read the rest with. `leaveBodies: 0` leaves them there for any detail.
const NOW = '2026-08-12T12:00:00.000Z'
const HAIKU = 'claude-haiku-4-5-20251001'

function line(o: { n: number; side?: boolean; msg?: string; hour?: number }): string {
  return `${JSON.stringify({
    type: 'assistant',
    isSidechain: o.side ?? false,
    timestamp: `2026-08-12T${String(o.hour ?? 10).padStart(2, '0')}:00:00.000Z`,
    requestId: `req_${o.n}`,
    message: {
      id: o.msg ?? `msg_${o.n}`,
      model: HAIKU,
      usage: { input_tokens: 100 + o.n, output_tokens: 10 },
    },
  })}\n`
}
const lines = (from: number, to: number, hour?: number) =>
  Array.from({ length: to - from }, (_, i) => line({ n: from + i, hour })).join('')

let t: ReturnType<typeof tempCopy> | undefined
afterEach(() => t?.cleanup())

/** Twelve sessions (one resuming another), a sub-agent that replays a message not seen yet. */
function history() {
  t = tempCopy()
  const projects = join(t.dir, 'projects')
  const file = (name: string) => join(projects, name)
  for (let s = 0; s < 12; s++) {
    mkdirSync(join(projects, `-p${s % 3}`), { recursive: true })
    writeFileSync(file(`-p${s % 3}/s${s}.jsonl`), lines(s * 20, s * 20 + 20, 8 + (s % 6)))
  }
  appendFileSync(file('-p1/s4.jsonl'), lines(60, 70))
  mkdirSync(join(projects, '-p0/s0/subagents'), { recursive: true })
  writeFileSync(
    file('-p0/s0/subagents/agent-1.jsonl'),
    line({ n: 900, side: true, msg: 'msg_late' }) + line({ n: 901, side: true }),
  )
  const account = accountOf('claude', t.dir)
  const cacheDir = t.cacheDir
  const index = statePath(cacheDir, account.key)
  let colds = 0
  const cold = () => scan(account, join(t?.cacheDir as string, `cold${colds++}`), NOW)
  return { file, account, cacheDir, index, detail: index.replace(/\.json$/, '.detail'), cold }
}

const openFds = () => readdirSync('/proc/self/fd').length

describe('the base record’s totals left on disk', () => {
  it.each([
    ['left on disk', 0],
    ['read with the rest', undefined],
  ])('%s: every refresh sums what a cold scan sums', async (_, leaveBodies) => {
    const h = history()
    const run = (more: { spillAfter?: number } = {}) =>
      scan(h.account, h.cacheDir, NOW, 0, { leaveBodies, ...more })
    const same = async (u: Awaited<ReturnType<typeof run>>) => {
      const c = await h.cold()
      expect(byModel(u)).toEqual(byModel(c))
      expect(u.reasons).toEqual(c.reasons)
    }
    const fds = openFds()
    await same(await run())
    // The detail is a base record now; with leaveBodies 0 its totals would stay on disk.
    const gen = JSON.parse(readFileSync(h.index, 'utf8')).gen
    const chain = readChain(h.detail, gen, 0)
    expect(chain?.disk?.length).toBeGreaterThan(1000)
    chain?.disk?.close()

    // New lines in one session.
    appendFileSync(h.file('-p2/s5.jsonl'), lines(500, 510, 12))
    const read = await run()
    expect(read.stats.filesRead).toBe(1)
    await same(read)
    // The main-thread line of the message the sub-agent replayed: the sub-agent's file, not read,
    // gives its request back (its totals come from disk).
    appendFileSync(h.file('-p1/s7.jsonl'), line({ n: 902, msg: 'msg_late' }))
    const revoked = await run()
    expect(revoked.reasons['sidechain-replay']).toBe(1)
    await same(revoked)
    // A session gone (none of its requests copied elsewhere), another new.
    rmSync(h.file('-p0/s6.jsonl'))
    writeFileSync(h.file('-p0/s12.jsonl'), lines(520, 530, 13))
    await same(await run())
    // A scan that parks its hashes on disk writes a new base: every file's totals copied over.
    appendFileSync(h.file('-p2/s8.jsonl'), lines(540, 545, 13))
    const based = await run({ spillAfter: 1 })
    expect(readFileSync(h.detail).readUInt32LE(4)).toBeGreaterThan(0)
    await same(based)
    appendFileSync(h.file('-p2/s8.jsonl'), lines(545, 550, 13))
    await same(await run())
    // Every scan let go of the detail it held open.
    expect(openFds()).toBe(fds)
  })

  it('a new base over many files reads the totals left on disk whole, once', async () => {
    t = tempCopy()
    const dir = join(t.dir, 'projects', '-p')
    mkdirSync(dir, { recursive: true })
    // More files than DiskBytes reads one by one: a new base asks for every one's totals.
    const files = Array.from({ length: 90 }, (_, i) => join(dir, `s${i}.jsonl`))
    for (const [i, f] of files.entries()) writeFileSync(f, lines(i * 3, i * 3 + 3, 8 + (i % 8)))
    const account = accountOf('claude', t.dir)
    await scan(account, t.cacheDir, NOW, 0, { leaveBodies: 0 })
    appendFileSync(files[40] as string, lines(600, 605, 15))
    const based = await scan(account, t.cacheDir, NOW, 0, { leaveBodies: 0, spillAfter: 1 })
    const cold = await scan(account, join(t.cacheDir, 'cold'), NOW)
    expect(byModel(based)).toEqual(byModel(cold))
    // And the base it wrote holds every file's totals as they were.
    appendFileSync(files[70] as string, lines(610, 612, 15))
    const next = await scan(account, t.cacheDir, NOW, 0, { leaveBodies: 0 })
    expect(next.stats.filesRead).toBe(1)
    expect(byModel(next)).toEqual(byModel(await scan(account, join(t.cacheDir, 'cold2'), NOW)))
  })

  it('a base another process writes meanwhile never mixes in: the state reads the detail it loaded', async () => {
    const h = history()
    await scan(h.account, h.cacheDir, NOW)
    const index = loadIndex(h.index, 'claude', JSON.parse(readFileSync(h.index, 'utf8')).pricing)
    if (!index) throw new Error('no index')
    const onDisk = loadState(h.index, index, 0)
    const inMemory = loadState(h.index, index, Number.POSITIVE_INFINITY)
    expect(onDisk.log.disk).not.toBeNull()
    expect(inMemory.log.disk).toBeNull()
    // Another refresh writes a new base (a new file renamed over the detail) and a new index.
    for (let s = 0; s < 12; s++) appendFileSync(h.file(`-p${s % 3}/s${s}.jsonl`), lines(700 + s, 701 + s, 14))
    await scan(h.account, h.cacheDir, NOW, 0, { spillAfter: 1 })
    const totals = (f: FileState | undefined) => (f ? fileWith(f, {}).buckets : undefined)
    const paths = Object.keys(inMemory.files)
    expect(paths.length).toBe(13)
    for (const p of paths) expect(totals(onDisk.files[p])).toEqual(totals(inMemory.files[p]))
    closeState(onDisk)
    closeState(inMemory)
    // Closed: what is still on disk can no longer be read.
    const again = loadState(h.index, loadIndex(h.index, 'claude', index.pricing) ?? index, 0)
    closeState(again)
    expect(() => totals(Object.values(again.files)[0])).toThrow(/closed/)
  })
})
