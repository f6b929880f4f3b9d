import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import bundledJson from '../../src/logs/pricing.json' with { type: 'json' }
import { z } from 'zod'
import {
  bundledPrices,
  costOf,
  loadPricing,
  overridePath,
  parsePriceTable,
  priceEntry,
} from '../../src/logs/pricing.js'

const bundled = loadPricing(null)
const zero = { input: 0, output: 0, cacheRead: 0, cache5m: 0, cache1h: 0 }

let dir: string | undefined
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('pricing table', () => {
  it('the bundled table, read as typed, is what the schema makes of it (a refresh skips the parse)', () => {
    const parsed = parsePriceTable(bundledJson)
    if ('error' in parsed) throw new Error(parsed.error)
    const typed = bundledPrices()
    expect(parsed.ignored).toBe(0)
    expect(typed.date).toBe(parsed.date)
    expect(Object.keys(typed.entries)).toEqual(Object.keys(parsed.entries))
    for (const [name, entry] of Object.entries(parsed.entries))
      expect(typed.entries[name], name).toMatchObject(entry)
  })

  it('is dated and finds models by exact, prefixed, dated and undated names', () => {
    expect(bundled.date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(bundled.override).toBeNull()
    const opus = bundled.find('claude-opus-4-8')
    expect(opus?.input).toBe(5e-6)
    expect(bundled.find('anthropic/claude-opus-4-8')).toBe(opus)
    expect(bundled.find('openrouter/openai/gpt-5.5')?.output).toBe(3e-5)
    // Table keys are dated; OpenCode and others use the undated name (or a Vertex `@date`).
    expect(bundled.find('claude-haiku-4-5')).toBe(bundled.find('claude-haiku-4-5-20251001'))
    expect(bundled.find('claude-sonnet-4@20250514')).toBe(bundled.find('claude-sonnet-4-20250514'))
    expect(bundled.find('claude-mystery-9')).toBeNull()
    expect(bundled.find('<synthetic>')).toBeNull()
  })

  it.each([
    // [model, tokens, USD]
    ['claude-opus-4-8', { ...zero, input: 3, cache1h: 2849, cacheRead: 9493, output: 527 }, 0.0464265],
    [
      'claude-sonnet-4-6',
      { ...zero, input: 1, cache5m: 614, cacheRead: 12342, output: 212, fast: true },
      0.0091881,
    ],
    ['claude-haiku-4-5-20251001', { ...zero, input: 2210, cacheRead: 18000, output: 140 }, 0.00471],
    [
      'claude-sonnet-4-20250514',
      { ...zero, input: 4, cache5m: 1200, cacheRead: 15800, output: 350 },
      0.014502,
    ],
    // Codex: uncached input, cached as cache reads, output (spec: turn 1 = $0.099978)
    ['gpt-5.5', { ...zero, input: 14114, cacheRead: 4096, output: 912 }, 0.099978],
    // Tiering per field above 200k: 200000·3e-6 + 50000·6e-6, output untouched
    ['claude-sonnet-4-5-20250929', { ...zero, input: 250000, output: 1000 }, 0.915],
    // Fast mode: opus-4-8 ×2, opus-4-6 ×6 (ccusage overrides)
    ['claude-opus-4-8', { ...zero, output: 1000, fast: true }, 0.05],
    ['claude-opus-4-6', { ...zero, output: 1000, fast: true }, 0.15],
    ['gpt-5.3-codex-spark', { ...zero, input: 5000, output: 5000 }, 0],
  ])('%s %o costs %f', (model, tokens, usd) => {
    const p = bundled.find(model)
    expect(p).not.toBeNull()
    expect(costOf(p as NonNullable<typeof p>, tokens)).toBeCloseTo(usd, 12)
  })

  it('parses LiteLLM files, skipping entries that are not per-token prices', () => {
    const parsed = parsePriceTable({
      sample_spec: { input_cost_per_token: 'see docs', max_tokens: 'LEGACY' },
      'dall-e-3': { output_cost_per_image: 0.04 },
      'my-model': {
        input_cost_per_token: 1e-6,
        output_cost_per_token: 2e-6,
        provider_specific_entry: { fast: 3 },
      },
    })
    expect(parsed).toMatchObject({ date: null, ignored: 2 })
    expect(Object.keys('entries' in parsed ? parsed.entries : {})).toEqual(['my-model'])
    expect(parsePriceTable([1, 2])).toEqual({ error: expect.stringContaining('JSON object') })
    expect(parsePriceTable({ a: { input_cost_per_token: -1, output_cost_per_token: 1 } })).toEqual({
      error: expect.stringContaining('no model prices'),
    })
  })

  // The zod schema priceEntry replaced (it is checked by hand for the refresh's start-up): both
  // must accept and reject the same entries and keep the same fields.
  const rate = z.number().nonnegative().finite()
  const formerSchema = z.object({
    input_cost_per_token: rate,
    output_cost_per_token: rate,
    cache_creation_input_token_cost: rate.nullish(),
    cache_read_input_token_cost: rate.nullish(),
    input_cost_per_token_above_200k_tokens: rate.nullish(),
    output_cost_per_token_above_200k_tokens: rate.nullish(),
    cache_creation_input_token_cost_above_200k_tokens: rate.nullish(),
    cache_read_input_token_cost_above_200k_tokens: rate.nullish(),
    provider_specific_entry: z.object({ fast: z.number().positive().nullish() }).nullish().catch(null),
  })
  const rates = [1e-6, 0, -0, -1e-9, Number.NaN, Number.POSITIVE_INFINITY, '1e-6', null, true, [], {}]
  const optional = ['cache_read_input_token_cost', 'output_cost_per_token_above_200k_tokens']
  const entries: unknown[] = [null, 'x', 3, [1e-6, 2e-6], {}]
  for (const input of rates)
    for (const output of [2e-6, ...rates])
      entries.push({ input_cost_per_token: input, output_cost_per_token: output })
  for (const key of optional)
    for (const v of [undefined, ...rates])
      entries.push({ input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, [key]: v, other: 'kept out' })
  for (const fast of [undefined, null, 2, 0, -1, Number.NaN, Number.POSITIVE_INFINITY, '2'])
    for (const p of [{ fast }, { fast, more: 1 }, {}, null, undefined, 'fast', [fast]])
      entries.push({ input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, provider_specific_entry: p })

  it.each(entries.map((e) => [JSON.stringify(e) ?? String(e), e]))(
    'an entry is checked as the former zod schema did: %s',
    (_, e) => {
      const former = formerSchema.safeParse(e)
      expect(priceEntry(e)).toStrictEqual(former.success ? former.data : null)
    },
  )

  it('an override in the state dir wins, the bundled table fills the gaps, a broken one is ignored', () => {
    dir = mkdtempSync(join(tmpdir(), 'quotabar-pricing-'))
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      overridePath(dir),
      JSON.stringify({
        _date: '2026-09-01',
        'claude-opus-4-8': { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 },
        'new-model': {
          input_cost_per_token: 3e-6,
          output_cost_per_token: 4e-6,
          provider_specific_entry: { fast: 3 },
        },
      }),
    )
    const p = loadPricing(dir)
    expect(p).toMatchObject({ date: '2026-09-01', bundledDate: bundled.date, override: overridePath(dir) })
    expect(p.id).not.toBe(bundled.id)
    expect(p.find('claude-opus-4-8')).toMatchObject({ input: 1e-6, cacheRead: 1e-6, fast: 2 })
    expect(p.find('new-model')).toMatchObject({ output: 4e-6, fast: 3 })
    expect(p.find('gpt-5.5')).toEqual(bundled.find('gpt-5.5'))
    writeFileSync(overridePath(dir), '{ not json')
    expect(loadPricing(dir)).toMatchObject({ override: null, date: bundled.date, id: bundled.id })
  })
})
