/**
 * Hand checks of parsed JSON, a few typeof tests per field, for the paths that must not load zod
 * (the cached render, Claude Code's status-line hook): the same rules as the zod schema they
 * replace would apply, read field by field. `nullish` is zod's `.nullish()`, `optional` its
 * `.optional()`, `orNull` its `.nullish().catch(null)`.
 */

export type Rec = Record<string, unknown>
export const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v)
export const str = (v: unknown): v is string => typeof v === 'string'
export const bool = (v: unknown): v is boolean => typeof v === 'boolean'
/** zod's `z.string().min(1)`. */
export const nonEmpty = (v: unknown): v is string => str(v) && v.length > 0
/** A safe non-negative integer: a token count, a length. */
export const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
/** zod's `z.number()`: finite. */
export const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
export const strOrNull = (v: unknown) => v === null || str(v)
export const numOrNull = (v: unknown) => v === null || num(v)
export const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v)

export function nullish<T>(v: unknown, check: (v: unknown) => v is T): v is T | null | undefined
export function nullish(v: unknown, check: (v: unknown) => boolean): boolean
export function nullish(v: unknown, check: (v: unknown) => boolean): boolean {
  return v === undefined || v === null || check(v)
}

/** The value when `check` takes it (absent and null as they are), else null: zod's `.nullish().catch(null)`. */
export function orNull<T>(v: unknown, check: (v: unknown) => v is T): T | null | undefined {
  if (v === undefined || v === null) return v
  return check(v) ? v : null
}

/** Every element a number, in a plain loop: a fresh process checks thousands of these per refresh. */
export function numbers(v: unknown): v is number[] {
  if (!Array.isArray(v)) return false
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'number') return false
  return true
}

export function listOf<T>(v: unknown, item: (v: unknown) => v is T): v is T[]
export function listOf(v: unknown, item: (v: unknown) => boolean): boolean
export function listOf(v: unknown, item: (v: unknown) => boolean): boolean {
  return Array.isArray(v) && v.every((x) => item(x))
}
