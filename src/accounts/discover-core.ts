import { exists } from '../config/accounts.js'
import type { Env } from '../config/paths.js'
import type { AccountConfig } from '../model.js'
import { descriptorList, getDescriptor, providerIds } from '../providers/descriptors.js'
import { machineFs } from '../providers/machine-fs.js'
import { findKeyVariables } from './key-vars.js'
import { keysOf } from './match-keys.js'
import { loginDirKinds, realDir, tildify } from './sources.js'

/**
 * `quotabar accounts discover`: every login on this machine, compared with the configured
 * accounts. A login is matched by its location (dir, variable, gh user) and by who it is (the
 * login's account id, or the key's hash): the same place is `configured`; the same login in
 * another place (a copied dir, one key under two names) is a `duplicate`, not a second account.
 * Whether a new one may be proposed is `problem`'s answer (discover.ts: the config schema), handed
 * in so that the config-less path can answer from memory without zod (accounts/shown.ts).
 */

export interface Finding {
  state: 'new' | 'configured' | 'duplicate'
  /** For `new`: the entry `--write` adds (its id made unique); otherwise what was found. */
  account: AccountConfig
  key: string
  /** What the user recognises: a dir, `$VARIABLE`, `gh user alice (github.com)`. */
  source: string
  email: string | null
  /** For `duplicate`: the configured or earlier-found account this login already is. */
  sameAs: string | null
}

export interface Discovery {
  findings: Finding[]
  /** Sources quotabar cannot use here (a provider this build lacks, a suffix that makes no id). */
  skipped: { source: string; reason: string }[]
}

interface Candidate {
  account: AccountConfig
  source: string
  email: string | null
  /** `where:` keys name the place, `who:` keys the login. */
  keys: string[]
}

function candidates(env: Env, home: string, skipped: Discovery['skipped']): Candidate[] {
  const out: Candidate[] = []
  for (const kind of loginDirKinds()) {
    const seen = new Set<string>()
    for (const { dir, id } of kind.dirs.find(env, home, machineFs)) {
      // One dir named twice (CLAUDE_CONFIG_DIR=~/.claude-work/) is listed once; a symlink to
      // another dir has its own name and is reported as a duplicate below.
      const path = dir.replace(/(.)\/+$/, '$1')
      if (seen.has(path)) continue
      seen.add(path)
      const where = `where:${kind.provider}:${realDir(dir)}`
      const who = kind.identity(dir, home)
      out.push({
        account: { provider: kind.provider, id, configDir: tildify(dir, home) },
        source: dir,
        email: who?.email ?? null,
        keys: who ? [where, `who:${kind.provider}:${who.key}`] : [where],
      })
    }
  }
  for (const d of descriptorList) {
    for (const f of d.findLogins?.(env, home, machineFs) ?? []) {
      out.push({ account: f.account, source: f.source, email: null, keys: [`where:${d.id}:${f.place}`] })
    }
  }
  const vars = findKeyVariables(env)
  for (const v of vars.invalid) skipped.push({ source: `$${v}`, reason: 'its suffix makes no account id' })
  for (const v of vars.found) {
    out.push({
      account: { provider: v.provider, id: v.id, apiKeyEnv: v.variable },
      source: `$${v.variable}`,
      email: null,
      keys: [`where:${v.provider}:$${v.variable}`, `who:${v.provider}:${v.valueHash}`],
    })
  }
  return [...out, ...providerDefaults(env, home, out)]
}

/**
 * Every provider's own default logins (ProviderDescriptor.defaultAccounts: what the bar shows with
 * no config file), for providers discovery has no rule for; one found above is not listed twice.
 */
function providerDefaults(env: Env, home: string, earlier: Candidate[]): Candidate[] {
  const known = new Set(earlier.flatMap((c) => c.keys))
  const out: Candidate[] = []
  for (const id of providerIds) {
    for (const a of getDescriptor(id)?.defaultAccounts(env, home, exists) ?? []) {
      const keys = keysOf(a, env, home)
      if (keys.length === 0) keys.push(`where:${a.provider}:default:${a.id}`)
      if (keys.some((k) => known.has(k))) continue
      for (const k of keys) known.add(k)
      const source =
        a.configDir ?? (a.apiKeyEnv ? `$${a.apiKeyEnv}` : `${getDescriptor(id)?.name} default login`)
      const account = a.configDir ? { ...a, configDir: tildify(a.configDir, home) } : a
      out.push({ account, source, email: null, keys })
    }
  }
  return out
}

/** An id the schema takes, not yet used by this provider: `work`, else `work-2`, `work-3`, ... */
function freeId(provider: string, wanted: string, taken: Set<string>): string {
  const id =
    wanted
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 40) || 'default'
  if (!taken.has(`${provider}/${id}`)) return id
  for (let n = 2; ; n++) {
    const next = `${id.slice(0, 36)}-${n}`
    if (!taken.has(`${provider}/${next}`)) return next
  }
}

/** Why a config holding this account would not validate, or null when it would. */
export type AccountProblem = (account: AccountConfig) => string | null

export function discoverWith(
  existing: AccountConfig[],
  env: Env,
  home: string,
  problem: AccountProblem,
): Discovery {
  const skipped: Discovery['skipped'] = []
  const owner = new Map<string, string>() // match key → configured account key
  for (const a of existing) for (const k of keysOf(a, env, home)) owner.set(k, `${a.provider}/${a.id}`)
  const taken = new Set(existing.map((a) => `${a.provider}/${a.id}`))
  const found = new Map<string, string>() // match key → key of a login found earlier in this run
  const findings: Finding[] = []
  for (const c of candidates(env, home, skipped)) {
    const base = { source: c.source, email: c.email }
    const proposed = `${c.account.provider}/${c.account.id}`
    const configured = c.keys.map((k) => owner.get(k)).find(Boolean)
    const place = c.keys.find((k) => k.startsWith('where:'))
    if (configured) {
      // The same place is that account; the same login elsewhere is a copy of it.
      if (place && owner.get(place) === configured)
        findings.push({ ...base, state: 'configured', account: c.account, key: configured, sameAs: null })
      else
        findings.push({ ...base, state: 'duplicate', account: c.account, key: proposed, sameAs: configured })
      continue
    }
    const earlier = c.keys.map((k) => found.get(k)).find(Boolean)
    if (earlier) {
      findings.push({ ...base, state: 'duplicate', account: c.account, key: proposed, sameAs: earlier })
      continue
    }
    const id = freeId(c.account.provider, c.account.id, taken)
    const key = `${c.account.provider}/${id}`
    // Whatever a file or a provider's defaults hold, --write must not produce an invalid config.
    const reason = problem({ ...c.account, id })
    if (reason !== null) {
      skipped.push({ source: c.source, reason })
      continue
    }
    taken.add(key)
    for (const k of c.keys) found.set(k, key)
    findings.push({ ...base, state: 'new', account: { ...c.account, id }, key, sameAs: null })
  }
  return { findings, skipped }
}
