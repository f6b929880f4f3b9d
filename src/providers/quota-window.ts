import type { UsageWindow } from '../model.js'

/**
 * The windows coding plans report (z.ai, Kimi, MiniMax, Factory, Antigravity), named the same
 * everywhere: the account-wide one gets the stable id (`session`, `weekly`, `monthly`), one scoped
 * to a model or group `<id>:<slug>` with the scope's name in its label.
 */

export type WindowKind = 'session' | 'weekly' | 'monthly'

const KINDS: Record<WindowKind, { label: string; seconds: number | null }> = {
  session: { label: '5h', seconds: 5 * 3600 },
  weekly: { label: '7d', seconds: 7 * 86400 },
  // Calendar months differ in length: no fixed step to roll a month forward by.
  monthly: { label: 'month', seconds: null },
}

export interface Scope {
  slug: string
  name: string
}

export const clampPercent = (n: number) => Math.min(100, Math.max(0, n))

/** `GLM-4.6 Air` → `glm-4-6-air`. */
export function slugOf(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'limit'
  )
}

export function quotaWindow(
  kind: WindowKind,
  usedPercent: number,
  resetsAt: string | null,
  scope: Scope | null = null,
): UsageWindow {
  const k = KINDS[kind]
  return {
    id: scope ? `${kind}:${scope.slug}` : kind,
    label: scope ? `${scope.name} ${k.label}` : k.label,
    usedPercent: clampPercent(usedPercent),
    resetsAt,
    windowSeconds: k.seconds,
  }
}

/** Two windows of one kind and scope (a drifted payload) still get distinct ids. */
export function uniqueIds(windows: UsageWindow[]): UsageWindow[] {
  const seen = new Map<string, number>()
  return windows.map((w) => {
    const n = (seen.get(w.id) ?? 0) + 1
    seen.set(w.id, n)
    return n === 1 ? w : { ...w, id: `${w.id}:${n}` }
  })
}
