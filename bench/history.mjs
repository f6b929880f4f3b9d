// Issue 12: what history costs. The render never reads it (run.mjs measures the cached render with
// 30 days of it present); the refresh appends a point and reads back enough for the burn rates.
// Measured here in one process: recordHistory per account over 30 days of 5-minute points.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { f2, loadSource, median } from './lib.mjs'

const DAY = 86_400_000
const STEP = 300_000

/** 30 days of a bar refreshing every 5 minutes: a 5-hour session resetting, a weekly growing. */
export function writeHistory(stateDir, keys, nowMs, days = 30) {
  for (const key of keys) {
    const dir = join(stateDir, 'history', key.replace('/', '~'))
    mkdirSync(dir, { recursive: true })
    const byDay = new Map()
    for (let t = nowMs - days * DAY; t <= nowMs; t += STEP) {
      const session = Math.floor((t % (5 * 3600_000)) / 180_000)
      const sessionReset = new Date(t - (t % (5 * 3600_000)) + 5 * 3600_000).toISOString()
      const weekStart = t - (t % (7 * DAY))
      const weekly = Math.floor(((t - weekStart) / (7 * DAY)) * 80)
      const line = JSON.stringify({
        t: new Date(t).toISOString(),
        w: [
          ['session', session, sessionReset, 18000],
          ['weekly', weekly, new Date(weekStart + 7 * DAY).toISOString(), 604800],
        ],
      })
      const day = new Date(t).toISOString().slice(0, 10)
      byDay.set(day, `${byDay.get(day) ?? ''}${line}\n`)
    }
    for (const [day, text] of byDay) writeFileSync(join(dir, `${day}.jsonl`), text)
  }
}

export async function benchHistory() {
  const { recordHistory } = await loadSource('src/history/record.ts')
  const { compactHistory } = await loadSource('src/history/store.ts')
  const state = mkdtempSync(join(tmpdir(), 'quotabar-bench-history-'))
  const keys = Array.from({ length: 6 }, (_, i) => `claude/h${i + 1}`)
  const now = Date.now()
  writeHistory(state, keys, now)
  // What 30 days of refreshes leave behind: finished days already thinned.
  const compactStart = process.hrtime.bigint()
  for (const key of keys) compactHistory(state, key, now)
  const compactMs = Number(process.hrtime.bigint() - compactStart) / 1e6 / keys.length
  const samples = []
  for (let i = 0; i < 40; i++) {
    const t = now + (i + 1) * STEP
    for (const key of keys) {
      const snapshot = {
        fetchedAt: new Date(t).toISOString(),
        plan: null,
        email: null,
        windows: [
          {
            id: 'session',
            label: '5h',
            usedPercent: 40,
            resetsAt: new Date(t + 3600_000).toISOString(),
            windowSeconds: 18000,
          },
          {
            id: 'weekly',
            label: '7d',
            usedPercent: 30,
            resetsAt: new Date(t + 3 * DAY).toISOString(),
            windowSeconds: 604800,
          },
        ],
        spend: [],
      }
      const entry = {
        v: 1,
        key,
        fingerprint: null,
        credentialStamp: null,
        snapshot,
        lastAttemptAt: snapshot.fetchedAt,
        error: null,
        retryAt: null,
        cooldown: false,
        failures: 0,
        rateLimitStrikes: 0,
      }
      const t0 = process.hrtime.bigint()
      const out = recordHistory(state, null, entry, new Date(t))
      samples.push(Number(process.hrtime.bigint() - t0) / 1e6)
      if (out.burn?.length !== 2) throw new Error('recordHistory returned no burns')
    }
  }
  rmSync(state, { recursive: true, force: true })
  return {
    ok: true,
    lines: [
      `history (30 days of 5-minute points, 2 windows, 6 accounts): a refresh's extra cost per account ${f2(median(samples))} ms median (append, thin, read back 8 days, burn + spark); thinning a finished month once ${f2(compactMs)} ms per account`,
    ],
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchHistory()
  for (const line of r.lines) console.log(line)
}
