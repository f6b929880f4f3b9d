import * as fs from 'node:fs'
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HORIZON_MS, saveMemo, validUntil } from '../../src/cli/memo-save.js'
import {
  envStamp,
  type Memo,
  memoFile,
  memoHit,
  memoKey,
  pathStamp,
  textHash,
} from '../../src/cli/render-memo.js'
import { RenderRecord, recordingEnv, recordingFs } from '../../src/cli/render-record.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quotabar-memo-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const NOW = Date.parse('2026-11-22T10:00:00.000Z')

describe('textHash', () => {
  it('is 13 hex digits, the same for the same text and different for near texts', () => {
    expect(textHash('waybar')).toMatch(/^[0-9a-f]{13}$/)
    expect(textHash('waybar')).toBe(textHash('waybar'))
    const near = ['', 'a', 'b', 'ab', 'ba', 'waybar', 'waybaR', 'sk-ant-1', 'sk-ant-2']
    expect(new Set(near.map(textHash)).size).toBe(near.length)
  })
})

describe('validUntil: the first instant the line changes, by binary search', () => {
  it('a line that stays the same holds until just before the horizon, in six renders', () => {
    const asked: number[] = []
    const until = validUntil(NOW, (t) => asked.push(t) > 0) as number
    expect(until).toBeLessThan(NOW + HORIZON_MS)
    expect(until).toBeGreaterThanOrEqual(NOW + HORIZON_MS - 1_000)
    expect(asked).toHaveLength(6)
  })
  it.each([2_500, 17_345, 20_500, 59_990])(
    'a change %i ms on is found within a second before it, in six renders',
    (at) => {
      const asked: number[] = []
      const until = validUntil(NOW, (t) => asked.push(t) > 0 && t < NOW + at) as number
      expect(until).toBeLessThan(NOW + at)
      expect(until).toBeGreaterThanOrEqual(NOW + at - 1_000)
      expect(asked).toHaveLength(6)
    },
  )
  it('a line that changes within a second is not kept', () => {
    expect(validUntil(NOW, (t) => t < NOW + 900)).toBeNull()
  })
})

describe('memoHit', () => {
  const env = { HOME: '/home/u', CLAUDE_CONFIG_DIR: undefined }
  const key = memoKey(['-f', 'waybar'], '/home/u', 'build1')
  function write(memo: object): void {
    mkdirSync(join(dir, 'render'), { recursive: true })
    writeFileSync(memoFile(dir, key), JSON.stringify(memo))
  }
  let input: string
  let good: Memo
  beforeEach(() => {
    input = join(dir, 'entry.json')
    writeFileSync(input, '{"a":1}')
    good = {
      v: 1,
      key,
      env: [
        ['HOME', envStamp('/home/u')],
        ['CLAUDE_CONFIG_DIR', envStamp(undefined)],
      ],
      from: NOW,
      until: NOW + 30_000,
      out: '{"text":"a1 60%"}',
      code: 0,
      inputs: [
        [input, pathStamp(input)],
        [join(dir, 'absent.json'), '-'],
      ],
    }
  })
  it('gives the line while the key, the variables, the files and the time all hold', () => {
    write(good)
    expect(memoHit(dir, key, env, NOW)?.out).toBe('{"text":"a1 60%"}')
    expect(memoHit(dir, key, env, NOW + 29_999)?.out).toBe('{"text":"a1 60%"}')
  })
  it.each([
    ['at its end', () => {}, NOW + 30_000, undefined],
    ['before its start (a clock set back)', () => {}, NOW - 1, undefined],
    ['for another call', () => {}, NOW, memoKey(['-f', 'tmux'], '/home/u', 'build1')],
    ['from another build', () => {}, NOW, memoKey(['-f', 'waybar'], '/home/u', 'build2')],
  ])('holds nothing %s', (_name, change, at, otherKey) => {
    write(good)
    change()
    expect(memoHit(dir, otherKey ?? key, env, at)).toBeNull()
  })
  it('holds nothing once a variable it read changes, is set, or is unset', () => {
    write(good)
    expect(memoHit(dir, key, { ...env, HOME: '/home/v' }, NOW)).toBeNull()
    expect(memoHit(dir, key, { ...env, CLAUDE_CONFIG_DIR: '/x' }, NOW)).toBeNull()
    expect(memoHit(dir, key, { CLAUDE_CONFIG_DIR: undefined }, NOW)).toBeNull()
    // A variable it did not read changes nothing.
    expect(memoHit(dir, key, { ...env, TERM: 'xterm' }, NOW)?.out).toBe(good.out)
  })
  it('holds nothing once a file it read is rewritten or a file it looked for appears', () => {
    write(good)
    utimesSync(input, new Date(NOW + 5_000), new Date(NOW + 5_000))
    expect(memoHit(dir, key, env, NOW)).toBeNull()
    write({ ...good, inputs: [[input, pathStamp(input)]] })
    expect(memoHit(dir, key, env, NOW)?.out).toBe(good.out)
    rmSync(input)
    expect(memoHit(dir, key, env, NOW)).toBeNull()
    write({ ...good, inputs: [[join(dir, 'absent.json'), '-']] })
    writeFileSync(join(dir, 'absent.json'), '{}')
    expect(memoHit(dir, key, env, NOW)).toBeNull()
  })
  it.each([
    ['damaged JSON', '{"v":1,"key":'],
    ['another layout', JSON.stringify({ v: 2 })],
    ['a wrong field type', 'WRONG'],
    ['an input that is not a pair', 'PAIRS'],
    ['null', 'null'],
  ])('holds nothing in a file with %s', (_name, text) => {
    mkdirSync(join(dir, 'render'), { recursive: true })
    const body =
      text === 'WRONG'
        ? JSON.stringify({ ...good, code: '0' })
        : text === 'PAIRS'
          ? JSON.stringify({ ...good, inputs: [[input]] })
          : text
    writeFileSync(memoFile(dir, key), body)
    expect(memoHit(dir, key, env, NOW)).toBeNull()
  })
})

describe('the record of what a render read', () => {
  it('stamps each path before it is read, once, and only while active', () => {
    const record = new RenderRecord()
    const rfs = recordingFs(record, fs)
    const file = join(dir, 'x.json')
    writeFileSync(file, 'one')
    rfs.readFileSync(file, 'utf8')
    expect(record.inputs.size).toBe(0)
    record.active = true
    const before = pathStamp(file)
    expect(rfs.readFileSync(file, 'utf8')).toBe('one')
    expect(rfs.existsSync(join(dir, 'none'))).toBe(false)
    rfs.statSync(file)
    expect([...record.inputs]).toEqual([
      [file, before],
      [join(dir, 'none'), '-'],
    ])
    expect(record.tainted).toBeNull()
  })
  it('a read by descriptor, a write, an open for writing or any other call taints the run', () => {
    const cases: [string, (rfs: typeof fs) => void][] = [
      ['descriptor', (rfs) => rfs.readFileSync(fs.openSync(join(dir, 'x'), 'w+'))],
      ['write', (rfs) => rfs.writeFileSync(join(dir, 'y'), 'z')],
      ['open', (rfs) => rfs.closeSync(rfs.openSync(join(dir, 'y'), 'a'))],
      ['stderr', (rfs) => rfs.writeSync(2, '')],
      ['mkdir', (rfs) => rfs.mkdirSync(join(dir, 'd'))],
    ]
    for (const [name, call] of cases) {
      const record = new RenderRecord()
      record.active = true
      call(recordingFs(record, fs))
      expect(record.tainted, name).not.toBeNull()
    }
    const record = new RenderRecord()
    record.active = true
    const rfs = recordingFs(record, fs)
    rfs.writeSync(1, '')
    const fd = rfs.openSync(join(dir, 'x'), 'w')
    expect(record.tainted).toBe('a file opened for writing')
    rfs.closeSync(fd)
  })
  it('while replaying, answers each read as the render was answered, failures included', () => {
    const record = new RenderRecord()
    record.active = true
    const rfs = recordingFs(record, fs)
    const file = join(dir, 'x.json')
    writeFileSync(file, 'one')
    expect(rfs.readFileSync(file, 'utf8')).toBe('one')
    expect(() => rfs.readFileSync(join(dir, 'none'), 'utf8')).toThrow(/ENOENT/)
    writeFileSync(file, 'two')
    writeFileSync(join(dir, 'none'), 'now there')
    record.replaying = true
    expect(rfs.readFileSync(file, 'utf8')).toBe('one')
    expect(() => rfs.readFileSync(join(dir, 'none'), 'utf8')).toThrow(/ENOENT/)
    // A read the render did not make is made, and stamped.
    expect(rfs.readFileSync(file, 'latin1')).toBe('two')
    record.replaying = false
    expect(rfs.readFileSync(file, 'utf8')).toBe('two')
  })
  it('notes each variable read with its value, and taints on listing or changing it', () => {
    const record = new RenderRecord()
    record.active = true
    const env = recordingEnv(record, { HOME: '/h', KEY: 'secret' })
    expect(env.HOME).toBe('/h')
    expect('NOPE' in env).toBe(false)
    expect([...record.env]).toEqual([
      ['HOME', '/h'],
      ['NOPE', undefined],
    ])
    expect(record.tainted).toBeNull()
    expect(Object.keys(env)).toEqual(['HOME', 'KEY'])
    expect(record.tainted).toBe('the environment listed')
  })
})

describe('saveMemo', () => {
  const key = memoKey(['-f', 'waybar'], '/', 'b')
  const line = { text: 'a1 60% 1h 5m', exitCode: 0 }
  it('writes the line with the hashes of the variables read, never their values', () => {
    const record = new RenderRecord()
    record.active = true
    recordingEnv(record, { TOKEN: 'sk-ant-secret-value' }).TOKEN
    saveMemo(record, dir, key, line, NOW, () => line)
    const text = fs.readFileSync(memoFile(dir, key), 'utf8')
    expect(text).not.toContain('sk-ant-secret-value')
    const memo = JSON.parse(text) as Memo
    expect(memo).toMatchObject({ from: NOW, out: line.text, code: 0 })
    expect(memo.until).toBeGreaterThan(NOW + HORIZON_MS - 1_000)
    expect(memo.env).toEqual([['TOKEN', textHash('sk-ant-secret-value')]])
    expect(fs.statSync(memoFile(dir, key)).mode & 0o777).toBe(0o600)
  })
  it('writes nothing for a tainted run, or when a later render would do more than read', () => {
    const record = new RenderRecord()
    saveMemo(record, dir, key, line, NOW, () => null)
    record.active = true
    record.taint('a process started')
    saveMemo(record, dir, key, line, NOW, () => line)
    expect(fs.existsSync(memoFile(dir, key))).toBe(false)
  })
  it('removes the memos of calls unused for a day, not its own', () => {
    const old = join(dir, 'render', 'old.json')
    mkdirSync(join(dir, 'render'))
    writeFileSync(old, '{}')
    const past = new Date(Date.now() - 2 * 86_400_000)
    utimesSync(old, past, past)
    writeFileSync(join(dir, 'render', 'recent.json'), '{}')
    const record = new RenderRecord()
    record.active = true
    saveMemo(record, dir, key, line, NOW, () => line)
    expect(fs.readdirSync(join(dir, 'render')).sort()).toEqual(
      [`${textHash(key)}.json`, 'recent.json'].sort(),
    )
  })
})
