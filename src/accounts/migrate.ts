/**
 * Older and hand-written config shapes, mapped to the current one (`"version": 1`). Reading
 * accepts them (load.ts runs this before the schema); the next `quotabar accounts` change writes
 * the migrated shape. The schema is strict, so a migration maps every key it knows and leaves
 * nothing behind: a key no migration knows stays, and the schema names it as unknown.
 *
 * | legacy                                   | current                                   |
 * | ---------------------------------------- | ----------------------------------------- |
 * | no `version` (or `0`)                    | `"version": 1`                            |
 * | `accounts: { "claude/work": {...} }`     | `accounts: [{ provider, id, ... }]`       |
 * | top-level `interval` (seconds)           | `refresh.intervalSeconds`                 |
 * | top-level `redact`                       | `privacy.redact`                          |
 * | account `name`                           | account `label`                           |
 */

export const CONFIG_VERSION = 1

type Json = Record<string, unknown>

export type Migration = { ok: true; value: unknown; changes: string[] } | { ok: false; message: string }

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

class MigrationError extends Error {}

/** A copy of `obj` with `from` replaced by `to` at the same place in the key order. */
function renameKey(obj: Json, from: string, to: string, value: unknown): Json {
  const out: Json = {}
  for (const [k, v] of Object.entries(obj)) {
    if (k === from) out[to] = value
    else if (k !== to) out[k] = v
  }
  return out
}

/** Moves a top-level key into a section (`interval` → `refresh.intervalSeconds`). */
function moveInto(doc: Json, legacy: string, section: string, field: string, changes: string[]): Json {
  if (!(legacy in doc)) return doc
  const existing = doc[section]
  if (existing !== undefined && !isObject(existing)) return doc // the schema reports the bad section
  const value = doc[legacy]
  if (existing && field in existing && existing[field] !== value) {
    throw new MigrationError(
      `both "${legacy}" (old name) and "${section}.${field}" are set and differ; keep only ${section}.${field}`,
    )
  }
  changes.push(`${legacy} → ${section}.${field}`)
  if (existing) {
    const { [legacy]: _, ...rest } = doc
    return { ...rest, [section]: { ...existing, [field]: value } }
  }
  return renameKey(doc, legacy, section, { [field]: value })
}

function migrateAccount(account: unknown, where: string, changes: string[]): unknown {
  if (!isObject(account) || !('name' in account)) return account
  if ('label' in account && account.label !== account.name) {
    throw new MigrationError(`${where}: both "name" (old name) and "label" are set; keep only label`)
  }
  changes.push(`${where}.name → label`)
  return renameKey(account, 'name', 'label', account.name)
}

/** `{ "claude/work": {...} }` → `[{ provider: "claude", id: "work", ... }]` (a bare `claude` → id `default`). */
function accountsFromMap(map: Json, changes: string[]): unknown[] {
  changes.push('accounts map → accounts list')
  return Object.entries(map).map(([key, value]) => {
    const where = `accounts[${JSON.stringify(key)}]`
    if (!isObject(value)) throw new MigrationError(`${where}: expected an object with the account's settings`)
    const slash = key.indexOf('/')
    const provider = slash < 0 ? key : key.slice(0, slash)
    const id = slash < 0 ? 'default' : key.slice(slash + 1)
    for (const [field, want] of [
      ['provider', provider],
      ['id', id],
    ] as const) {
      if (field in value && value[field] !== want) {
        throw new MigrationError(
          `${where}: ${field} "${String(value[field])}" does not match the key "${key}"`,
        )
      }
    }
    const { provider: _p, id: _i, ...rest } = value
    return { provider, id, ...rest }
  })
}

/** Pure: returns the current shape and what changed; a value that needs nothing comes back as is. */
export function migrateConfig(raw: unknown): Migration {
  if (!isObject(raw)) return { ok: true, value: raw, changes: [] }
  const changes: string[] = []
  try {
    let doc: Json = raw
    const version = doc.version
    if (typeof version === 'number' && version > CONFIG_VERSION) {
      return {
        ok: false,
        message: `config version ${version} was written by a newer quotabar (this one reads version ${CONFIG_VERSION}); update quotabar`,
      }
    }
    if (version === 0) {
      changes.push('version 0 → 1')
      doc = { ...doc, version: CONFIG_VERSION }
    }
    if (isObject(doc.accounts)) doc = { ...doc, accounts: accountsFromMap(doc.accounts, changes) }
    if (Array.isArray(doc.accounts)) {
      const list = doc.accounts
      const migrated = list.map((a, i) => migrateAccount(a, `accounts[${i}]`, changes))
      if (migrated.some((a, i) => a !== list[i])) doc = { ...doc, accounts: migrated }
    }
    doc = moveInto(doc, 'interval', 'refresh', 'intervalSeconds', changes)
    doc = moveInto(doc, 'redact', 'privacy', 'redact', changes)
    return { ok: true, value: changes.length ? doc : raw, changes }
  } catch (err) {
    if (err instanceof MigrationError) return { ok: false, message: err.message }
    throw err
  }
}

/** The document as the write path saves it: migrated, with `version` first (after `$schema`). */
export function withVersion(doc: Json): Json {
  if (doc.version === CONFIG_VERSION) return doc
  const { $schema, version: _, ...rest } = doc
  return $schema === undefined
    ? { version: CONFIG_VERSION, ...rest }
    : { $schema, version: CONFIG_VERSION, ...rest }
}
