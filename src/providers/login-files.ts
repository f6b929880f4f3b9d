import { readFileSync } from 'node:fs'
import type { z } from 'zod'

/** What the adapters share for reading other tools' login files (read-only, never written). */

/** A JSON file's content, or null when it is missing, unreadable or not JSON. */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}

/**
 * The payload of a JWT, base64url-decoded and parsed with `schema`; null when the token is not
 * a JWT or its payload does not fit. The signature is not checked: claims name who is logged in
 * and when the token expires, they are never trusted for access.
 */
export function jwtClaims<S extends z.ZodType>(
  token: string | null | undefined,
  schema: S,
): z.output<S> | null {
  const part = token?.split('.')[1]
  if (!part) return null
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
