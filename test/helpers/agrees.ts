import { expect } from 'vitest'
import type { z } from 'zod'

/**
 * A hand check (no zod on the hook's path) against the zod schema it replaced, kept in the test as
 * the rule: it keeps what the schema keeps (absent and undefined read alike), and rejects the rest.
 */
export function agrees<T>(
  schema: z.ZodType<T>,
  pick: (data: T) => unknown,
  hand: (json: unknown) => unknown,
  json: unknown,
): void {
  const parsed = schema.safeParse(json)
  const want = parsed.success ? (pick(parsed.data) ?? null) : null
  const got = hand(json)
  expect(got === null).toBe(want === null)
  if (want !== null) expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(want)))
}

/** `[JSON text, value]` rows for it.each: the test name shows the input. */
export const rows = (values: unknown[]) => values.map((v) => [JSON.stringify(v), v] as [string, unknown])
