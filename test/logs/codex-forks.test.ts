import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { usageMeters } from '../../src/logs/meters.js'
import { Calendar } from '../../src/logs/periods.js'
import { accountOf, byModel, scan, tempCopy } from './helpers.js'

// Each token_count event counts once across every file of a Codex home (key: timestamp and
// cumulative totals), and timestamps may be epoch milliseconds.
// gpt-5.5: 5e-6 per input token, 5e-7 cached, 3e-5 output.
const NOW = '2026-08-12T12:00:00.000Z'

const context = `${JSON.stringify({ timestamp: '2026-08-12T09:00:00.000Z', type: 'turn_context', payload: { model: 'gpt-5.5' } })}\n`
/** A token_count event with cumulative totals only (the turn is the difference to the last). */
function event(timestamp: string | number, input: number, output: number): string {
  const total = {
    input_tokens: input,
    cached_input_tokens: 0,
    output_tokens: output,
    total_tokens: input + output,
  }
  const payload = { type: 'token_count', info: { total_token_usage: total }, rate_limits: null }
  return `${JSON.stringify({ timestamp, type: 'event_msg', payload })}\n`
}
// The parent: two turns, 1000/100 then 1000/100 more ($0.008 each).
const parent =
  context + event('2026-08-12T09:10:00.000Z', 1000, 100) + event('2026-08-12T09:20:00.000Z', 2000, 200)
// The fork copies the parent's history, then has a turn of its own: 500/50 more ($0.004).
const fork = parent + event('2026-08-12T10:30:00.000Z', 2500, 250)

let t: ReturnType<typeof tempCopy> | undefined
afterEach(() => t?.cleanup())

function home(files: Record<string, string>) {
  t = tempCopy()
  const dir = t.dir
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), body)
  }
  const account = accountOf('codex', dir)
  const cacheDir = t.cacheDir
  return { dir, run: () => scan(account, cacheDir, NOW) }
}
const day = 'sessions/2026/08/12'

describe('Codex: each event once across the files of a home', () => {
  it("a forked session's copy of its parent's events is not counted again", async () => {
    const u = await home({
      [`${day}/rollout-2026-08-12T09-00-00-aaaa.jsonl`]: parent,
      [`${day}/rollout-2026-08-12T10-00-00-bbbb.jsonl`]: fork,
    }).run()
    expect(byModel(u)).toEqual({ 'gpt-5.5': { cost: 0.02, tokens: 2750, requests: 3, unpriced: 0 } })
    expect(u.reasons).toEqual({ 'copied-event': 2 })
  })

  it('an event in an active and an archived file counts once', async () => {
    const u = await home({
      'archived_sessions/rollout-2026-08-12T09-00-00-aaaa-old.jsonl': parent,
      [`${day}/rollout-2026-08-12T09-00-00-aaaa.jsonl`]: parent,
    }).run()
    expect(byModel(u)).toEqual({ 'gpt-5.5': { cost: 0.016, tokens: 2200, requests: 2, unpriced: 0 } })
  })

  it('a fork that appears after its parent was counted, in a later refresh', async () => {
    const h = home({ [`${day}/rollout-2026-08-12T09-00-00-aaaa.jsonl`]: parent })
    expect(byModel(await h.run())['gpt-5.5']).toMatchObject({ requests: 2, cost: 0.016 })
    const forkPath = join(h.dir, day, 'rollout-2026-08-12T10-00-00-bbbb.jsonl')
    writeFileSync(forkPath, parent)
    expect(byModel(await h.run())['gpt-5.5']).toMatchObject({ requests: 2, cost: 0.016 })
    appendFileSync(forkPath, event('2026-08-12T10:30:00.000Z', 2500, 250))
    const u = await h.run()
    expect(u.stats.filesRead).toBe(1)
    expect(byModel(u)).toEqual({ 'gpt-5.5': { cost: 0.02, tokens: 2750, requests: 3, unpriced: 0 } })
  })
})

describe('Codex: timestamps', () => {
  it('epoch-millisecond timestamps count like ISO ones, in the right day and block', async () => {
    const ms = (iso: string) => Date.parse(iso)
    const body =
      context +
      event(ms('2026-08-12T09:10:00.000Z'), 1000, 100) +
      event(ms('2026-08-12T09:20:00.000Z'), 2000, 200)
    const u = await home({ [`${day}/rollout-2026-08-12T09-00-00-aaaa.jsonl`]: body }).run()
    expect(byModel(u)).toEqual({ 'gpt-5.5': { cost: 0.016, tokens: 2200, requests: 2, unpriced: 0 } })
    expect(u.reasons).toEqual({})
    const today = usageMeters(u, Date.parse(NOW), new Calendar('UTC')).find((m) => m.id === 'today')
    expect(today).toMatchObject({ used: 0.016, requests: 2 })
  })

  it('epoch seconds too (told apart by size, as the provider does); a number no date can hold is a reason, not a crash', async () => {
    const s = (iso: string) => Date.parse(iso) / 1000
    const body =
      context +
      event(s('2026-08-12T09:10:00.000Z'), 1000, 100) +
      event(1e300, 1500, 150) +
      event(s('2026-08-12T09:20:00.000Z'), 2000, 200)
    const u = await home({ [`${day}/rollout-2026-08-12T09-00-00-aaaa.jsonl`]: body }).run()
    expect(byModel(u)).toEqual({ 'gpt-5.5': { cost: 0.016, tokens: 2200, requests: 2, unpriced: 0 } })
    expect(u.reasons).toEqual({ 'bad-timestamp': 1 })
  })

  it('an ISO event and the same event as epoch milliseconds in a copy count once', async () => {
    const copy = context + event(Date.parse('2026-08-12T09:10:00.000Z'), 1000, 100)
    const u = await home({
      [`${day}/rollout-2026-08-12T09-00-00-aaaa.jsonl`]: parent,
      [`${day}/rollout-2026-08-12T09-30-00-cccc.jsonl`]: copy,
    }).run()
    expect(byModel(u)['gpt-5.5']).toMatchObject({ requests: 2, cost: 0.016 })
  })
})
