import { appendFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ClaudeSource } from '../../src/logs/claude.js'
import { claudeFiles } from '../../src/logs/log-files.js'
import { LineReader } from '../../src/logs/incremental.js'
import { planScan, scanJsonl } from '../../src/logs/jsonl.js'
import { loadPricing } from '../../src/logs/pricing.js'
import {
  emptyState,
  type FileState,
  loadIndex,
  loadState,
  saveState,
  statePath,
  sumOf,
} from '../../src/logs/state.js'
import { accountOf, byModel, scan, tempCopy } from './helpers.js'

// A long scan saves its progress as it goes: one cut short (the process killed, its lock
// expired) is taken up where it stopped by the next, never started over.
const NOW = '2026-08-12T12:00:00.000Z'
const pricing = loadPricing(null)

let t: ReturnType<typeof tempCopy> | undefined
let clean: ReturnType<typeof tempCopy> | undefined
afterEach(() => {
  t?.cleanup()
  clean?.cleanup()
})

/** Scans the account's transcripts, saving after every file, and dies at the `dieAt`-th save. */
async function killedScan(dir: string, cacheDir: string, dieAt: number): Promise<void> {
  const path = statePath(cacheDir, 'claude/test')
  const index = loadIndex(path, 'claude', pricing.id)
  const state = index ? loadState(path, index) : emptyState('claude', pricing.id)
  let saves = 0
  const write = (files: Record<string, FileState>) => {
    saveState(path, { ...state, files }, sumOf(Object.values(files)))
    if (++saves === dieAt) throw new Error('killed')
  }
  const files = claudeFiles([join(dir, 'projects')])
  const source = new ClaudeSource(pricing, Date.parse(NOW))
  await expect(
    scanJsonl(planScan(files, state.files, 0), state, source, new LineReader(), { every: 1, write }),
  ).rejects.toThrow('killed')
}

describe('a scan saves its progress', () => {
  it('a cold scan cut short after two of three files: the next one reads the last only', async () => {
    t = tempCopy('claude')
    clean = tempCopy('claude')
    const account = accountOf('claude', t.dir)
    await killedScan(t.dir, t.cacheDir, 2)
    const resumed = await scan(account, t.cacheDir, NOW)
    expect(resumed.stats).toMatchObject({ files: 3, filesRead: 1 })
    const whole = await scan(accountOf('claude', clean.dir), clean.cacheDir, NOW)
    expect(byModel(resumed)).toEqual(byModel(whole))
    expect(resumed.reasons).toEqual(whole.reasons)
  })

  it('appends cut short: the files not reached are read on from where they were', async () => {
    t = tempCopy('claude')
    clean = tempCopy('claude')
    const line = (n: number) =>
      `${JSON.stringify({ type: 'assistant', timestamp: '2026-08-12T11:00:00.000Z', requestId: `req_p${n}`, message: { id: `msg_p${n}`, model: 'claude-haiku-4-5-20251001', usage: { input_tokens: 100 * n, output_tokens: 10 } } })}\n`
    const appendAll = (dir: string) => {
      const legacy = join(dir, 'projects', '-Users-dev-legacy')
      const shop = join(dir, 'projects', '-home-dev-src-shop')
      const session = readdirSync(shop).find((n) => n.endsWith('.jsonl')) as string
      // The shop transcript ends in a cut-off line: start on a line of our own.
      appendFileSync(join(shop, session), `\n${line(1)}`)
      appendFileSync(join(legacy, readdirSync(legacy)[0] as string), line(2))
      const sub = join(shop, session.replace('.jsonl', ''), 'subagents')
      appendFileSync(join(sub, readdirSync(sub)[0] as string), line(3))
    }
    const account = accountOf('claude', t.dir)
    await scan(account, t.cacheDir, NOW)
    appendAll(t.dir)
    await killedScan(t.dir, t.cacheDir, 1)
    const resumed = await scan(account, t.cacheDir, NOW)
    expect(resumed.stats.filesRead).toBe(2)
    const cleanAccount = accountOf('claude', clean.dir)
    await scan(cleanAccount, clean.cacheDir, NOW)
    appendAll(clean.dir)
    const whole = await scan(cleanAccount, clean.cacheDir, NOW)
    expect(byModel(resumed)).toEqual(byModel(whole))
  })
})
