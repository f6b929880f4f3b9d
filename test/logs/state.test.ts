import { appendFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { statePath } from '../../src/logs/state.js'
import { accountOf, byModel, scan, tempCopy } from './helpers.js'

// The scan state is an index (read marks and summed totals), read by every refresh, and a detail
// (per-file totals and dedupe hashes), read only when there is something to read.
const NOW = '2026-08-12T12:00:00.000Z'
const HAIKU = 'claude-haiku-4-5-20251001'
const line = (n: number) =>
  `${JSON.stringify({ type: 'assistant', timestamp: '2026-08-12T10:00:00.000Z', requestId: `req_${n}`, message: { id: `msg_${n}`, model: HAIKU, usage: { input_tokens: 100, output_tokens: 10 } } })}\n`

let t: ReturnType<typeof tempCopy> | undefined
afterEach(() => t?.cleanup())

function setup(requests: number) {
  t = tempCopy()
  const dir = join(t.dir, 'projects', '-p')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 's.jsonl')
  writeFileSync(file, Array.from({ length: requests }, (_, i) => line(i)).join(''))
  const account = accountOf('claude', t.dir)
  const cacheDir = t.cacheDir
  const index = statePath(cacheDir, account.key)
  return {
    file,
    index,
    detail: index.replace(/\.json$/, '.detail.json'),
    run: () => scan(account, cacheDir, NOW),
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
