import { describe, it } from 'vitest'
import { z } from 'zod'
import { plainLine } from '../../src/logs/claude.js'
import { agrees, rows } from '../helpers/agrees.js'

// Claude Code's usage lines are checked by hand (src/logs/claude.ts's plainLine): a refresh that
// reads a few new lines loads no zod. The zod schema the scan used before stays here as the rule.
const count = z.number().int().nonnegative()
const schema = z.object({
  timestamp: z.string(),
  requestId: z.string().nullish(),
  isSidechain: z.boolean().nullish(),
  isApiErrorMessage: z.boolean().nullish(),
  costUSD: z.number().nonnegative().nullish(),
  message: z.object({
    id: z.string().nullish(),
    model: z.string().nullish(),
    usage: z.object({
      input_tokens: count,
      output_tokens: count,
      cache_creation_input_tokens: count.nullish(),
      cache_read_input_tokens: count.nullish(),
      cache_creation: z
        .object({ ephemeral_5m_input_tokens: count.nullish(), ephemeral_1h_input_tokens: count.nullish() })
        .nullish(),
      speed: z.string().nullish(),
    }),
  }),
})

const usage = { input_tokens: 100, output_tokens: 10 }
const line = (
  extra: Record<string, unknown> = {},
  u: Record<string, unknown> = usage,
  m: Record<string, unknown> = {},
) => ({
  type: 'assistant',
  timestamp: '2026-08-12T10:00:00.000Z',
  requestId: 'req_1',
  message: { id: 'msg_1', model: 'claude-haiku-4-5', usage: u, ...m },
  ...extra,
})
const bad = [1.5, -1, 2 ** 53, -(2 ** 53), Number.POSITIVE_INFINITY, '1', true, null, [], {}]
const inputs: unknown[] = [
  line(),
  line({ requestId: null, isSidechain: null, isApiErrorMessage: null, costUSD: null }),
  line({ requestId: undefined, isSidechain: true, isApiErrorMessage: false, costUSD: 0 }),
  line({ costUSD: 0.25 }),
  line({}, { ...usage, input_tokens: -0, output_tokens: 2 ** 53 - 1 }),
  line({}, { ...usage, cache_read_input_tokens: 5, cache_creation_input_tokens: null, speed: 'fast' }),
  line({}, { ...usage, cache_creation: null }),
  line({}, { ...usage, cache_creation: {} }),
  line({}, { ...usage, cache_creation: { ephemeral_5m_input_tokens: 3, ephemeral_1h_input_tokens: null } }),
  line({}, usage, { id: null, model: null }),
  line({}, usage, { id: undefined, content: [{ type: 'text', text: 'x' }] }),
  // each field of the wrong kind, one at a time
  ...bad.flatMap((v) => [
    line({}, { ...usage, input_tokens: v }),
    line({}, { ...usage, output_tokens: v }),
    line({}, { ...usage, cache_read_input_tokens: v }),
    line({}, { ...usage, cache_creation_input_tokens: v }),
    line({}, { ...usage, cache_creation: { ephemeral_5m_input_tokens: v } }),
    line({}, { ...usage, cache_creation: { ephemeral_1h_input_tokens: v } }),
    line({}, { ...usage, cache_creation: v }),
    line({}, { ...usage, speed: v }),
    line({ costUSD: v }),
    line({ requestId: v }),
    line({ isSidechain: v }),
    line({ isApiErrorMessage: v }),
    line({ timestamp: v }),
    line({}, usage, { id: v }),
    line({}, usage, { model: v }),
    line({ message: v }),
    line({}, v as Record<string, unknown>),
  ]),
  line({ timestamp: undefined }),
  line({ message: undefined }),
  line({}, { output_tokens: 10 }),
  line({}, { input_tokens: 10 }),
  { timestamp: '2026-08-12T10:00:00.000Z', toolUseResult: { usage: { input_tokens: 1 } } },
  [line()],
  null,
  'text',
  JSON.parse(
    '{"timestamp":"2026-08-12T10:00:00.000Z","message":{"usage":{"input_tokens":1e999,"output_tokens":1}}}',
  ),
  JSON.parse('{"timestamp":"t","costUSD":1e999,"message":{"usage":{"input_tokens":1,"output_tokens":1}}}'),
  JSON.parse('{"__proto__":{"timestamp":"t"},"message":{"usage":{"input_tokens":1,"output_tokens":1}}}'),
]

type Line = z.output<typeof schema>
/** What the scan reads of a line (the schema drops the other keys; the hand check keeps them). */
const read = (l: Line) => {
  const u = l.message.usage
  const cc = u.cache_creation
  return {
    timestamp: l.timestamp,
    requestId: l.requestId,
    isSidechain: l.isSidechain,
    isApiErrorMessage: l.isApiErrorMessage,
    costUSD: l.costUSD,
    id: l.message.id,
    model: l.message.model,
    usage: [
      u.input_tokens,
      u.output_tokens,
      u.cache_creation_input_tokens,
      u.cache_read_input_tokens,
      u.speed,
    ],
    cache: cc ? [cc.ephemeral_5m_input_tokens, cc.ephemeral_1h_input_tokens] : cc,
  }
}

describe('a Claude Code usage line, checked by hand', () => {
  it.each(rows(inputs))('agrees with the zod schema on %s', (_, json) => {
    agrees(
      schema,
      read,
      (j) => {
        const l = plainLine(j)
        return l && read(l as Line)
      },
      json,
    )
  })
})
