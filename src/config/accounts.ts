import { statSync } from 'node:fs'
import type { Thresholds } from '../model.js'
import type { IconStyle } from '../render/icons.js'
import type { PaletteOverrides } from '../render/palette.js'
import type { Template } from '../render/template.js'
import { getDescriptor, providerIds } from '../providers/descriptors.js'
import type { Account, AccountConfig } from '../model.js'
import type { Env } from './paths.js'
import type { Config } from './schema.js'

/** The parts of the config the render path needs, with defaults applied. */
export interface Settings {
  accounts: AccountConfig[]
  intervalSeconds: number | null
  firstFetchWaitMs: number
  timeoutSeconds: number
  thresholds: Thresholds
  colors: PaletteOverrides
  /** Absent in a checked config written by an older version: read as `none` / no templates. */
  icons?: IconStyle
  /** `format.text` parsed once, when the config was validated: global, and by account key. */
  text?: { global: Template | null; byAccount: Record<string, Template> }
  redact: boolean
  /** The validated config's feature sections, as written (absent = feature defaults). */
  notifications: Config['notifications'] | null
  nudge: Config['nudge'] | null
  logs: Config['logs'] | null
}

export const DEFAULT_THRESHOLDS: Thresholds = { warning: 70, critical: 90, pace: true }

export function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}

/** No config file: every provider's default login that exists on this machine. */
export function defaultSettings(env: Env, home: string): Settings {
  const accounts = providerIds.flatMap((id) => getDescriptor(id)?.defaultAccounts(env, home, exists) ?? [])
  return {
    accounts,
    intervalSeconds: null,
    firstFetchWaitMs: 3000,
    timeoutSeconds: 15,
    thresholds: DEFAULT_THRESHOLDS,
    colors: {},
    icons: 'none',
    text: { global: null, byAccount: {} },
    redact: false,
    notifications: null,
    nudge: null,
    logs: null,
  }
}

/** Key, label and interval resolved; the interval never goes below what the provider tolerates. */
export function resolveAccounts(settings: Settings): Account[] {
  const out: Account[] = []
  for (const a of settings.accounts) {
    const d = getDescriptor(a.provider)
    if (!d || a.enabled === false) continue
    const wanted = a.refreshSeconds ?? settings.intervalSeconds ?? d.defaultRefreshSeconds
    // Object.assign onto {}: a spread literal with added keys is built as a dictionary (view.ts).
    out.push(
      Object.assign({}, a, {
        key: `${a.provider}/${a.id}`,
        label: a.label ?? a.id,
        refreshSeconds: Math.max(wanted, d.minRefreshSeconds),
        minRefreshSeconds: d.minRefreshSeconds,
      }),
    )
  }
  return out
}

/** `--account` selectors: `provider/id`, `id`, or `provider`. Unknown selectors are reported. */
export function selectAccounts(
  accounts: Account[],
  selectors: string[],
): { selected: Account[]; unmatched: string[] } {
  if (selectors.length === 0) return { selected: accounts, unmatched: [] }
  const unmatched: string[] = []
  const picked = new Set<string>()
  for (const sel of selectors) {
    const hits = accounts.filter((a) => a.key === sel || a.id === sel || a.provider === sel)
    if (hits.length === 0) unmatched.push(sel)
    for (const h of hits) picked.add(h.key)
  }
  return { selected: accounts.filter((a) => picked.has(a.key)), unmatched }
}
