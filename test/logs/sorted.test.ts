import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readChain } from '../../src/logs/state-log.js'
import { statePath } from '../../src/logs/state.js'
import { accountOf, byModel, scan, tempCopy } from './helpers.js'

// A base record holds every request key and message id sorted too, so that a refresh builds its
// set without sorting them; files dropped or read again since take their part back out. A record
// without them (older versions, or too many hashes) is read as before.
const NOW = '2026-08-12T12:00:00.000Z'
const HAIKU = 'claude-haiku-4-5-20251001'
const line = (n: number) =>
  `${JSON.stringify({ type: 'assistant', timestamp: '2026-08-12T10:00:00.000Z', requestId: `req_${n}`, message: { id: `msg_${n}`, model: HAIKU, usage: { input_tokens: 100, output_tokens: 10 } } })}\n`
const lines = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => line(from + i)).join('')

let t: ReturnType<typeof tempCopy> | undefined
afterEach(() => t?.cleanup())

describe('sorted hashes in the base record', () => {
  // Each step's `sortedMax`: 0 writes no sorted hashes (as older versions), undefined the default.
  const plans: (number | undefined)[][] = [
    [undefined, undefined, undefined],
    [0, 0, 0],
    [0, undefined, undefined],
    [undefined, 0, undefined],
  ]

  it.each(plans)(
    'dedupe after files are dropped or read again is as without them (%s, %s, %s)',
    async (...steps) => {
      t = tempCopy()
      const dir = join(t.dir, 'projects', '-p')
      mkdirSync(dir, { recursive: true })
      const a = join(dir, 'a.jsonl')
      const b = join(dir, 'b.jsonl')
      writeFileSync(a, lines(0, 100))
      // b resumes a: its copies of 50..99 are duplicates.
      writeFileSync(b, lines(50, 150))
      const account = accountOf('claude', t.dir)
      const cacheDir = t.cacheDir
      const run = (sortedMax: number | undefined) => scan(account, cacheDir, NOW, 0, { sortedMax })
      const chain = () => {
        const index = statePath(cacheDir, account.key)
        const gen = JSON.parse(readFileSync(index, 'utf8')).gen
        return readChain(index.replace(/\.json$/, '.detail'), gen)
      }

      expect(byModel(await run(steps[0]))[HAIKU]?.requests).toBe(150)
      expect(chain()?.sorted === null).toBe(steps[0] === 0)

      // a is gone: the copies of its requests that b now gets count; b's own copies do not.
      rmSync(a)
      appendFileSync(b, lines(0, 10) + lines(140, 160))
      const second = await run(steps[1])
      expect(second.stats.filesRead).toBe(1)
      expect(byModel(second)[HAIKU]?.requests).toBe(50 + 10 + 10)

      // b is replaced (a new inode): read again, its old requests count again where they reappear.
      writeFileSync(`${b}.new`, lines(100, 105) + lines(200, 205))
      renameSync(`${b}.new`, b)
      // c copies b's new requests (duplicates) and some of a's that nothing else holds now (counted).
      writeFileSync(join(dir, 'c.jsonl'), lines(200, 205) + line(300) + lines(20, 25))
      const third = await run(steps[2])
      expect(third.stats.filesRead).toBe(2)
      expect(byModel(third)[HAIKU]?.requests).toBe(16)
      expect(third.reasons.duplicate).toBe(5)
    },
  )
})
