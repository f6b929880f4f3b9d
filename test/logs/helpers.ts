import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AccountUsage, type LogDeps, scanAccount } from '../../src/logs/local.js'
import { loadPricing } from '../../src/logs/pricing.js'
import { COST, REQUESTS, type Totals, tokensOf, UNPRICED } from '../../src/logs/totals.js'
import type { Account } from '../../src/providers/types.js'

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'logs')

/** A temp dir holding a copy of one fixture tree (`claude`, `codex`, `opencode`). */
export function tempCopy(fixture?: string): { dir: string; cacheDir: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'quotabar-logs-'))
  const dir = join(root, 'data')
  if (fixture) cpSync(join(FIXTURES, fixture), dir, { recursive: true })
  return { dir, cacheDir: join(root, 'cache'), cleanup: () => rmSync(root, { recursive: true, force: true }) }
}

export function accountOf(provider: string, configDir: string, id = 'test'): Account {
  return { provider, id, configDir, key: `${provider}/${id}`, label: id, refreshSeconds: 300 }
}

/** Scans with the bundled prices; `since` 0 reads every file whatever its mtime. */
export async function scan(
  account: Account,
  cacheDir: string,
  now: string,
  since = 0,
  tuning: Pick<LogDeps, 'checkpointBytes' | 'spillAfter' | 'sortedMax'> = {},
): Promise<AccountUsage> {
  const usage = await scanAccount(
    account,
    {
      env: {},
      home: '/nonexistent-home',
      cacheDir,
      now: new Date(now),
      pricing: loadPricing(null),
      ...tuning,
    },
    since,
  )
  if (!usage) throw new Error('no logs found')
  return usage
}

/** Totals per model over the whole usage. */
export function byModel(
  usage: AccountUsage,
): Record<string, { cost: number; tokens: number; requests: number; unpriced: number }> {
  const out: Record<string, Totals> = {}
  for (const models of usage.slots.values()) {
    for (const [model, t] of models) {
      const cur = out[model] ?? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
      for (let i = 0; i < 8; i++) cur[i] = (cur[i] ?? 0) + (t[i] ?? 0)
      out[model] = cur
    }
  }
  return Object.fromEntries(
    Object.entries(out).map(([m, t]) => [
      m,
      {
        cost: Number((t[COST] ?? 0).toFixed(9)),
        tokens: tokensOf(t),
        requests: t[REQUESTS] ?? 0,
        unpriced: t[UNPRICED] ?? 0,
      },
    ]),
  )
}
