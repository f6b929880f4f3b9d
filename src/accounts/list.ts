import { deriveStatus } from '../cache/freshness.js'
import { readEntry } from '../cache/store.js'
import { resolveAccounts, type Settings } from '../config/accounts.js'
import type { Env } from '../config/paths.js'
import type { AccountStatus } from '../model.js'
import type { Account } from '../model.js'
import { getDescriptor } from '../providers/descriptors.js'
import { machineFs } from '../providers/machine-fs.js'
import type { CredentialSource } from '../providers/types.js'
import { redactEmail } from '../render/format.js'
import { credentialsFilePath, storedSecretKeys } from '../secrets.js'
import { loginDirOf } from './sources.js'

/** `quotabar accounts list`: every account, where its login comes from, and what the cache knows. */

export type { CredentialSource }

export interface AccountRow {
  key: string
  provider: string
  id: string
  label: string
  enabled: boolean
  credential: CredentialSource
  email: string | null
  status: AccountStatus | 'disabled'
  fetchedAt: string | null
  ageSeconds: number | null
  error: string | null
}

export function credentialSource(a: Account, env: Env, home: string, stored: Set<string>): CredentialSource {
  if (a.apiKeyEnv) return { kind: 'env', detail: a.apiKeyEnv, present: Boolean(env[a.apiKeyEnv]) }
  if (a.apiKeyCommand) return { kind: 'command', detail: a.apiKeyCommand, present: true }
  if (stored.has(a.key)) return { kind: 'stored', detail: credentialsFilePath(env), present: true }
  const d = getDescriptor(a.provider)
  const own = d?.loginSource?.(a, env, home)
  if (own) return own
  const login = loginDirOf(a, env, home)
  if (login) return { kind: 'config-dir', detail: login.dir, present: machineFs.isDir(login.dir) }
  const files = d?.credentialFiles(a, env, home) ?? []
  return { kind: 'provider-default', detail: files[0] ?? "the provider's default", present: true }
}

export function listAccounts(
  settings: Settings,
  ctx: { env: Env; home: string; cacheDir: string; now: Date; redact: boolean },
): AccountRow[] {
  // Disabled accounts are listed too: resolve every account as if enabled, then mark them.
  const all = resolveAccounts({
    ...settings,
    accounts: settings.accounts.map((a) => ({ ...a, enabled: true })),
  })
  const disabled = new Set(
    settings.accounts.filter((a) => a.enabled === false).map((a) => `${a.provider}/${a.id}`),
  )
  const stored = storedSecretKeys(ctx.env)
  const t = ctx.now.getTime()
  return all.map((a) => {
    const enabled = !disabled.has(a.key)
    const entry = readEntry(ctx.cacheDir, a.key)
    const snap = entry?.snapshot ?? null
    const email = snap?.email ?? null
    return {
      key: a.key,
      provider: a.provider,
      id: a.id,
      label: ctx.redact ? redactEmail(a.label) : a.label,
      enabled,
      credential: credentialSource(a, ctx.env, ctx.home, stored),
      email: email && ctx.redact ? redactEmail(email) : email,
      status: enabled ? deriveStatus(entry, a, ctx.now) : 'disabled',
      fetchedAt: snap?.fetchedAt ?? null,
      ageSeconds: snap ? Math.max(0, Math.round((t - Date.parse(snap.fetchedAt)) / 1000)) : null,
      error: entry?.error ? (ctx.redact ? redactEmail(entry.error.message) : entry.error.message) : null,
    }
  })
}
