import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { emptyEntry, entryPath, writeEntry, writeFileAtomic } from '../../src/cache/store.js'
import { resolvePaths } from '../../src/config/paths.js'
import { validateConfig } from '../../src/context-load.js'
import { choicePath } from '../../src/live/choice.js'
import { keptReads } from '../../src/live/reads.js'
import type { CacheEntry } from '../../src/model.js'
import { directReads, runStatus, type StatusDeps, type StatusRequest } from '../../src/status.js'
import { makeHome, type TempHome } from '../helpers/home.js'

const NOW = new Date('2026-11-22T10:00:00.000Z')
const req: StatusRequest = { format: 'waybar', selectors: [], window: 'auto', demo: false, refresh: false }

let h: TempHome
let deps: StatusDeps
let stateDir: string
beforeEach(() => {
  h = makeHome()
  deps = { env: h.env, now: () => NOW, validateConfig: () => validateConfig, startRefresh: () => null }
  stateDir = resolvePaths(h.env).stateDir
})
afterEach(() => h.cleanup())

const config = (ids: string[], warning = 70) =>
  h.writeConfig({
    accounts: ids.map((id) => ({ provider: 'claude', id, configDir: join(h.home, `.claude-${id}`) })),
    thresholds: { warning, critical: 90 },
  })

function entry(key: string, used: number): CacheEntry {
  const windows = [
    {
      id: 'session',
      label: '5h',
      usedPercent: used,
      resetsAt: '2026-11-22T12:00:00.000Z',
      windowSeconds: 18_000,
    },
    {
      id: 'weekly',
      label: 'week',
      usedPercent: used / 2,
      resetsAt: '2026-11-27T08:00:00.000Z',
      windowSeconds: 604_800,
    },
  ]
  const snapshot = { fetchedAt: NOW.toISOString(), plan: 'max', email: null, windows, spend: [] }
  return { ...emptyEntry(key), snapshot, lastAttemptAt: NOW.toISOString() }
}

const choose = (v: unknown) => writeFileAtomic(choicePath(stateDir), JSON.stringify(v))

describe('keptReads: a watch keeps what it read while the files are unchanged', () => {
  it('an entry is read once, then again after each write, and reads as gone once removed', () => {
    const reads = keptReads()
    writeEntry(h.cacheDir, entry('claude/work', 10))
    const first = reads.entry(h.cacheDir, 'claude/work')
    expect(first?.snapshot?.windows[0]?.usedPercent).toBe(10)
    // The same object: nothing was read or parsed again.
    expect(reads.entry(h.cacheDir, 'claude/work')).toBe(first)
    writeEntry(h.cacheDir, entry('claude/work', 55))
    expect(reads.entry(h.cacheDir, 'claude/work')?.snapshot?.windows[0]?.usedPercent).toBe(55)
    rmSync(entryPath(h.cacheDir, 'claude/work'))
    expect(reads.entry(h.cacheDir, 'claude/work')).toBeNull()
    // A damaged file reads as none, like a one-shot render's, until it is written whole again.
    writeFileSync(entryPath(h.cacheDir, 'claude/work'), '{"v":1,"key":')
    expect(reads.entry(h.cacheDir, 'claude/work')).toBeNull()
    writeEntry(h.cacheDir, entry('claude/work', 70))
    expect(reads.entry(h.cacheDir, 'claude/work')?.snapshot?.windows[0]?.usedPercent).toBe(70)
  })

  it('settings from a config file are kept until it changes; without one they are read every time', () => {
    const reads = keptReads()
    config(['work'])
    const first = reads.settings(req, deps)
    // The first load validated the file and wrote its checked copy: the next one reads that copy.
    const second = reads.settings(req, deps)
    expect(reads.settings(req, deps)).toBe(second)
    expect(second.settings?.accounts.map((a) => a.id)).toEqual(['work'])
    expect(first.settings).toEqual(second.settings)
    config(['work', 'home'], 60)
    const edited = reads.settings(req, deps)
    expect(edited.settings?.accounts.map((a) => a.id)).toEqual(['work', 'home'])
    expect(edited.settings?.thresholds.warning).toBe(60)
    rmSync(h.configFile)
    const a = reads.settings(req, deps)
    expect(a.settings?.accounts).toEqual([])
    expect(reads.settings(req, deps)).not.toBe(a)
  })

  it('paths worked out once still follow another --config or state dir', () => {
    const reads = keptReads()
    config(['work'])
    const other = join(h.home, 'other.json')
    writeFileSync(
      other,
      JSON.stringify({
        accounts: [{ provider: 'claude', id: 'home', configDir: join(h.home, '.claude-home') }],
      }),
    )
    const ids = (r: StatusRequest) => reads.settings(r, deps).settings?.accounts.map((a) => a.id)
    expect(ids(req)).toEqual(['work'])
    expect(ids({ ...req, config: other })).toEqual(['home'])
    expect(ids(req)).toEqual(['work'])
    const elsewhere = join(h.home, 'state-elsewhere')
    writeFileAtomic(choicePath(elsewhere), JSON.stringify({ focus: 'claude/home', window: null }))
    expect(reads.choice(stateDir)).toEqual({ focus: null, window: null })
    expect(reads.choice(elsewhere)).toEqual({ focus: 'claude/home', window: null })
    expect(reads.choice(stateDir)).toEqual({ focus: null, window: null })
  })

  it('a broken config shows its problem on every render, and its fix on the next', () => {
    const reads = keptReads()
    config(['work'])
    writeFileSync(h.configFile, '{"accounts": [')
    const broken = reads.settings(req, deps)
    expect(broken.settings).toBeNull()
    expect(broken.error?.kind).toBe('config')
    expect(reads.settings(req, deps)).toBe(broken)
    config(['work'])
    expect(reads.settings(req, deps).settings?.accounts.map((a) => a.id)).toEqual(['work'])
  })

  it('the click choice follows its file', () => {
    const reads = keptReads()
    expect(reads.choice(stateDir)).toEqual({ focus: null, window: null })
    choose({ focus: 'claude/home', window: 'weekly' })
    expect(reads.choice(stateDir)).toEqual({ focus: 'claude/home', window: 'weekly' })
    choose({ focus: null, window: 'session' })
    expect(reads.choice(stateDir)).toEqual({ focus: null, window: 'session' })
    rmSync(choicePath(stateDir))
    expect(reads.choice(stateDir)).toEqual({ focus: null, window: null })
  })

  it('renders what a render reading every file renders, change after change', () => {
    const kept = { ...deps, reads: keptReads() }
    const direct = { ...deps, reads: directReads }
    const steps: (() => void)[] = [
      () => config(['work', 'home']),
      () => writeEntry(h.cacheDir, entry('claude/work', 20)),
      () => writeEntry(h.cacheDir, entry('claude/home', 40)),
      () => {},
      () => writeEntry(h.cacheDir, entry('claude/work', 95)),
      () => choose({ focus: 'claude/home', window: null }),
      () => config(['work', 'home'], 30),
      () => choose({ focus: null, window: 'weekly' }),
      () => writeFileSync(h.configFile, 'not json'),
      () => config(['home']),
      () => rmSync(entryPath(h.cacheDir, 'claude/home')),
      () => rmSync(h.configFile),
      () => config(['work']),
    ]
    const lines: string[] = []
    for (const step of steps) {
      step()
      const want = runStatus(req, direct)
      expect(runStatus(req, kept)).toEqual(want)
      expect(runStatus(req, kept)).toEqual(want)
      lines.push(JSON.stringify(want))
    }
    // The steps changed what is shown (a check that renders nothing would pass the above).
    expect(new Set(lines).size).toBeGreaterThan(8)
  })
})
