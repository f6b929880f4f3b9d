import { z } from 'zod'
import { formatPath } from './issue-path.js'

/**
 * Keep what parses: one malformed window (`used_percent: "bad"`) drops that window, with a note
 * for the account's detail, and the account's other windows still show. A schema marks the parts
 * that may go alone with `kept()`; `parseKept` parses, and when every issue lies inside such a
 * part, nulls those parts and parses again. Any other issue is a schema error as before, so drift
 * outside a window still names its field instead of silently showing less.
 */

const DROP = 'quotabar.kept'

interface DropParams {
  [DROP]: string
  /** Where inside the part the first problem was. */
  at: PropertyKey[]
}

type Issue = z.core.$ZodIssue

function dropOf(issue: Issue): DropParams | null {
  const params = issue.code === 'custom' ? (issue.params as Partial<DropParams> | undefined) : undefined
  return typeof params?.[DROP] === 'string' ? (params as DropParams) : null
}

/**
 * A part of a payload that may be dropped alone (`what` names it in the note: "window", "meter").
 * Null or absent stays "not reported"; a part that fails becomes null on the second parse.
 */
export function kept<S extends z.ZodType>(schema: S, what: string) {
  return z
    .unknown()
    .transform((value, ctx): z.output<S> | null => {
      if (value === null || value === undefined) return null
      const r = schema.safeParse(value)
      if (r.success) return r.data
      const issues = r.error.issues
      // A kept part inside this one: drop only the innermost.
      if (issues.every((i) => dropOf(i) !== null)) {
        for (const i of issues) ctx.addIssue({ ...i, code: 'custom', input: value })
        return z.NEVER
      }
      const first = issues.find((i) => dropOf(i) === null) ?? issues[0]
      const params: DropParams = { [DROP]: what, at: first?.path ?? [] }
      ctx.addIssue({ code: 'custom', message: first?.message ?? 'invalid', params, input: value })
      return z.NEVER
    })
    .optional()
}

/** An array whose elements may be dropped alone; the output holds only the ones that parsed. */
export function keptArray<S extends z.ZodType>(item: S, what: string) {
  return z.array(kept(item, what)).transform((list) => list.flatMap((x) => (x == null ? [] : [x])))
}

export type KeptResult<T> =
  | { success: true; data: T; notes: string[] }
  | { success: false; issue: Issue | null }

function setNull(root: unknown, path: readonly PropertyKey[]): void {
  let node = root
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return
    node = (node as Record<PropertyKey, unknown>)[key]
  }
  const last = path.at(-1)
  if (last !== undefined && typeof node === 'object' && node !== null) {
    ;(node as Record<PropertyKey, unknown>)[last] = null
  }
}

/** `safeParse` that drops the failing kept parts, with one note for each. */
export function parseKept<S extends z.ZodType>(schema: S, json: unknown): KeptResult<z.output<S>> {
  const first = schema.safeParse(json)
  if (first.success) return { success: true, data: first.data, notes: [] }
  const issues = first.error.issues
  const other = issues.find((i) => dropOf(i) === null)
  if (other || issues.length === 0) return { success: false, issue: other ?? null }
  const copy = structuredClone(json)
  const notes: string[] = []
  for (const issue of issues) {
    const drop = dropOf(issue) as DropParams
    setNull(copy, issue.path)
    const inner = formatPath([...issue.path, ...drop.at])
    notes.push(`${drop[DROP]} left out (${inner}: ${issue.message})`)
  }
  const second = schema.safeParse(copy)
  if (!second.success) return { success: false, issue: second.error.issues[0] ?? null }
  return { success: true, data: second.data, notes }
}
