import { z } from 'zod'
import type { BalanceMeter, ErrorInfo } from '../../model.js'
import { type BalanceReading, money, prepaidAdapter } from '../balance.js'
import type { Account, ProviderAdapter } from '../types.js'
import { MOONSHOT_KEY_ENV } from './descriptor.js'

/**
 * `GET https://api.moonshot.ai/v1/users/me/balance` (providers-…-openrouter.md §5). The global
 * platform (`api.moonshot.ai`) bills in USD; the China platform (`api.moonshot.cn`, chosen with
 * `"baseUrl": "https://api.moonshot.cn"`) bills in CNY with its own keys.
 * `available_balance = voucher_balance + cash_balance`, and cash can be negative (overdrawn).
 */
export const MOONSHOT_BALANCE_URL = 'https://api.moonshot.ai/v1/users/me/balance'

const balanceSchema = z.object({
  code: z.number().nullish(),
  scode: z.string().nullish(),
  status: z.boolean().nullish(),
  data: z
    .object({
      available_balance: money,
      voucher_balance: money.nullish(),
      cash_balance: money.nullish(),
    })
    .nullish(),
})

export type MoonshotBalance = z.output<typeof balanceSchema>

export function moonshotCurrency(baseUrl: string | undefined): 'USD' | 'CNY' {
  if (!baseUrl) return 'USD'
  const host = new URL(baseUrl).hostname.toLowerCase()
  return host === 'moonshot.cn' || host.endsWith('.moonshot.cn') ? 'CNY' : 'USD'
}

// A 200 can still carry a failure in the envelope (`code` ≠ 0 or `status: false`).
function envelopeError(body: MoonshotBalance): ErrorInfo | null {
  if ((typeof body.code !== 'number' || body.code === 0) && body.status !== false) return null
  const what = [typeof body.code === 'number' ? `code ${body.code}` : null, body.scode].filter(Boolean)
  return {
    kind: 'http',
    message: `Moonshot reported an error (${what.join(', ') || 'status false'})`,
    fix: 'check the key and the platform (api.moonshot.ai, or api.moonshot.cn via baseUrl)',
    httpStatus: null,
  }
}

const MISSING_DATA: ErrorInfo = {
  kind: 'schema',
  message: 'unexpected response from Moonshot (data: missing)',
  fix: 'Moonshot changed its response format; check for a quotabar update',
  httpStatus: null,
}

export function mapMoonshotBalance(
  body: MoonshotBalance,
  account: Account,
): BalanceReading | { error: ErrorInfo } {
  const error = envelopeError(body)
  if (error) return { error }
  const d = body.data
  if (!d) return { error: MISSING_DATA }
  const currency = moonshotCurrency(account.baseUrl)
  const cur = currency.toLowerCase()
  const balances: BalanceMeter[] = [
    { id: `balance:${cur}`, label: 'Balance', amount: d.available_balance, currency },
  ]
  // Vouchers are granted credit: only then does the split say more than the total does.
  if (d.voucher_balance && d.cash_balance !== null && d.cash_balance !== undefined) {
    balances.push({ id: `voucher:${cur}`, label: 'Voucher', amount: d.voucher_balance, currency })
    balances.push({ id: `cash:${cur}`, label: 'Cash', amount: d.cash_balance, currency })
  }
  return { plan: null, balances }
}

export const moonshotAdapter = prepaidAdapter({
  id: 'moonshot',
  name: 'Moonshot',
  url: MOONSHOT_BALANCE_URL,
  keyEnv: MOONSHOT_KEY_ENV,
  schema: balanceSchema,
  read: mapMoonshotBalance,
}) satisfies ProviderAdapter
