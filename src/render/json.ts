import type { Renderer } from './types.js'

/** The json document (design §4): every renderer is derived from the same data. */
export const renderJson: Renderer = (view) => {
  const doc = {
    schema: 'quotabar/v1',
    generatedAt: view.generatedAt,
    accounts: view.accounts.map((a) => ({
      key: a.key,
      provider: a.provider,
      id: a.id,
      label: a.label,
      plan: a.plan,
      email: a.email,
      status: a.status,
      fetchedAt: a.fetchedAt,
      ageSeconds: a.ageSeconds,
      // Each window carries elapsedPercent, paceDelta, projectedPercent and exhaustsAt (src/pace.ts).
      windows: a.windows.map(({ rolledOver: _, ...w }) => w),
      spend: a.spend,
      balances: a.balances,
      notes: a.notes,
      error: a.error,
      retryAt: a.retryAt,
      /** The driver window's last day, hourly, oldest first; null entries are gaps. */
      spark: a.spark,
    })),
    problem: view.problem,
  }
  return { text: JSON.stringify(doc, null, 2), exitCode: 0 }
}
