import { z } from 'zod'
import { getJson, HttpError, withOrigin } from '../../http.js'
import type { BalanceMeter, SpendMeter, UsageSnapshot } from '../../model.js'
import { resolveKey } from '../balance.js'
import { mapUsage } from '../claude/usage.js'
import { usageSchema } from '../claude/usage-schema.js'
import { type Advice, type Refused, settle, failedLogin } from '../result.js'
import { numberish } from '../schema-parts.js'
import type { Account, FailedLogin, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import { CLAUDE_WEB_KEY_ENV } from './descriptor.js'
import { UUID, type ClaudeWebAccount } from './fields.js'
import { keepRotatedKey, rotatedKey, sessionKeyFrom } from './session-store.js'
import { monthSpend } from '../spend.js'

/**
 * Claude through the claude.ai web session (for people without a Claude Code login on this
 * machine): cookie `sessionKey=sk-ant-sid01-…`. The organisation is the account's `org` (a uuid)
 * or the first of `GET /api/organizations` with the `chat` capability. Its `/usage` is the same
 * body as the OAuth route's; `/overage_spend_limit` is the extra-usage cap and `/prepaid/credits`
 * the prepaid balance (both in cents).
 */
export const CLAUDE_WEB_ORIGIN = 'https://claude.ai'

const orgsSchema = z.array(
  z.object({
    uuid: z.string().regex(UUID, 'an organisation uuid'),
    capabilities: z.array(z.string()).nullish(),
  }),
)
const overageSchema = z.object({
  monthly_credit_limit: numberish,
  currency: z.string().nullish(),
  used_credits: numberish,
  is_enabled: z.boolean().nullish(),
})
const prepaidSchema = z.object({ amount: numberish, currency: z.string().nullish() })

class Session {
  constructor(
    readonly account: Account,
    readonly ctx: FetchContext,
    readonly configured: string,
    public key: string,
  ) {}

  async get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    const { data, headers } = await getJson(
      withOrigin(`${CLAUDE_WEB_ORIGIN}${path}`, this.account.baseUrl),
      schema,
      {
        headers: { cookie: `sessionKey=${this.key}`, accept: 'application/json' },
        timeoutMs: this.ctx.timeoutMs,
        secrets: [this.key, this.configured],
      },
    )
    const fresh = sessionKeyFrom(headers['set-cookie'])
    if (fresh && fresh !== this.key) {
      keepRotatedKey(this.ctx.env, this.account.key, this.configured, fresh)
      this.key = fresh
    }
    return data
  }

  /** A detail beside the usage: its failure leaves it out rather than failing the account. */
  async optional<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S> | null> {
    try {
      return await this.get(path, schema)
    } catch (err) {
      if (err instanceof HttpError) return null
      throw err
    }
  }
}

/** The first organisation with `chat`, else the first that is not API-only (CodexBar's rule). */
export function pickOrg(orgs: z.output<typeof orgsSchema>): string | null {
  const chat = orgs.find((o) => o.capabilities?.includes('chat'))
  const notApi = orgs.find((o) => !(o.capabilities ?? []).every((c) => c === 'api'))
  return (chat ?? notApi)?.uuid ?? null
}

function overageMeter(o: z.output<typeof overageSchema> | null): SpendMeter | null {
  if (o?.is_enabled !== true || typeof o.used_credits !== 'number') return null
  return monthSpend('extra', 'Extra usage', o.used_credits / 100, {
    limit: typeof o.monthly_credit_limit === 'number' ? o.monthly_credit_limit / 100 : null,
    currency: (o.currency ?? 'USD').toUpperCase(),
  })
}

function prepaidMeter(p: z.output<typeof prepaidSchema> | null): BalanceMeter | null {
  if (!p || typeof p.amount !== 'number') return null
  return {
    id: 'prepaid',
    label: 'Prepaid credits',
    amount: p.amount / 100,
    currency: (p.currency ?? 'USD').toUpperCase(),
  }
}

async function fetchSnapshot(
  s: Session,
  given: string | undefined,
  now: Date,
): Promise<UsageSnapshot | Refused> {
  const org = given ?? pickOrg(await s.get('/api/organizations', orgsSchema))
  if (!org)
    return {
      error: {
        kind: 'config',
        message: 'this claude.ai session has no organisation with chat',
        fix: 'set "org" to the organisation uuid on the account',
        httpStatus: null,
      },
    }
  const base = `/api/organizations/${org}`
  const usage = mapUsage(await s.get(`${base}/usage`, usageSchema), {
    fetchedAt: now.toISOString(),
    plan: null,
    email: null,
  })
  // The cap endpoint is the authority on extra usage; the usage body's copy is the fallback.
  const extra = overageMeter(await s.optional(`${base}/overage_spend_limit`, overageSchema))
  const prepaid = prepaidMeter(await s.optional(`${base}/prepaid/credits`, prepaidSchema))
  return {
    ...usage,
    spend: extra ? [extra, ...usage.spend.filter((x) => x.id !== 'extra')] : usage.spend,
    balances: prepaid ? [prepaid] : [],
  }
}

const WORDS = { name: 'claude.ai', api: 'its web API', host: 'claude.ai' }

/** A web session: Cloudflare's checks, and a session key that expired; the rest the shared way. */
export function claudeWebFix(err: HttpError, c: FailedLogin): Advice | undefined {
  // Cloudflare answers datacenter IPs, some VPNs and fast pollers with an HTML challenge.
  if (/HTML/.test(err.message))
    return 'Cloudflare answered with a browser check instead of claude.ai: it often does for VPNs and servers; quotabar tries again later, and opening claude.ai in a browser on this network may clear it'
  if (err.kind === 'auth' || err.kind === 'forbidden')
    return {
      fix: `the claude.ai session from ${c.source} expired or was signed out: copy a fresh sessionKey cookie from a logged-in browser`,
      // A 403 with claude.ai's JSON permission error is the session, not a missing right.
      kind: 'auth',
    }
  return undefined
}

export const claudeWebAdapter = {
  id: 'claude-web',
  async fetchUsage(account: ClaudeWebAccount, ctx: FetchContext): Promise<FetchResult> {
    const resolved = await resolveKey(account, ctx, CLAUDE_WEB_KEY_ENV)
    if (!resolved.ok) return { ok: false, error: resolved.error, fingerprint: null }
    const { key } = resolved
    const session = new Session(
      account,
      ctx,
      key.secret,
      rotatedKey(ctx.env, account.key, key.secret) ?? key.secret,
    )
    const failed = failedLogin(account, ctx, { source: key.source })
    return settle(key.fingerprint, () => fetchSnapshot(session, account.org, ctx.now()), {
      words: WORDS,
      fix: (err) => claudeWebFix(err, failed),
    })
  },
  fix: claudeWebFix,
} satisfies ProviderAdapter<ClaudeWebAccount>
