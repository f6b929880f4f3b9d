import { DEFAULT_THRESHOLDS } from './config/accounts.js'
import type { CacheEntry, UsageSnapshot } from './model.js'
import type { Account } from './model.js'
import { buildAccountView, type View } from './view.js'

/** `--demo`: realistic sample accounts built relative to now, through the same view code. No I/O. */

const H = 3600_000
const D = 24 * H

interface Sample {
  id: string
  label: string
  snapshot: Omit<UsageSnapshot, 'fetchedAt'>
  ageMs: number
  error?: CacheEntry['error']
  /** Recent burn per window (percent per hour, same order as the windows). */
  rates: number[]
  /** The first window's last day, hourly. */
  spark: (number | null)[]
}

// A working day of 5-hour sessions: idle night, two resets, a lunch break; personal has a gap (laptop off).
const WORK_DAY = [0, 0, 0, 0, 0, 0, 0, 0, 8, 20, 35, 51, 66, 4, 15, 22, 30, 30, 38, 52, 70, 5, 18, 42]
const EVENINGS = [60, 72, 80, 0, 0, 0, 0, 0, 0, 0, null, null, null, null, 0, 0, 0, 0, 0, 0, 12, 31, 55, 76]
const CONTRACT = [40, 51, 63, 70, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 9, 20, 28, 37, 45, 58, 70, 78, 88, 94]

function samples(t: number): Sample[] {
  const at = (offset: number) => new Date(t + offset).toISOString()
  return [
    {
      id: 'work',
      label: 'work',
      ageMs: 2 * 60_000,
      rates: [10, 0.25, 0.2],
      spark: WORK_DAY,
      snapshot: {
        plan: 'Max 20x',
        email: 'dev@example.com',
        windows: [
          {
            id: 'session',
            label: '5h',
            usedPercent: 42,
            resetsAt: at(2 * H + 14 * 60_000),
            windowSeconds: 18_000,
          },
          {
            id: 'weekly',
            label: '7d',
            usedPercent: 18,
            resetsAt: at(4 * D + 11 * H),
            windowSeconds: 604_800,
          },
          {
            id: 'weekly:fable',
            label: 'Fable',
            usedPercent: 32,
            resetsAt: at(4 * D + 11 * H),
            windowSeconds: 604_800,
          },
        ],
        spend: [
          { id: 'extra', label: 'Extra usage', used: 7.63, limit: 40, currency: 'EUR', period: 'month' },
        ],
      },
    },
    {
      id: 'personal',
      label: 'personal',
      ageMs: 4 * 60_000,
      rates: [40, 0.9],
      spark: EVENINGS,
      snapshot: {
        plan: 'Pro',
        email: 'me@example.org',
        windows: [
          { id: 'session', label: '5h', usedPercent: 76, resetsAt: at(38 * 60_000), windowSeconds: 18_000 },
          { id: 'weekly', label: '7d', usedPercent: 65, resetsAt: at(2 * D + 6 * H), windowSeconds: 604_800 },
        ],
        spend: [],
      },
    },
    {
      id: 'client',
      label: 'client',
      ageMs: 9 * 60_000,
      rates: [8, 1.1],
      spark: CONTRACT,
      error: {
        kind: 'rate-limited',
        message:
          'HTTP 429 from https://api.anthropic.com/api/oauth/usage: Rate limited. Please try again later.',
        fix: 'quotabar waits before asking again; polling less often avoids this',
        httpStatus: 429,
      },
      snapshot: {
        plan: 'Max 5x',
        email: 'contractor@example.net',
        windows: [
          {
            id: 'session',
            label: '5h',
            usedPercent: 94,
            resetsAt: at(H + 12 * 60_000),
            windowSeconds: 18_000,
          },
          { id: 'weekly', label: '7d', usedPercent: 71, resetsAt: at(D + 3 * H), windowSeconds: 604_800 },
        ],
        spend: [],
      },
    },
  ]
}

export function demoView(now: Date, window = 'auto'): View {
  const t = now.getTime()
  const accounts = samples(t).map((s) => {
    const account: Account = {
      provider: 'claude',
      id: s.id,
      label: s.label,
      key: `claude/${s.id}`,
      refreshSeconds: 300,
    }
    const fetchedAt = new Date(t - s.ageMs).toISOString()
    const entry: CacheEntry = {
      v: 1,
      key: account.key,
      fingerprint: null,
      credentialStamp: null,
      snapshot: { ...s.snapshot, fetchedAt },
      lastAttemptAt: s.error ? new Date(t - 60_000).toISOString() : fetchedAt,
      error: s.error ?? null,
      retryAt: s.error ? new Date(t + 4 * 60_000).toISOString() : null,
      cooldown: s.error?.kind === 'rate-limited',
      failures: 0,
      rateLimitStrikes: s.error ? 1 : 0,
      burn: s.snapshot.windows.map((w, i) => ({
        id: w.id,
        resetsAt: w.resetsAt,
        at: fetchedAt,
        percentPerHour: s.rates[i] ?? null,
        weightSeconds: (w.windowSeconds ?? 0) / 10,
        tauSeconds: (w.windowSeconds ?? 0) / 10,
        spark:
          i === 0
            ? { end: new Date(Math.floor(t / H) * H + H).toISOString(), bucketSeconds: 3600, values: s.spark }
            : null,
      })),
    }
    return buildAccountView(account, entry, now, DEFAULT_THRESHOLDS, window)
  })
  return { generatedAt: now.toISOString(), accounts, thresholds: DEFAULT_THRESHOLDS, problem: null }
}
