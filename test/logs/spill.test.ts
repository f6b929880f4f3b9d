import { appendFileSync, cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Spill, SpilledHashes } from '../../src/logs/spill.js'
import { accountOf, byModel, FIXTURES, scan, tempCopy } from './helpers.js'

// A long scan parks the hashes of the files it has read on disk (src/logs/spill.ts): the state it
// writes, and every refresh after it, must be those of a scan that kept them in memory.
const NOW = '2026-08-12T12:00:00.000Z'
const HAIKU = 'claude-haiku-4-5-20251001'
const line = (n: number, minute = n % 60) =>
  `${JSON.stringify({ type: 'assistant', timestamp: `2026-08-12T09:${String(minute).padStart(2, '0')}:00.000Z`, requestId: `req_${n}`, message: { id: `msg_${n}`, model: HAIKU, usage: { input_tokens: 100 + n, output_tokens: 10 } } })}\n`
const lines = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => line(from + i)).join('')

let t: ReturnType<typeof tempCopy> | undefined
afterEach(() => t?.cleanup())

describe('Spill', () => {
  it('keeps hashes in memory up to its allowance, then on disk, read back exactly', () => {
    t = tempCopy()
    const spill = new Spill(join(t.cacheDir, 'logs'), 4)
    const small = Float64Array.from([1, 2, 3])
    expect(spill.keep(small)).toBe(small)
    const big = Float64Array.from([0, 2 ** 52 - 1, 2 ** 32, 7, 12345678901])
    const kept = spill.keep(big)
    expect(kept).toBeInstanceOf(SpilledHashes)
    const other = spill.keep(Float64Array.from([9, 8]))
    expect(Array.from((kept as SpilledHashes).read())).toEqual(Array.from(big))
    expect(Array.from((other as SpilledHashes).bytes())).toEqual(
      Array.from(new Uint8Array(Float64Array.from([9, 8]).buffer)),
    )
    // Removed as soon as it was opened: nothing is left in the directory, even before close.
    expect(readdirSync(join(t.cacheDir, 'logs'))).toEqual([])
    spill.close()
  })
})

describe('a scan that spills its hashes', () => {
  function home() {
    t = tempCopy()
    // The fixture's transcripts (chunks, sub-agent replays, a sidechain of its own) and two sessions
    // where the second resumes the first (a copy of its requests 100..199).
    cpSync(join(FIXTURES, 'claude'), t.dir, { recursive: true })
    const dir = join(t.dir, 'projects', '-dense')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'a.jsonl'), lines(0, 200))
    writeFileSync(join(dir, 'b.jsonl'), lines(100, 300))
    return { dir, account: accountOf('claude', t.dir) }
  }
  const caches = () => {
    const base = t?.cacheDir as string
    return { kept: join(base, 'kept'), spilled: join(base, 'spilled') }
  }

  it('writes a state the next refreshes read as if it had kept them, with checkpoints or not', async () => {
    const h = home()
    const c = caches()
    for (const checkpointBytes of [undefined, 1]) {
      const kept = await scan(h.account, `${c.kept}${checkpointBytes}`, NOW, 0, { checkpointBytes })
      const spilled = await scan(h.account, `${c.spilled}${checkpointBytes}`, NOW, 0, {
        checkpointBytes,
        spillAfter: 0,
      })
      expect(byModel(spilled)).toEqual(byModel(kept))
      expect(spilled.reasons).toEqual(kept.reasons)
      expect(byModel(kept)[HAIKU]?.requests).toBe(300 + 3)
    }
    // Appended: copies of counted requests (both files) and new ones; a new session copying both.
    appendFileSync(join(h.dir, 'b.jsonl'), lines(150, 320))
    writeFileSync(join(h.dir, 'c.jsonl'), lines(0, 10) + lines(290, 330))
    for (const checkpointBytes of [undefined, 1]) {
      const kept = await scan(h.account, `${c.kept}${checkpointBytes}`, NOW, 0, { checkpointBytes })
      const spilled = await scan(h.account, `${c.spilled}${checkpointBytes}`, NOW, 0, {
        checkpointBytes,
        spillAfter: 0,
      })
      expect(spilled.stats.filesRead).toBe(2)
      expect(byModel(spilled)).toEqual(byModel(kept))
      expect(spilled.reasons).toEqual(kept.reasons)
      expect(byModel(kept)[HAIKU]?.requests).toBe(330 + 3)
      // Nothing but the index (and the one it replaced), the detail and what the scan saw
      // (seen.ts) is left behind.
      const left = readdirSync(join(`${c.spilled}${checkpointBytes}`, 'logs')).sort()
      expect(left).toEqual([
        'claude~test.detail',
        'claude~test.json',
        'claude~test.json.previous',
        'claude~test.seen',
      ])
    }
  })
})
