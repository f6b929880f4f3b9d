import type { Env } from '../config/paths.js'
import { getDescriptor } from '../providers/descriptors.js'
import type { AccountConfig } from '../model.js'
import type { AccountView } from '../view.js'
import { bestKeys } from './headroom.js'

/**
 * Render-time marks, cheap enough for the bar: `active` from the descriptors' path arithmetic
 * (or the caller's own check, e.g. gh's hosts.yml in the full CLI) and `best` from the headroom
 * arithmetic over the cached windows.
 */
export function markViews(
  views: AccountView[],
  accounts: AccountConfig[],
  env: Env,
  home: string,
  nowMs: number,
  isActive: (account: AccountConfig, env: Env, home: string) => boolean = descriptorActive,
): AccountView[] {
  const best = bestKeys(views, nowMs)
  return views.map((v, i) => {
    const account = accounts[i]
    const active = account ? isActive(account, env, home) : false
    return active || best.has(v.key) ? { ...v, active, best: best.has(v.key) } : v
  })
}

function descriptorActive(account: AccountConfig, env: Env, home: string): boolean {
  return getDescriptor(account.provider)?.isActive?.(account, env, home) ?? false
}
