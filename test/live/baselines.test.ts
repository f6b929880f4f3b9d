import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { baselinesOf } from '../../src/notify/baselines.js'

/** The zod schema the baselines file had, kept as the rule the hand check follows. */
const fileSchema = z.object({
  v: z.literal(1),
  key: z.string(),
  fingerprint: z.string().nullable(),
  windows: z.record(
    z.string(),
    z.object({
      resetsAt: z.string().nullable(),
      rank: z.number().int().min(0).max(3),
      usedPercent: z.number(),
      paced: z.boolean().optional(),
    }),
  ),
})

const KEY = 'claude/work'
const w = { resetsAt: '2026-11-22T11:00:00.000Z', rank: 1, usedPercent: 72 }
const file = (over: object) => ({ v: 1, key: KEY, fingerprint: 'fp', windows: { session: w }, ...over })

const files: unknown[] = [
  file({}),
  file({ fingerprint: null, windows: {} }),
  file({ windows: { session: { ...w, paced: true, extra: 1 }, weekly: { ...w, resetsAt: null, rank: 3 } } }),
  file({ windows: { session: { ...w, rank: 0, paced: false } } }),
  file({ v: 2 }),
  file({ v: '1' }),
  file({ key: 'claude/other' }),
  file({ key: 7 }),
  file({ fingerprint: 5 }),
  file({ fingerprint: undefined }),
  file({ windows: [] }),
  file({ windows: null }),
  file({ windows: { session: null } }),
  file({ windows: { session: [w] } }),
  file({ windows: { session: { ...w, rank: 4 } } }),
  file({ windows: { session: { ...w, rank: -1 } } }),
  file({ windows: { session: { ...w, rank: 1.5 } } }),
  file({ windows: { session: { ...w, rank: '1' } } }),
  file({ windows: { session: { ...w, usedPercent: '72' } } }),
  file({ windows: { session: { ...w, resetsAt: 1 } } }),
  file({ windows: { session: { ...w, paced: 'yes' } } }),
  file({ windows: { session: { ...w, paced: null } } }),
  file({ windows: { session: w, weekly: { rank: 1 } } }),
  [file({})],
  null,
  'baselines',
]

describe('notification baselines, checked by hand as the zod schema did', () => {
  it.each(files.map((f) => [JSON.stringify(f), f]))('%s', (_, json) => {
    const parsed = fileSchema.safeParse(json)
    const want =
      parsed.success && parsed.data.key === KEY
        ? { fingerprint: parsed.data.fingerprint, windows: parsed.data.windows }
        : null
    // As read back from disk: a key the file lacks and one it holds as undefined read alike.
    expect(baselinesOf(JSON.parse(JSON.stringify(json) ?? 'null'), KEY)).toEqual(
      want && JSON.parse(JSON.stringify(want)),
    )
  })
})
