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

/**
 * The parse's notes (src/kept.ts) on the snapshot; none leaves the snapshot as it was. When what
 * was left out was all there was (no window, spend or balance remains), the answer is a schema
 * error naming the field, as before: an empty "ok" would hide that nothing could be read.
 */
export function withNotes<T extends UsageSnapshot>(snapshot: T, notes: readonly string[]): T {
  if (notes.length === 0) return snapshot
  const empty = !snapshot.windows.length && !snapshot.spend.length && !snapshot.balances?.length
  if (empty) throw new HttpError('schema', `nothing readable in the answer: ${notes.join('; ')}`)
  return { ...snapshot, notes: [...(snapshot.notes ?? []), ...notes] }
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

/** How a provider names itself in the fixes `commonFix` writes. */
export interface ServiceWords {
  /** `OpenAI`, `GitHub` */
  name: string
  /** What changes shape on drift: `the usage API`, `the billing API` */
  api: string
  /** The default host `baseUrl` replaces: `api.openai.com` */
  host: string
  /** Extra words after "is having trouble" (e.g. Anthropic's 529). */
  trouble?: string
}

export const rateLimitFix = (name: string) =>
  `${name} rate limit: quotabar waits before asking again; a longer refreshSeconds avoids this`

/**
 * The fix for the failures every HTTP provider shares (rate limit, network, a proxy's HTML page,
 * schema drift, plain http, 404, 5xx). Adapters word their own cases (auth, forbidden) and call
 * this for the rest, so the advice reads the same everywhere.
 */
export function commonFix(err: HttpError, s: ServiceWords): string | null {
  switch (err.kind) {
    case 'rate-limited':
      return rateLimitFix(s.name)
    case 'network':
    case 'timeout':
      return 'check the network connection; the last numbers stay visible'
    case 'schema':
      return /HTML/.test(err.message)
        ? `a proxy or captive portal answered instead of ${s.name}; check the network or baseUrl`
        : `${s.name} changed ${s.api}; a quotabar update may be needed`
    case 'config':
      return 'use an https baseUrl (plain http only reaches a loopback address)'
    default:
      if (err.status === 404) return `check baseUrl: it replaces only the origin of ${s.host}`
      return err.status !== null && err.status >= 500
        ? `${s.name} is having trouble${s.trouble ?? ''}; quotabar retries later and keeps the last numbers`
        : null
  }
}
