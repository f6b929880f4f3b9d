import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { isRec, nullish, num } from '../hand-check.js'
import bundled from './pricing.json' with { type: 'json' }

/**
 * Prices in LiteLLM's format (USD per token; spec §5.3), bundled as a dated subset and optionally
 * overridden by `quotabar pricing --from FILE` (a copy in the state dir). Offline: nothing here
 * ever downloads a table.
 */

/** The LiteLLM fields ccusage reads; anything else in an entry is ignored. */
export interface PriceEntry {
  input_cost_per_token: number
  output_cost_per_token: number
  cache_creation_input_token_cost?: number | null
  cache_read_input_token_cost?: number | null
  input_cost_per_token_above_200k_tokens?: number | null
  output_cost_per_token_above_200k_tokens?: number | null
  cache_creation_input_token_cost_above_200k_tokens?: number | null
  cache_read_input_token_cost_above_200k_tokens?: number | null
  /** A malformed one is read as null (no multiplier), never a reason to drop the prices. */
  provider_specific_entry?: { fast?: number | null } | null
}

const OPTIONAL_RATES = [
  'cache_creation_input_token_cost',
  'cache_read_input_token_cost',
  'input_cost_per_token_above_200k_tokens',
  'output_cost_per_token_above_200k_tokens',
  'cache_creation_input_token_cost_above_200k_tokens',
  'cache_read_input_token_cost_above_200k_tokens',
] as const

const isRate = (v: unknown): v is number => num(v) && v >= 0
const isNumberOr = (v: unknown, ok: (n: number) => boolean) => nullish(v, (n) => num(n) && ok(n))

/**
 * One entry's prices, or null when it has none (no per-token input and output price) or a price
 * field is not a non-negative number. Checked by hand rather than with zod: a refresh loads this
 * file for every log-backed account, and zod's start-up would cost each one more than the scan.
 */
export function priceEntry(value: unknown): PriceEntry | null {
  if (!isRec(value) || !isRate(value.input_cost_per_token) || !isRate(value.output_cost_per_token))
    return null
  const entry: PriceEntry = {
    input_cost_per_token: value.input_cost_per_token,
    output_cost_per_token: value.output_cost_per_token,
  }
  for (const key of OPTIONAL_RATES) {
    if (!(key in value)) continue
    const v = value[key]
    if (!isNumberOr(v, (n) => n >= 0)) return null
    entry[key] = v as number | null | undefined
  }
  if ('provider_specific_entry' in value) {
    const p = value.provider_specific_entry
    entry.provider_specific_entry =
      p === undefined
        ? undefined
        : isRec(p) && isNumberOr(p.fast, (n) => n > 0)
          ? 'fast' in p
            ? { fast: p.fast as number | null | undefined }
            : {}
          : null
  }
  return entry
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

export interface ParsedTable {
  date: string | null
  entries: Record<string, PriceEntry>
  /** Keys that are not model prices (LiteLLM's `sample_spec`, image-only models, ...). */
  ignored: number
}

/** A LiteLLM-format object: every key whose value has per-token input and output prices. */
export function parsePriceTable(json: unknown): ParsedTable | { error: string } {
  if (!isRec(json)) return { error: 'expected a JSON object of model name → prices (LiteLLM format)' }
  const entries: Record<string, PriceEntry> = {}
  let ignored = 0
  for (const [name, value] of Object.entries(json)) {
    if (name.startsWith('_')) continue
    const e = priceEntry(value)
    if (e) entries[name] = e
    else ignored++
  }
  if (Object.keys(entries).length === 0) {
    return {
      error:
        'no model prices found: each entry needs input_cost_per_token and output_cost_per_token (USD per token)',
    }
  }
  const date = json._date
  return { date: typeof date === 'string' && DATE.test(date) ? date : null, entries, ignored }
}

/** Per-token USD prices of one model; `*Above` apply to the part of a field beyond 200k tokens. */
export interface Price {
  input: number
  output: number
  cacheWrite: number
  cacheRead: number
  inputAbove: number | null
  outputAbove: number | null
  cacheWriteAbove: number | null
  cacheReadAbove: number | null
  /** Claude Code's `speed: "fast"` multiplier. */
  fast: number
}

// ccusage's fast-multiplier-overrides.json: these win over the table's provider_specific_entry.fast.
const FAST_OVERRIDES: [RegExp, number][] = [
  [/opus-4-[67]\b/, 6],
  [/opus-4-8\b/, 2],
  [/^gpt-5\.5\b/, 2.5],
  [/^gpt-5\.4$/, 2],
  [/^gpt-5\.3-codex$/, 2],
]

function toPrice(name: string, e: PriceEntry): Price {
  const fast = FAST_OVERRIDES.find(([re]) => re.test(name))?.[1] ?? e.provider_specific_entry?.fast ?? 1
  return {
    input: e.input_cost_per_token,
    output: e.output_cost_per_token,
    // Missing cache prices fall back to the input price (ccusage does the same for Codex).
    cacheWrite: e.cache_creation_input_token_cost ?? e.input_cost_per_token,
    cacheRead: e.cache_read_input_token_cost ?? e.input_cost_per_token,
    inputAbove: e.input_cost_per_token_above_200k_tokens ?? null,
    outputAbove: e.output_cost_per_token_above_200k_tokens ?? null,
    cacheWriteAbove: e.cache_creation_input_token_cost_above_200k_tokens ?? null,
    cacheReadAbove: e.cache_read_input_token_cost_above_200k_tokens ?? null,
    fast,
  }
}

export interface PricingTable {
  /** The bundled table's date, or the override's. */
  date: string
  bundledDate: string
  /** Absolute path of the override in use, or null. */
  override: string | null
  /** Changes whenever any price may have changed: cached costs are recomputed then. */
  id: string
  /** Lower-case names and their undated aliases. */
  models: Map<string, Price>
  /** The table's model names as written, bundled ones first. */
  names: string[]
  find(model: string): Price | null
}

export const overridePath = (stateDir: string) => join(stateDir, 'pricing.json')

// A dated model id (`claude-sonnet-4-20250514`) also answers to its undated name, and a Vertex
// style `@20250514` to either.
const undated = (name: string) => name.replace(/[-@]\d{8}$/, '')

function buildTable(entries: Record<string, PriceEntry>): Map<string, Price> {
  const models = new Map<string, Price>()
  for (const [name, e] of Object.entries(entries)) models.set(name.toLowerCase(), toPrice(name, e))
  for (const [name, p] of [...models]) if (!models.has(undated(name))) models.set(undated(name), p)
  return models
}

/** Exact name, then without provider prefixes (`anthropic/`, `openrouter/openai/`), then undated. */
function candidates(model: string): string[] {
  const lower = model.trim().toLowerCase()
  const bare = lower.slice(lower.lastIndexOf('/') + 1)
  return [lower, bare, undated(bare), undated(bare.replace(/\[1m\]$/, ''))]
}

function makeTable(
  entries: Record<string, PriceEntry>,
  meta: Omit<PricingTable, 'models' | 'find' | 'names'>,
): PricingTable {
  const models = buildTable(entries)
  const memo = new Map<string, Price | null>()
  const find = (model: string) => {
    let p = memo.get(model)
    if (p === undefined) {
      p = null
      for (const c of candidates(model)) {
        p = models.get(c) ?? null
        if (p) break
      }
      memo.set(model, p)
    }
    return p
  }
  return { ...meta, models, names: Object.keys(entries), find }
}

/** The bundled table, with the user's override (if valid) layered on top: its prices win. */
/**
 * The bundled table as typed: it is our own file, typed by the compiler (every entry has its
 * prices) and checked with priceEntry by test/logs/pricing.test.ts, so a refresh does not check
 * it again. Override files (pricing --from) are checked entry by entry.
 */
export function bundledPrices(): ParsedTable {
  const { _date, _source, ...entries } = bundled
  const typed: Record<string, PriceEntry> = entries
  return { date: DATE.test(_date) ? _date : null, entries: typed, ignored: 0 }
}

export function loadPricing(stateDir: string | null): PricingTable {
  const base = bundledPrices()
  const bundledDate = base.date ?? 'unknown'
  const file = stateDir ? overridePath(stateDir) : null
  if (file) {
    try {
      const st = statSync(file)
      const parsed = parsePriceTable(JSON.parse(readFileSync(file, 'utf8')))
      if (!('error' in parsed)) {
        return makeTable(
          { ...base.entries, ...parsed.entries },
          {
            date: parsed.date ?? bundledDate,
            bundledDate,
            override: file,
            id: `override:${parsed.date}:${st.size}:${st.mtimeMs}:${bundledDate}`,
          },
        )
      }
    } catch {
      // No override, or one that no longer parses: the bundled table stands.
    }
  }
  return makeTable(base.entries, {
    date: bundledDate,
    bundledDate,
    override: null,
    id: `bundled:${bundledDate}`,
  })
}

/** Tokens of one request; `cache1h` are the 1-hour cache writes, priced at twice the input. */
export interface PricedTokens {
  input: number
  output: number
  cacheRead: number
  cache5m: number
  cache1h: number
  fast?: boolean
}

const TIER = 200_000

/** ccusage's per-field, per-request tiering: the part of a field above 200k tokens costs `above`. */
const tiered = (n: number, base: number, above: number | null) =>
  above !== null && n > TIER ? TIER * base + (n - TIER) * above : n * base

/** USD for one request (ccusage `cost.rs`). Codex passes its cached input as `cacheRead`. */
export function costOf(p: Price, t: PricedTokens): number {
  const cost =
    tiered(t.input, p.input, p.inputAbove) +
    tiered(t.output, p.output, p.outputAbove) +
    tiered(t.cache5m, p.cacheWrite, p.cacheWriteAbove) +
    tiered(t.cache1h, 2 * p.input, p.inputAbove === null ? null : 2 * p.inputAbove) +
    tiered(t.cacheRead, p.cacheRead, p.cacheReadAbove)
  return t.fast ? cost * p.fast : cost
}
