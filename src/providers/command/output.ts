import { z } from 'zod'
import { formatPath } from '../../issue-path.js'
import type { BalanceMeter, SpendMeter, UsageSnapshot, UsageWindow } from '../../model.js'

/**
 * What a command script prints: ONE JSON object in the snapshot's shape (src/model.ts). Strict,
 * unlike provider payloads: the script is the user's own contract, so a misspelt key
 * (`window`, `usedPercentage`) is reported by name instead of silently showing nothing.
 */

const id = z
  .string()
  .regex(/^[a-z0-9:._-]{1,64}$/, 'use 1–64 of a-z 0-9 : . _ - (e.g. "daily" or "model:gpt-5")')
const label = z.string().trim().min(1).max(60)
const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO currency code such as "USD"')
const amount = z.number().finite()
const isoDate = z.iso
  .datetime({ offset: true, error: 'an ISO 8601 time such as "2026-11-22T12:00:00Z"' })
  .transform((s) => new Date(s).toISOString())

const windowSchema = z.strictObject({
  id,
  label,
  usedPercent: amount.min(0),
  resetsAt: isoDate.nullish(),
  windowSeconds: z.number().int().positive().nullish(),
})

const spendSchema = z.strictObject({
  id,
  label,
  used: amount.min(0),
  limit: amount.positive().nullish(),
  currency,
  period: z.enum(['day', 'week', 'month', 'block', 'total']),
  tokens: z.number().int().min(0).nullish(),
  requests: z.number().int().min(0).nullish(),
  estimated: z.boolean().nullish(),
})

const balanceSchema = z.strictObject({ id, label, amount, currency })

/** Ids are how renderers and `--window` find a meter: two with one id would shadow each other. */
function uniqueIds(list: { id: string }[], ctx: z.RefinementCtx) {
  const seen = new Set<string>()
  list.forEach((item, i) => {
    if (seen.has(item.id))
      ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id "${item.id}"` })
    seen.add(item.id)
  })
}

export const outputSchema = z.strictObject({
  plan: z.string().max(60).nullish(),
  email: z.string().max(120).nullish(),
  windows: z.array(windowSchema).superRefine(uniqueIds).nullish(),
  spend: z.array(spendSchema).superRefine(uniqueIds).nullish(),
  balances: z.array(balanceSchema).superRefine(uniqueIds).nullish(),
})

export type ParsedOutput = { ok: true; snapshot: UsageSnapshot } | { ok: false; message: string }

/** Parses the script's stdout into a snapshot, or says which field is wrong. */
export function parseOutput(stdout: string, fetchedAt: string): ParsedOutput {
  const text = stdout.trim()
  if (!text) return { ok: false, message: 'printed nothing (expected one JSON object)' }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { ok: false, message: 'did not print valid JSON (exactly one object, nothing else on stdout)' }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { ok: false, message: 'printed JSON that is not an object' }
  const parsed = outputSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue ? formatPath(issue.path) : '(top level)'
    const what =
      issue?.code === 'unrecognized_keys'
        ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`
        : (issue?.message ?? 'unexpected shape')
    return { ok: false, message: `printed an invalid object (${where}: ${what})` }
  }
  const o = parsed.data
  const windows: UsageWindow[] = (o.windows ?? []).map((w) => ({
    id: w.id,
    label: w.label,
    usedPercent: w.usedPercent,
    resetsAt: w.resetsAt ?? null,
    windowSeconds: w.windowSeconds ?? null,
  }))
  const spend: SpendMeter[] = (o.spend ?? []).map((s) => ({
    id: s.id,
    label: s.label,
    used: s.used,
    limit: s.limit ?? null,
    currency: s.currency,
    period: s.period,
    ...(s.tokens != null ? { tokens: s.tokens } : {}),
    ...(s.requests != null ? { requests: s.requests } : {}),
    ...(s.estimated != null ? { estimated: s.estimated } : {}),
  }))
  const balances: BalanceMeter[] = (o.balances ?? []).map((b) => ({ ...b }))
  return {
    ok: true,
    snapshot: { fetchedAt, plan: o.plan ?? null, email: o.email ?? null, windows, spend, balances },
  }
}
