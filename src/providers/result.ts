import type { z } from 'zod'
import { formatPath } from '../config/load.js'
import { HttpError } from '../http.js'
import type { ErrorInfo, UsageSnapshot } from '../model.js'
import type { Account, FetchResult } from './types.js'

/** What every adapter does around its fetch: typed account fields in, FetchResult out. */

/** Provider-specific account fields, parsed with the adapter's schema; a bad one names the field. */
export function readAccountFields<S extends z.ZodType>(
  account: Account,
  schema: S,
  fields: Record<string, unknown>,
): { ok: true; data: z.output<S> } | { ok: false; error: ErrorInfo } {
  const parsed = schema.safeParse(fields)
  if (parsed.success) return { ok: true, data: parsed.data }
  const issue = parsed.error.issues[0]
  const where = issue ? `${formatPath(issue.path)}: ${issue.message}` : 'invalid'
  const error: ErrorInfo = {
    kind: 'config',
    message: `account ${account.key}: ${where}`,
    fix: 'fix this account in config.json',
    httpStatus: null,
  }
  return { ok: false, error }
}

/** Runs the fetch; an HttpError becomes the account's error (with the provider's own fix). */
export async function settle(
  fingerprint: string | null,
  run: () => Promise<UsageSnapshot>,
  describe: (err: HttpError) => ErrorInfo,
): Promise<FetchResult> {
  try {
    return { ok: true, snapshot: await run(), fingerprint }
  } catch (err) {
    if (!(err instanceof HttpError)) throw err
    return { ok: false, error: describe(err), fingerprint, retryAfterSeconds: err.retryAfterSeconds }
  }
}
