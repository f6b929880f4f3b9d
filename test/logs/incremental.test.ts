import {
  appendFileSync,
  mkdirSync,
  renameSync,
  rmSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LineReader } from '../../src/logs/incremental.js'
import { accountOf, byModel, scan, tempCopy } from './helpers.js'

const NOW = '2026-08-12T12:00:00.000Z'

/** One Claude Code usage line: haiku, `input` tokens in, 10 out (cost input·1e-6 + 10·5e-6). */
function line(n: number, input: number, ts = '2026-08-12T10:00:00.000Z'): string {
  return `${JSON.stringify({
    type: 'assistant',
    sessionId: 's',
    timestamp: ts,
    requestId: `req_${n}`,
    message: {
      id: `msg_${n}`,
      model: 'claude-haiku-4-5-20251001',
      content: [{ type: 'text', text: 'x'.repeat(n % 7) }],
      usage: { input_tokens: input, output_tokens: 10 },
    },
  })}\n`
}

let t: ReturnType<typeof tempCopy> | undefined
afterEach(() => t?.cleanup())

function setup(content: string) {
  t = tempCopy()
  const file = join(t.dir, 'projects', '-p', 'session.jsonl')
  mkdirSync(join(t.dir, 'projects', '-p'), { recursive: true })
  writeFileSync(file, content)
  const account = accountOf('claude', t.dir)
  const cacheDir = t.cacheDir
  return { file, run: () => scan(account, cacheDir, NOW) }
}

const haiku = (u: Awaited<ReturnType<ReturnType<typeof setup>['run']>>) =>
  byModel(u)['claude-haiku-4-5-20251001']

describe('incremental reading', () => {
  it('reads only the appended bytes, and the totals keep running', async () => {
    const { file, run } = setup(line(1, 1000) + line(2, 2000))
    expect(haiku(await run())).toMatchObject({ requests: 2, tokens: 3020 })
    const more = line(3, 4000)
    appendFileSync(file, more)
    const u = await run()
    expect(u.stats).toMatchObject({ filesRead: 1, bytesRead: Buffer.byteLength(more) })
    expect(haiku(u)).toMatchObject({ requests: 3, tokens: 7030, cost: 0.00715 })
  })

  it('leaves a line still being written for the next read, then counts it once', async () => {
    const third = line(3, 4000)
    const { file, run } = setup(line(1, 1000) + third.slice(0, 40))
    const first = await run()
    expect(haiku(first)).toMatchObject({ requests: 1 })
    expect(first.reasons).toEqual({ 'incomplete-last-line': 1 })
    appendFileSync(file, third.slice(40))
    const second = await run()
    expect(haiku(second)).toMatchObject({ requests: 2, tokens: 5020 })
    expect(second.reasons).toEqual({})
  })

  it('counts a complete last line that has no newline yet, and not again when it comes', async () => {
    const { file, run } = setup(line(1, 1000) + line(2, 2000).trimEnd())
    expect(haiku(await run())).toMatchObject({ requests: 2 })
    appendFileSync(file, `\n${line(3, 3000)}`)
    expect(haiku(await run())).toMatchObject({ requests: 3, tokens: 6030 })
  })

  it('a truncated file is read again from the start', async () => {
    const { file, run } = setup(line(1, 1000) + line(2, 2000) + line(3, 3000))
    expect(haiku(await run())).toMatchObject({ requests: 3 })
    truncateSync(file, 0)
    appendFileSync(file, line(4, 500))
    const u = await run()
    expect(u.stats.bytesRead).toBe(Buffer.byteLength(line(4, 500)))
    expect(haiku(u)).toMatchObject({ requests: 1, tokens: 510 })
  })

  it('a rotated file (new inode) is read from the start, its old counts dropped', async () => {
    const { file, run } = setup(line(1, 1000) + line(2, 2000))
    expect(haiku(await run())).toMatchObject({ requests: 2 })
    const next = `${file}.new`
    // Longer than before and with the same first line: only the inode tells it apart.
    writeFileSync(next, line(1, 1000) + line(5, 5000) + line(6, 6000))
    renameSync(next, file)
    expect(haiku(await run())).toMatchObject({ requests: 3, tokens: 12030 })
  })

  it('a file rewritten in place (different first bytes) is read again', async () => {
    const { file, run } = setup(line(1, 1000))
    expect(haiku(await run())).toMatchObject({ requests: 1 })
    writeFileSync(file, line(7, 7000) + line(8, 8000))
    expect(haiku(await run())).toMatchObject({ requests: 2, tokens: 15020 })
  })

  it('the head grows with a short file: a rewrite past its first read is still seen', async () => {
    const first = `${JSON.stringify({ type: 'summary', summary: 's' })}\n`
    const { file, run } = setup(first)
    await run()
    appendFileSync(file, line(2, 2000))
    expect(haiku(await run())).toMatchObject({ requests: 1, tokens: 2010 })
    // The usage line rewritten in place by one of the same length that differs from its 34th
    // byte on (its session id): inside the first 256 bytes, past what the first read hashed.
    const other = line(9, 9000).replace('"sessionId":"s"', '"sessionId":"t"')
    expect(other.length).toBe(line(2, 2000).length)
    expect(first.length + 34).toBeLessThan(256)
    writeFileSync(file, first + other)
    // A new mtime, as a rewrite has (one within the same clock tick could keep the old one).
    const later = new Date('2026-08-12T11:00:00.000Z')
    utimesSync(file, later, later)
    expect(haiku(await run())).toMatchObject({ requests: 1, tokens: 9010 })
  })

  it('a deleted file leaves the totals', async () => {
    const { file, run } = setup(line(1, 1000))
    await run()
    rmSync(file)
    expect(haiku(await run())).toBeUndefined()
  })

  it('a chunk of the same request in a later read replaces the smaller one', async () => {
    const chunk = (out: number) =>
      `${JSON.stringify({ type: 'assistant', timestamp: '2026-08-12T10:00:00.000Z', requestId: 'req_9', message: { id: 'msg_9', model: 'claude-haiku-4-5-20251001', usage: { input_tokens: 100, output_tokens: out } } })}\n`
    const { file, run } = setup(chunk(8))
    expect(haiku(await run())).toMatchObject({ requests: 1, tokens: 108 })
    appendFileSync(file, chunk(500) + chunk(500))
    const u = await run()
    expect(haiku(u)).toMatchObject({ requests: 1, tokens: 600, cost: 0.0026 })
    expect(u.reasons).toEqual({ duplicate: 2 })
  })
})

describe('LineReader', () => {
  const collect = async (content: string, o: { chunk?: number; maxLine?: number }, from = 0) => {
    t = tempCopy()
    mkdirSync(t.dir, { recursive: true })
    const file = join(t.dir, 'f.jsonl')
    writeFileSync(file, content)
    const lines: string[] = []
    const r = await new LineReader(o).read(file, from, [Buffer.from('"usage"')], (l) => lines.push(l))
    return { lines, r }
  }

  it('hands over only lines with a needle, across chunk boundaries and lines longer than a chunk', async () => {
    const big = `{"usage":1,"pad":"${'p'.repeat(300)}"}`
    const content = ['{"a":1}', '{"usage":2}', big, '{"b":"other"}', '{"usage":3}', ''].join('\n')
    const { lines, r } = await collect(content, { chunk: 16 })
    expect(lines).toEqual(['{"usage":2}', big, '{"usage":3}'])
    expect(r).toMatchObject({ offset: Buffer.byteLength(content), pendingTail: false, oversized: 0 })
  })

  it('skips a line over the size cap and goes on after it', async () => {
    const huge = `{"usage":"${'h'.repeat(500)}"}`
    const content = `{"usage":1}\n${huge}\n{"usage":2}\n`
    const { lines, r } = await collect(content, { chunk: 16, maxLine: 64 })
    expect(lines).toEqual(['{"usage":1}', '{"usage":2}'])
    expect(r).toMatchObject({ oversized: 1, offset: Buffer.byteLength(content) })
  })

  it('decodes as latin1: non-ASCII text stays valid JSON and ASCII fields read the same', async () => {
    const content = `${JSON.stringify({ usage: 1, model: 'claude-opus-4-8', text: 'ünïcode ✓ 日本' })}\n`
    const { lines } = await collect(content, {})
    const parsed = JSON.parse(lines[0] as string)
    expect(parsed.model).toBe('claude-opus-4-8')
    expect(parsed.usage).toBe(1)
  })

  it('starts at the given offset', async () => {
    const first = '{"usage":1}\n'
    const { lines } = await collect(`${first}{"usage":2}\n`, {}, Buffer.byteLength(first))
    expect(lines).toEqual(['{"usage":2}'])
  })
})
