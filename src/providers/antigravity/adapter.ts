import { z } from 'zod'
import { type HttpError, postJson, withOrigin } from '../../http.js'
import type { UsageSnapshot, UsageWindow } from '../../model.js'
import { quotaWindow, slugOf, uniqueIds } from '../quota-window.js'
import { type Advice, settle } from '../result.js'
import { isoTime, numberish } from '../schema-parts.js'
import type { Account, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import { antigravityIdentity, inspectAntigravityLogin, RELOGIN, readAntigravityLogin } from './login.js'

/**
 * Google Antigravity: `POST https://cloudcode-pa.googleapis.com/v1internal:retrieveUserQuotaSummary`
 * with the Antigravity login's access token. Quota groups ("Gemini Models", "Claude and GPT models"),
 * each with a weekly and (paid tiers) a 5-hour bucket; `remainingFraction` is what is left.
 */
export const ANTIGRAVITY_QUOTA_URL = 'https://cloudcode-pa.googleapis.com/v1internal:retrieveUserQuotaSummary'

export const quotaSummarySchema = z.object({
  groups: z
    .array(
      z.object({
        displayName: z.string().nullish(),
        buckets: z
          .array(
            z.object({
              bucketId: z.string().nullish(),
              remainingFraction: numberish,
              resetTime: isoTime,
              window: z.string().nullish(),
            }),
          )
          .nullish(),
      }),
    )
    .nullish(),
})

type Summary = z.output<typeof quotaSummarySchema>

const KINDS: Record<string, 'session' | 'weekly'> = { '5h': 'session', weekly: 'weekly' }

/** `gemini-weekly` → `gemini`, `3p-5h` → `3p`: the group's stable part of the bucket id. */
const groupSlug = (bucketId: string | null | undefined, name: string) =>
  bucketId?.replace(/-(weekly|5h)$/i, '') || slugOf(name)

export function mapQuotaSummary(s: Summary, fetchedAt: string): UsageSnapshot {
  const windows: UsageWindow[] = []
  let fiveHour = false
  for (const g of s.groups ?? []) {
    const name = (g.displayName ?? 'Models').replace(/\s+models$/i, '') || 'Models'
    for (const b of g.buckets ?? []) {
      const kind = KINDS[b.window ?? '']
      if (!kind || typeof b.remainingFraction !== 'number') continue
      if (kind === 'session') fiveHour = true
      const used = 100 * (1 - b.remainingFraction)
      windows.push(quotaWindow(kind, used, b.resetTime ?? null, { slug: groupSlug(b.bucketId, name), name }))
    }
  }
  // Free accounts have weekly buckets only (the description says so too).
  const plan = windows.length === 0 ? null : fiveHour ? null : 'Free'
  return { fetchedAt, plan, email: null, windows: uniqueIds(windows), spend: [] }
}

/** Its login's own cases; the rest in the shared wording. */
function antigravityFix(err: HttpError): Advice | undefined {
  if (err.kind === 'auth') return RELOGIN
  if (err.kind === 'forbidden')
    return 'this Google account has no Antigravity quota (or the login lacks its scope); open Antigravity to check'
  return undefined
}

const WORDS = { name: 'Google', api: 'the Antigravity quota API', host: 'cloudcode-pa.googleapis.com' }

export const antigravityAdapter = {
  id: 'antigravity',
  inspect: inspectAntigravityLogin,
  identity: antigravityIdentity,
  async fetchUsage(account: Account, ctx: FetchContext): Promise<FetchResult> {
    const read = readAntigravityLogin(account, ctx)
    if (!read.ok) return { ok: false, error: read.error, fingerprint: null }
    const { login } = read
    return settle(
      login.fingerprint,
      async () => {
        const { data } = await postJson(
          withOrigin(ANTIGRAVITY_QUOTA_URL, account.baseUrl),
          quotaSummarySchema,
          {
            headers: { authorization: `Bearer ${login.accessToken}`, accept: 'application/json' },
            body: {},
            timeoutMs: ctx.timeoutMs,
            secrets: [login.accessToken],
          },
        )
        return mapQuotaSummary(data, ctx.now().toISOString())
      },
      { words: WORDS, fix: antigravityFix },
    )
  },
  fix: antigravityFix,
} satisfies ProviderAdapter
