import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseKept } from '../../src/kept.js'
import { checkUsage } from '../../src/providers/claude/usage.js'
import { usageSchema } from '../../src/providers/claude/usage-schema.js'

// The usage reply's hand check (a refresh's start-up without zod) against the schema it stands in
// front of: for every reply, either the check vouches for it with exactly the schema's output, or
// it returns null and the schema decides. It must never pass a reply the schema rejects or would
// leave a part out of (the errors and notes are the schema's alone).

const fixtures = (dir: string) =>
  readdirSync(join(import.meta.dirname, '../fixtures', dir))
    .filter((f) => f.startsWith('usage'))
    .map((f): [string, unknown] => [
      `${dir}/${f}`,
      JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures', dir, f), 'utf8')),
    ])

const money = (n: number) => ({ amount_minor: n, currency: 'EUR', exponent: 2, other: 1 })
/** Every field the schema declares, each with a value it takes. */
const base = {
  five_hour: { utilization: 37, resets_at: '2026-11-22T13:40:00.004200+00:00', used_dollars: null },
  seven_day: { utilization: 61.5, resets_at: '2026-11-26' },
  seven_day_opus: null,
  seven_day_sonnet: { utilization: 12, resets_at: null },
  seven_day_cowork: { utilization: 1 },
  seven_day_routines: { utilization: 2, resets_at: '2026-11-26T08:00:00Z' },
  tangelo: { anything: true },
  extra_usage: {
    is_enabled: true,
    monthly_limit: 5000,
    monthly_credit_limit: null,
    used_credits: 1234.5,
    currency: 'EUR',
    decimal_places: 2,
    daily: null,
  },
  limits: [
    { kind: 'session', group: 'session', percent: 37, resets_at: '2026-11-22T13:40:00Z', scope: null },
    null,
    {
      kind: 'weekly_scoped',
      percent: 83,
      resets_at: '2026-11-26T08:00:00.004500+00:00',
      scope: { model: { id: 'claude-lyric-4', display_name: 'Lyric' }, surface: null },
      is_active: true,
    },
  ],
  spend: { used: money(1234), limit: money(5000), enabled: true, percent: 25 },
}

const values: unknown[] = [
  undefined,
  null,
  0,
  -0,
  -3,
  37.5,
  7,
  2 ** 53,
  '12.50',
  ' 50.00',
  '1e3',
  'x',
  '',
  '2026-11-22T13:40:00.004200+00:00',
  '2026-11-22',
  'soon',
  true,
  [],
  [null],
  {},
  { utilization: 5 },
]

const paths: (string | number)[][] = [
  [],
  ['five_hour'],
  ['five_hour', 'utilization'],
  ['five_hour', 'resets_at'],
  ['seven_day_opus'],
  ['seven_day_opus', 'utilization'],
  ['seven_day_routines', 'resets_at'],
  ['extra_usage'],
  ['extra_usage', 'is_enabled'],
  ['extra_usage', 'monthly_limit'],
  ['extra_usage', 'used_credits'],
  ['extra_usage', 'currency'],
  ['extra_usage', 'decimal_places'],
  ['limits'],
  ['limits', 1],
  ['limits', 0, 'kind'],
  ['limits', 0, 'percent'],
  ['limits', 0, 'resets_at'],
  ['limits', 2, 'scope'],
  ['limits', 2, 'scope', 'model'],
  ['limits', 2, 'scope', 'model', 'display_name'],
  ['spend'],
  ['spend', 'used'],
  ['spend', 'used', 'amount_minor'],
  ['spend', 'used', 'exponent'],
  ['spend', 'limit', 'currency'],
  ['spend', 'enabled'],
]

/** `json` with `value` at `path` (absent for undefined); missing parents become objects. */
function withValue(json: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value
  const copy = structuredClone(json) as Record<string | number, unknown>
  let node = copy
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {}
    node = node[key] as Record<string | number, unknown>
  }
  const last = path.at(-1) as string | number
  if (value === undefined) delete node[last]
  else node[last] = value
  return copy
}

const cases: [string, unknown][] = [
  ['base', base],
  ...fixtures('claude'),
  ...fixtures('claude-web'),
  ...paths.flatMap((path) =>
    values.map((v): [string, unknown] => [
      `${path.join('.') || '(top)'} = ${JSON.stringify(v) ?? 'absent'}`,
      withValue(base, path, v),
    ]),
  ),
]

describe('the Claude usage hand check', () => {
  it.each(cases)('gives the schema’s answer or asks it: %s', (_, json) => {
    const schema = parseKept(usageSchema, json)
    const hand = checkUsage(json)
    if (schema.success && schema.notes.length === 0) {
      if (hand !== null) expect(hand).toStrictEqual(schema.data)
    } else expect(hand).toBeNull()
  })

  it('vouches for the replies the endpoint sends, so a refresh needs no schema for them', () => {
    const good = [base, ...fixtures('claude').map(([, j]) => j)].filter((j) => {
      const r = parseKept(usageSchema, j)
      return r.success && r.notes.length === 0
    })
    expect(good.length).toBeGreaterThanOrEqual(7)
    for (const json of good) expect(checkUsage(json)).not.toBeNull()
    // And many of the one-field changes the schema takes as they are (the rest it asks about).
    const vouched = cases.filter(([, j]) => checkUsage(j) !== null).length
    expect(vouched).toBeGreaterThan(cases.length / 4)
  })

  it('leaves to the schema what it would reject or leave out', () => {
    for (const json of [
      withValue(base, ['five_hour', 'utilization'], 'x'),
      withValue(base, ['limits', 0, 'resets_at'], 'soon'),
      withValue(base, ['spend', 'used', 'exponent'], 1.5),
      withValue(base, ['extra_usage', 'decimal_places'], 7),
      [1, 2],
    ])
      expect(checkUsage(json)).toBeNull()
  })
})
