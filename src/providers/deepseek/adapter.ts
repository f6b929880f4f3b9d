import { z } from 'zod'
import type { BalanceMeter } from '../../model.js'
import { keptArray } from '../../kept.js'
import { money, prepaidAdapter } from '../balance.js'
import type { ProviderAdapter } from '../types.js'
import { DEEPSEEK_KEY_ENV } from './descriptor.js'

/**
 * `GET https://api.deepseek.com/user/balance` (providers-…-openrouter.md §5): one entry per
 * currency (`USD` and/or `CNY`), amounts as decimal strings.
 */
export const DEEPSEEK_BALANCE_URL = 'https://api.deepseek.com/user/balance'

const balanceSchema = z.object({
  is_available: z.boolean().nullish(),
  // One currency's entry that does not parse drops only that balance (src/kept.ts).
  balance_infos: keptArray(
    z.object({
      currency: z
        .string()
        .regex(/^[A-Za-z]{3}$/, 'expected a currency code such as "USD"')
        .transform((c) => c.toUpperCase()),
      total_balance: money,
      granted_balance: money.nullish(),
      topped_up_balance: money.nullish(),
    }),
    'balance',
  ),
})

export type DeepseekBalance = z.output<typeof balanceSchema>

export function mapDeepseekBalance(data: DeepseekBalance): { plan: string | null; balances: BalanceMeter[] } {
  const balances: BalanceMeter[] = []
  for (const b of data.balance_infos) {
    const cur = b.currency.toLowerCase()
    balances.push({ id: `balance:${cur}`, label: 'Balance', amount: b.total_balance, currency: b.currency })
    // Only a grant makes the split worth a line: without one, "topped up" repeats the total.
    if (b.granted_balance && b.topped_up_balance !== null && b.topped_up_balance !== undefined) {
      balances.push({
        id: `granted:${cur}`,
        label: 'Granted',
        amount: b.granted_balance,
        currency: b.currency,
      })
      balances.push({
        id: `topped-up:${cur}`,
        label: 'Topped up',
        amount: b.topped_up_balance,
        currency: b.currency,
      })
    }
  }
  // is_available false: the balance no longer covers API calls (they fail with 402).
  return { plan: data.is_available === false ? 'Insufficient balance' : null, balances }
}

export const deepseekAdapter = prepaidAdapter({
  id: 'deepseek',
  name: 'DeepSeek',
  url: DEEPSEEK_BALANCE_URL,
  keyEnv: DEEPSEEK_KEY_ENV,
  schema: balanceSchema,
  read: mapDeepseekBalance,
}) satisfies ProviderAdapter
