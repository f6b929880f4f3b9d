import {
  existsSync,
  lutimesSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isLocked, lockPath, releaseLock, tryLock } from '../../src/cache/lock.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const KEY = 'claude/work'
const NOW = Date.parse('2026-11-22T10:00:00Z')

/** A cache dir whose lock for KEY is whatever `plant` leaves, aged `ageS` seconds (real time). */
function planted(plant: (path: string) => void, ageS: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'quotabar-lock-'))
  dirs.push(dir)
  mkdirSync(join(dir, 'locks'))
  const path = lockPath(dir, KEY)
  plant(path)
  const t = new Date(Date.now() - ageS * 1000)
  lutimesSync(path, t, t)
  return dir
}

describe('broken lock files', () => {
  const live = JSON.stringify({ pid: process.pid, token: 'theirs', expiresAt: NOW + 3_600_000 })
  it.each([
    ['empty (a crash between create and write)', (p: string) => writeFileSync(p, '')],
    ['unparseable (a full disk)', (p: string) => writeFileSync(p, '{"pid": 12')],
    ['a JSON body of the wrong shape', (p: string) => writeFileSync(p, '[1,2,3]')],
  ])('%s: left alone while young, taken over once older than a few seconds', (_n, plant) => {
    const young = planted(plant, 1)
    expect(tryLock(young, KEY, 'mine', 60_000, NOW)).toBe(false)
    const old = planted(plant, 10)
    expect(tryLock(old, KEY, 'mine', 60_000, NOW)).toBe(true)
    expect(isLocked(old, KEY, NOW)).toBe(true)
    releaseLock(old, KEY, 'mine')
    expect(existsSync(lockPath(old, KEY))).toBe(false)
  })

  it('a symlink is never followed: taken over once old, its target untouched', () => {
    const target = join(mkdtempSync(join(tmpdir(), 'quotabar-lock-target-')), 'elsewhere.json')
    dirs.push(join(target, '..'))
    writeFileSync(target, live)
    const dir = planted((p) => symlinkSync(target, p), 10)
    expect(isLocked(dir, KEY, NOW)).toBe(false)
    expect(tryLock(dir, KEY, 'mine', 60_000, NOW)).toBe(true)
    expect(readFileSync(target, 'utf8')).toBe(live)
  })

  it('a valid lock of a live owner is still respected, however old the file', () => {
    const dir = planted((p) => writeFileSync(p, live), 600)
    expect(tryLock(dir, KEY, 'mine', 60_000, NOW)).toBe(false)
    utimesSync(lockPath(dir, KEY), new Date(), new Date())
    expect(isLocked(dir, KEY, NOW)).toBe(true)
  })
})
