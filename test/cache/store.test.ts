import { spawn } from 'node:child_process'
import { closeSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  emptyEntry,
  entryPath,
  openWithPrevious,
  PREVIOUS_TRIES,
  previousPath,
  writeEntry,
  writeFileAtomic,
} from '../../src/cache/store.js'
import type { CacheEntry } from '../../src/model.js'
import { makeHome, type TempHome } from '../helpers/home.js'

let home: TempHome
afterEach(() => home?.cleanup())

// A reader in another process: reads and parses the entry as fast as it can until told to stop,
// then prints how many reads it made and how many saw a file that was not a whole entry.
const READER = `
const fs = require('node:fs')
const [file, stop, previous] = process.argv.slice(1)
let reads = 0, partial = 0, none = 0
process.stdout.write('ready\\n')
while (!fs.existsSync(stop)) {
  let text
  // With a previous file, as openWithPrevious: the file and the previous in turn; finding none of
  // them is counted.
  const tries = previous ? Array.from({ length: ${PREVIOUS_TRIES} + 1 }, (_, i) => (i % 2 ? previous : file)) : [file]
  for (const p of tries) {
    try { text = fs.readFileSync(p, 'utf8'); break } catch {}
  }
  if (text === undefined) { if (previous) none++; continue }
  reads++
  try { if (JSON.parse(text).key !== 'claude/work') partial++ } catch { partial++ }
}
process.stdout.write(JSON.stringify({ reads, partial, none }) + '\\n')
`

function bigEntry(n: number): CacheEntry {
  const windows = Array.from({ length: 400 }, (_, i) => ({
    id: `model:m${i}`,
    label: `Model ${i} ${'x'.repeat(200)}`,
    usedPercent: (i + n) % 100,
    resetsAt: null,
    windowSeconds: null,
  }))
  const snapshot = {
    fetchedAt: new Date(n * 1000).toISOString(),
    plan: null,
    email: null,
    windows,
    spend: [],
  }
  return { ...emptyEntry('claude/work'), snapshot }
}

/** Writes entries while a reader in another process reads them: how many reads, how many partial. */
async function readWhileWriting(
  file: string,
  write: (n: number) => void,
  previous?: string,
): Promise<{ reads: number; partial: number; none: number }> {
  const stop = join(home.home, 'stop')
  write(0)
  const reader = spawn(process.execPath, ['-e', READER, file, stop, ...(previous ? [previous] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  reader.stdout.on('data', (d) => {
    out += d
  })
  // A positive marker, not a sleep: the reader is looping before the first write.
  await new Promise<void>((resolve) => {
    const check = () => (out.includes('ready') ? resolve() : setTimeout(check, 10))
    check()
  })
  let n = 1
  const start = out.length
  // Keep writing until the reader has made enough reads for the check to mean something.
  while (n < 20_000 && (n < 300 || out.length === start)) {
    write(n++)
    if (n % 100 === 0) await new Promise((r) => setImmediate(r))
    if (n === 300) writeFileSync(stop, '')
  }
  const done = await new Promise<string>((resolve) => reader.on('close', () => resolve(out)))
  return JSON.parse(done.trim().split('\n').at(-1) ?? '{}')
}

describe('cache store', () => {
  it('a disposable file is replaced whole: a reader finds the old one, the new one or none, never a part', async () => {
    home = makeHome()
    const file = join(home.cacheDir, 'logs', 'claude~work.seen')
    let last = ''
    const result = await readWhileWriting(file, (n) => {
      last = JSON.stringify(bigEntry(n))
      writeFileAtomic(file, last, 'disposable')
    })
    expect(result.reads).toBeGreaterThan(50)
    expect(result.partial).toBe(0)
    // The last write is there, private, with no temp file left beside it.
    expect(readFileSync(file, 'utf8')).toBe(last)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(join(home.cacheDir, 'logs'))).toEqual(['claude~work.seen'])
  })

  it('a file kept as previous is replaced whole, and a reader that falls back on the previous one always finds one', async () => {
    home = makeHome()
    const file = join(home.cacheDir, 'logs', 'claude~work.json')
    const texts: string[] = []
    const result = await readWhileWriting(
      file,
      (n) => {
        texts.push(JSON.stringify(bigEntry(n)))
        writeFileAtomic(file, texts.at(-1) as string, 'previous')
      },
      previousPath(file),
    )
    expect(result.reads).toBeGreaterThan(50)
    expect(result.partial).toBe(0)
    expect(result.none).toBe(0)
    // The last write is the file, the one before it the previous, both private; no temp file.
    expect(readFileSync(file, 'utf8')).toBe(texts.at(-1))
    expect(readFileSync(previousPath(file), 'utf8')).toBe(texts.at(-2))
    expect(statSync(previousPath(file)).mode & 0o777).toBe(0o600)
    expect(readdirSync(join(home.cacheDir, 'logs')).sort()).toEqual([
      'claude~work.json',
      'claude~work.json.previous',
    ])
    // The reader's way in: the file, else the previous, else openSync's error.
    const read = (p: string) => {
      const fd = openWithPrevious(p)
      try {
        return readFileSync(fd, 'utf8')
      } finally {
        closeSync(fd)
      }
    }
    expect(read(file)).toBe(texts.at(-1))
    unlinkSync(file)
    expect(read(file)).toBe(texts.at(-2))
    unlinkSync(previousPath(file))
    expect(() => read(file)).toThrow(/ENOENT/)
  })

  it('a concurrent reader never sees a partial entry while writes go on (temp file + rename)', async () => {
    home = makeHome()
    const file = entryPath(home.cacheDir, 'claude/work')
    const result = await readWhileWriting(file, (n) => writeEntry(home.cacheDir, bigEntry(n)))
    expect(result.reads).toBeGreaterThan(50)
    expect(result.partial).toBe(0)
  })
})
