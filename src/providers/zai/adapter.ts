import { z } from 'zod'
import type { ErrorInfo, UsageWindow } from '../../model.js'
import { type KeyReading, type KeyRequest, keyAdapter } from '../balance.js'
import { quotaWindow, type WindowKind, uniqueIds } from '../quota-window.js'
import { epochTime, numberish } from '../schema-parts.js'
import type { Account, ProviderAdapter } from '../types.js'
import { ZAI_KEY_ENV } from './descriptor.js'
import type { ZaiAccount } from './fields.js'

/**
 * z.ai / GLM Coding Plan: `GET https://api.z.ai/api/monitor/usage/quota/limit` with the plan's
 * API key (China: the same path on `open.bigmodel.cn`). A team key also names its organisation and
 * project (`Bigmodel-Organization`, `Bigmodel-Project` headers and `type=2`); without them the
 * endpoint answers 200 with `data: {}`, which must read as "say which team", not as no usage.
 * Limits: `unit` 3 = hours, 5 = months, 6 = weeks, times `number` (3×5 = the 5-hour window).
 */
export const ZAI_QUOTA_URL = 'https://api.z.ai/api/monitor/usage/quota/limit'
export const ZAI_CN_ORIGIN = 'https://open.bigmodel.cn'

const limitSchema = z.object({
  type: z.string(),
  unit: z.number().int(),
  number: z.number().int().positive().nullish(),
  usage: numberish,
  currentValue: numberish,
  remaining: numberish,
  percentage: numberish,
  nextResetTime: epochTime,
})

export const zaiQuotaSchema = z.object({
  code: z.number().nullish(),
  msg: z.string().nullish(),
  success: z.boolean().nullish(),
  data: z
    .object({
      level: z.string().nullish(),
      planName: z.string().nullish(),
      limits: z.array(limitSchema).nullish(),
    })
    .nullish(),
})

type ZaiQuota = z.output<typeof zaiQuotaSchema>
type ZaiLimit = z.output<typeof limitSchema>

export function zaiRequest(f: ZaiAccount): KeyRequest {
  const base =
    f.region === 'cn' ? new URL(new URL(ZAI_QUOTA_URL).pathname, ZAI_CN_ORIGIN).toString() : ZAI_QUOTA_URL
  if (!f.organization || !f.project) return { url: base }
  return {
    url: `${base}?type=2`,
    headers: { 'bigmodel-organization': f.organization, 'bigmodel-project': f.project },
  }
}

/** `unit`/`number` → the window; null for a length no bar window matches (kept out, not guessed). */
function kindOf(l: ZaiLimit): WindowKind | null {
  const n = l.number ?? 1
  if (l.unit === 3 && n === 5) return 'session'
  if (l.unit === 6 && n === 1) return 'weekly'
  if (l.unit === 5 && n === 1) return 'monthly'
  return null
}

function percentOf(l: ZaiLimit): number | null {
  if (typeof l.percentage === 'number') return l.percentage
  // `usage` is the limit and `currentValue` the amount used (TIME_LIMIT: 100 / 4 / remaining 96).
  if (typeof l.usage === 'number' && l.usage > 0 && typeof l.currentValue === 'number')
    return (l.currentValue / l.usage) * 100
  return null
}

// Token and credit limits are the plan's quota (credits replaced tokens in 2026-09): they take the
// stable ids. TIME_LIMIT counts the plan's tool calls (web search, reader): its own scope.
const SCOPES: Record<string, { slug: string; name: string } | null> = {
  TOKENS_LIMIT: null,
  CREDIT_LIMIT: null,
  TIME_LIMIT: { slug: 'tools', name: 'Tools' },
}

function scopeOf(type: string) {
  if (type in SCOPES) return SCOPES[type] ?? null
  const name = type.replace(/_LIMIT$/, '').toLowerCase()
  return { slug: name.replace(/[^a-z0-9]+/g, '-'), name: name.charAt(0).toUpperCase() + name.slice(1) }
}

function planOf(d: NonNullable<ZaiQuota['data']>): string | null {
  if (d.planName) return d.planName
  if (!d.level) return null
  return `GLM Coding ${d.level.charAt(0).toUpperCase()}${d.level.slice(1)}`
}

export function mapZaiQuota(body: ZaiQuota, account: Account): KeyReading | { error: ErrorInfo } {
  if ((typeof body.code === 'number' && body.code !== 200) || body.success === false) {
    const what = [typeof body.code === 'number' ? `code ${body.code}` : null, body.msg].filter(Boolean)
    return {
      error: {
        kind: 'http',
        message: `z.ai reported an error (${what.join(': ') || 'success false'})`,
        fix: 'check the key, and for a team key its organization and project',
        httpStatus: null,
      },
    }
  }
  const d = body.data
  if (!d?.limits?.length) {
    const team = Boolean(account.organization)
    return {
      error: {
        kind: 'config',
        message: team
          ? 'z.ai reported no limits for this organization and project'
          : 'z.ai reported no limits for this key',
        fix: team
          ? 'check "organization" and "project" against the z.ai team console'
          : 'a team key needs "organization" and "project" (the Bigmodel-Organization and Bigmodel-Project ids) on the account; a personal key needs an active GLM Coding Plan',
        httpStatus: null,
      },
    }
  }
  const windows: UsageWindow[] = []
  for (const l of d.limits) {
    const kind = kindOf(l)
    const used = percentOf(l)
    if (!kind || used === null) continue
    windows.push(quotaWindow(kind, used, l.nextResetTime ?? null, scopeOf(l.type)))
  }
  return { plan: planOf(d), windows: uniqueIds(windows) }
}

export const zaiAdapter = keyAdapter({
  id: 'zai',
  name: 'z.ai',
  url: ZAI_QUOTA_URL,
  keyEnv: ZAI_KEY_ENV,
  schema: zaiQuotaSchema,
  request: zaiRequest,
  read: mapZaiQuota,
}) satisfies ProviderAdapter<ZaiAccount>
