import { appendFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { deriveStatus } from '../../src/cache/freshness.js'
import { isLocked, LOCK_TTL_MS } from '../../src/cache/lock.js'
import { readEntry } from '../../src/cache/store.js'
import type { CacheEntry, SpendMeter } from '../../src/model.js'
import type { Account } from '../../src/providers/types.js'
import { type RefreshDeps, refreshAccounts } from '../../src/refresh.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type FakeServer, startServer } from '../helpers/server.js'
import { FIXTURES } from './helpers.js'

// The refresh puts local-log meters on the account that has the quota windows, whatever the
// fetch did (src/logs/refresh-meters.ts). Transcripts: test/fixtures/logs/claude (today $0.105566).
const NOW = '2026-08-12T12:00:00.000Z'
const at = (min: number) => new Date(Date.parse(NOW) + min * 60_000)
const USAGE = '/api/oauth/usage'
const body = {
  five_hour: { utilization: 40, resets_at: '2026-08-12T14:00:00.000000+00:00' },
  seven_day: { utilization: 12, resets_at: '2026-08-17T08:00:00+00:00' },
  extra_usage: {
    is_enabled: true,
    monthly_limit: 4000,
    used_credits: 763,
    currency: 'EUR',
    decimal_places: 2,
  },
}

let server: FakeServer
let h: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => h?.cleanup())

function setup(): { account: Account; dir: string } {
  h = makeHome()
  const dir = join(h.home, '.claude-work')
  h.claudeLogin(dir)
  cpSync(join(FIXTURES, 'claude', 'projects'), join(dir, 'projects'), { recursive: true })
  server.on(USAGE, { body })
  const account = {
    provider: 'claude',
    id: 'work',
    key: 'claude/work',
    label: 'work',
    refreshSeconds: 300,
    configDir: dir,
    baseUrl: server.url,
  }
  return { account, dir }
}

const deps = (now: Date, logs: RefreshDeps['logs'] = { enabled: true, timezone: 'UTC' }): RefreshDeps => ({
  env: h.env,
  home: h.home,
  cacheDir: h.cacheDir,
  now: () => now,
  timeoutMs: 2000,
  logs,
})

async function refresh(account: Account, now: Date, logs?: RefreshDeps['logs']): Promise<CacheEntry> {
  const [r] = await refreshAccounts([account], deps(now, logs), { mode: 'force' })
  if (!r?.entry) throw new Error('no entry')
  return r.entry
}

const meter = (e: CacheEntry, id: string): SpendMeter | undefined =>
  e.snapshot?.spend.find((s) => s.id === id)
const ids = (e: CacheEntry) => e.snapshot?.spend.map((s) => s.id)

describe('local meters in the refresh', () => {
  it('ride on a good fetch, next to its windows and its own spend', async () => {
    const { account } = setup()
    const e = await refresh(account, new Date(NOW))
    expect(e.error).toBeNull()
    expect(e.snapshot?.fetchedAt).toBe(NOW)
    expect(e.snapshot?.windows.map((w) => [w.id, w.usedPercent])).toEqual([
      ['session', 40],
      ['weekly', 12],
    ])
    expect(ids(e)).toEqual(['extra', 'today', 'block', 'week'])
    expect(meter(e, 'today')).toMatchObject({ used: 0.105566, period: 'day', estimated: true, requests: 6 })
    expect(meter(e, 'block')).toMatchObject({ used: 0.102566, period: 'block' })
  })

  it('a failed fetch keeps the last good API numbers (and their age) and updates the meters', async () => {
    const { account, dir } = setup()
    await refresh(account, new Date(NOW))
    server.on(USAGE, { status: 500, body: { error: 'boom' } })
    const line = {
      type: 'assistant',
      timestamp: at(5).toISOString(),
      requestId: 'req_new',
      message: {
        id: 'msg_new',
        model: 'claude-haiku-4-5-20251001',
        usage: { input_tokens: 1000, output_tokens: 0 },
      },
    }
    appendFileSync(
      join(dir, 'projects', '-Users-dev-legacy', '99999999-aaaa-4bbb-8ccc-dddddddddddd.jsonl'),
      `${JSON.stringify(line)}\n`,
    )
    const e = await refresh(account, at(10))
    expect(e.error?.kind).toBe('http')
    expect(e.snapshot?.fetchedAt).toBe(NOW)
    expect(e.snapshot?.windows.map((w) => w.usedPercent)).toEqual([40, 12])
    expect(ids(e)).toEqual(['extra', 'today', 'block', 'week'])
    expect(meter(e, 'today')).toMatchObject({ used: 0.106566, requests: 7 })
    expect(deriveStatus(e, account, at(10))).toBe('stale')
  })

  it('with no good fetch ever, the meters come alone (dated now), and give way to the first good fetch', async () => {
    const { account, dir } = setup()
    rmSync(join(dir, '.credentials.json'))
    const failed = await refresh(account, new Date(NOW))
    expect(failed.error?.kind).toBe('credentials')
    expect(failed.snapshot).toMatchObject({ fetchedAt: NOW, plan: null, email: null, windows: [] })
    expect(ids(failed)).toEqual(['today', 'block', 'week'])
    // A later failure does not keep the old local-only snapshot's date: the meters are re-read.
    const again = await refresh(account, at(30))
    expect(again.snapshot?.fetchedAt).toBe(at(30).toISOString())
    h.claudeLogin(dir)
    const ok = await refresh(account, at(40))
    expect(ok.error).toBeNull()
    expect(ok.snapshot?.fetchedAt).toBe(at(40).toISOString())
    expect(ok.snapshot?.windows).toHaveLength(2)
    expect(ids(ok)).toEqual(['extra', 'today', 'block', 'week'])
  })

  it('a state that cannot be read or written costs a full read, never the refresh', async () => {
    const { account } = setup()
    // A directory where the state file should be: reading fails, and so does the atomic rename.
    mkdirSync(join(h.cacheDir, 'logs', 'claude~work.json'), { recursive: true })
    const e = await refresh(account, new Date(NOW))
    expect(e.error).toBeNull()
    expect(meter(e, 'today')).toMatchObject({ used: 0.105566, requests: 6 })
    expect(meter(await refresh(account, at(5)), 'today')).toMatchObject({ used: 0.105566, requests: 6 })
  })

  it('logs.enabled false: no meters, and earlier ones leave; API spend stays', async () => {
    const { account } = setup()
    await refresh(account, new Date(NOW))
    const e = await refresh(account, at(10), { enabled: false })
    expect(ids(e)).toEqual(['extra'])
    server.on(USAGE, { status: 500, body: {} })
    expect(ids(await refresh(account, at(20), { enabled: false }))).toEqual(['extra'])
  })

  it('logs.timezone decides "today"; a bad zone falls back to the local one (TZ=UTC here)', async () => {
    const { account } = setup()
    // In Tokyo (UTC+9) it is 21:00 on the 12th: the legacy Tuesday 20:00 UTC request is Wednesday 05:00.
    const tokyo = await refresh(account, new Date(NOW), { timezone: 'Asia/Tokyo' })
    expect(meter(tokyo, 'today')).toMatchObject({ used: 1.020566, requests: 7 })
    const bad = await refresh(account, at(1), { timezone: 'Mars/Olympus' })
    expect(meter(bad, 'today')).toMatchObject({ used: 0.105566, requests: 6 })
  })

  it('a Codex login the keyring hides: the session-log fallback windows and the meters together', async () => {
    h = makeHome()
    const dir = join(h.home, '.codex-work')
    cpSync(join(FIXTURES, 'codex'), dir, { recursive: true })
    writeFileSync(join(dir, 'config.toml'), 'cli_auth_credentials_store = "keyring"\n')
    const day = join(dir, 'sessions', '2026', '08', '12')
    mkdirSync(day, { recursive: true })
    const limits = {
      timestamp: '2026-08-12T11:00:00.000Z',
      type: 'event_msg',
      payload: {
        type: 'token_count',
        info: null,
        rate_limits: {
          limit_id: 'codex',
          primary: { used_percent: 21.0, window_minutes: 300, resets_at: 1786539600 },
          secondary: { used_percent: 7.0, window_minutes: 10080, resets_at: 1786958000 },
          plan_type: 'pro',
        },
      },
    }
    writeFileSync(
      join(day, 'rollout-2026-08-12T11-00-00-019b9999-0000-7000-8000-000000000000.jsonl'),
      `${JSON.stringify(limits)}\n`,
    )
    const account = {
      provider: 'codex',
      id: 'work',
      key: 'codex/work',
      label: 'work',
      refreshSeconds: 300,
      configDir: dir,
    }
    const e = await refresh(account, new Date(NOW))
    expect(e.error?.kind).toBe('credentials')
    expect(e.snapshot?.fetchedAt).toBe('2026-08-12T11:00:00.000Z')
    expect(e.snapshot?.windows.map((w) => w.usedPercent)).toEqual([21, 7])
    expect(meter(e, 'today')).toMatchObject({ used: 0.098875, requests: 5, label: 'API-equivalent' })
  })

  it('a long scan never holds back the provider numbers, and keeps the lock alive while it runs', async () => {
    const { account } = setup()
    const first = await refresh(account, new Date(NOW))
    let clock = at(10)
    let progress = () => {}
    let finish: (m: SpendMeter[] | null) => void = () => {}
    const scanned = new Promise<SpendMeter[] | null>((resolve) => {
      finish = resolve
    })
    const slow: RefreshDeps = {
      ...deps(at(10)),
      now: () => clock,
      scanLogs: (_account, onProgress) => {
        progress = onProgress
        return scanned
      },
    }
    const running = refreshAccounts([account], slow, { mode: 'force' })
    // The new API numbers are in the cache while the scan is still going, with the last meters.
    const written = async () => {
      for (let i = 0; i < 200; i++) {
        const e = readEntry(h.cacheDir, account.key)
        if (e?.lastAttemptAt === at(10).toISOString()) return e
        await new Promise((r) => setTimeout(r, 10))
      }
      throw new Error('the snapshot was not written while the scan ran')
    }
    const early = await written()
    expect(early.snapshot?.fetchedAt).toBe(at(10).toISOString())
    expect(ids(early)).toEqual(['extra', 'today', 'block', 'week'])
    expect(meter(early, 'today')).toEqual(meter(first, 'today'))
    // Four minutes into the scan it says it is still going: the lock outlives its first expiry.
    clock = at(14)
    progress()
    expect(isLocked(h.cacheDir, account.key, at(10).getTime() + LOCK_TTL_MS + 60_000)).toBe(true)
    const fresh = { ...(meter(first, 'today') as SpendMeter), used: 9.5 }
    finish([fresh])
    const [r] = await running
    expect(r?.outcome).toBe('fetched')
    expect(meter(readEntry(h.cacheDir, account.key) as CacheEntry, 'today')).toMatchObject({ used: 9.5 })
    expect(isLocked(h.cacheDir, account.key, at(14).getTime())).toBe(false)
  })
})
