import { createHash } from 'node:crypto'
import { readFileSync, realpathSync, statSync } from 'node:fs'
import { basename, dirname, extname } from 'node:path'
import { isLocked, lockPath, lockProblem, releaseLock, tryLock } from '../cache/lock.js'
import { CommandError } from '../model.js'
import { loadConfigFile, parseConfigText } from '../config/load.js'
import { CONFIG_VERSION, migrateConfig, withVersion } from './migrate.js'

/**
 * The one way quotabar changes config.json (`accounts add|remove|rename|discover --write`):
 * under a lock, read the file, refuse to touch it unless it is valid (an invalid file is the
 * user's work in progress: never overwritten), migrate legacy shapes, apply the change, validate
 * the result with the same schema, and write it atomically with `conf` — keeping the user's other
 * settings, key order and indentation. Secrets never pass through here (see secrets.ts).
 */

export type RawAccount = Record<string, unknown>

export const rawKey = (a: RawAccount) => `${String(a.provider)}/${String(a.id)}`

export interface EditInfo {
  /** False when the file does not exist yet (it is created). */
  exists: boolean
}

export interface EditPlan<T> {
  result: T
  /** Nothing to write. */
  unchanged?: boolean
  /** Before the file is written (store a secret); `undo` reverts it when the write fails. */
  before?: () => void
  undo?: () => void
  /** After the file was written (remove a stored secret, cache files). */
  after?: () => void
}

export interface EditOutcome<T> {
  result: T
  written: boolean
  created: boolean
  /** Legacy shapes this write migrated (`interval → refresh.intervalSeconds`). */
  migrated: string[]
}

export interface EditTarget {
  configFile: string
  cacheDir: string
}

const LOCK_TTL_MS = 15_000
const LOCK_WAIT_MS = 10_000
const sleeper = new Int32Array(new SharedArrayBuffer(4))

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function realFile(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return file
  }
}

/** One lock per config file (by its real path), next to the refresh locks. */
function lockKey(file: string): string {
  return `config-${createHash('sha256').update(realFile(file)).digest('hex').slice(0, 16)}`
}

/**
 * Waits for the lock: concurrent edits queue up instead of losing each other's writes. A lock
 * that nobody holds and that still cannot be taken is a cache dir that cannot be written (a file
 * in its place, read-only HOME): said at once, with the path and errno, rather than after the
 * wait as "another quotabar".
 */
function acquire(target: EditTarget, key: string, token: string): void {
  const deadline = Date.now() + LOCK_WAIT_MS
  while (!tryLock(target.cacheDir, key, token, LOCK_TTL_MS, Date.now())) {
    const problem = isLocked(target.cacheDir, key, Date.now()) ? null : lockProblem(target.cacheDir)
    if (problem) {
      throw new CommandError(
        `cannot lock ${target.configFile} for the change: ${problem.path} (${problem.code}); ` +
          'make that directory writable, or set QUOTABAR_CACHE_DIR to a writable directory',
      )
    }
    if (Date.now() > deadline) {
      throw new CommandError(
        `another quotabar is changing ${target.configFile} (lock ${lockPath(target.cacheDir, key)}); try again`,
      )
    }
    Atomics.wait(sleeper, 0, 0, 20 + Math.random() * 30)
  }
}

interface Current {
  exists: boolean
  doc: Record<string, unknown>
  migrated: string[]
  indent: string
  mode: number | undefined
}

function readCurrent(file: string): Current {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT')
      return { exists: false, doc: { version: CONFIG_VERSION }, migrated: [], indent: '  ', mode: undefined }
    throw new CommandError(`cannot read ${file} (${code ?? 'error'}); check its permissions`)
  }
  const checked = parseConfigText(text, file)
  if (!checked.ok) {
    throw new CommandError(
      `${checked.error.message}\n  fix: ${checked.error.fix}\n  (quotabar changes only a valid file: ${file} was left as it is)`,
    )
  }
  const migration = migrateConfig(JSON.parse(text))
  if (!migration.ok || !isObject(migration.value)) throw new CommandError(`${file}: not a config object`)
  return {
    exists: true,
    doc: migration.value,
    migrated: migration.changes,
    // Keep the user's indentation (tabs, 4 spaces); a one-line file gets 2 spaces.
    indent: /^([ \t]+)"/m.exec(text)?.[1] ?? '  ',
    mode: statSync(file).mode & 0o777,
  }
}

async function writeWithConf(file: string, doc: Record<string, unknown>, indent: string, mode?: number) {
  // conf is ESM and costs ~40 ms to load: only a write pays for it.
  const { default: Conf } = await import('conf')
  const ext = extname(file)
  const conf = new Conf<Record<string, unknown>>({
    cwd: dirname(file),
    configName: basename(file, ext),
    fileExtension: ext.slice(1),
    accessPropertiesByDotNotation: false,
    serialize: (value) => `${JSON.stringify(value, null, indent)}\n`,
    ...(mode === undefined ? {} : { configFileMode: mode }),
  })
  conf.store = doc
}

/**
 * Applies `plan` to the accounts list under the config lock. `plan` mutates the list it is given
 * (entries in the file's own key order) and throws UsageError / CommandError to refuse.
 */
export async function editConfig<T>(
  target: EditTarget,
  plan: (accounts: RawAccount[], info: EditInfo) => EditPlan<T>,
): Promise<EditOutcome<T>> {
  const key = lockKey(target.configFile)
  const token = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`
  acquire(target, key, token)
  try {
    const current = readCurrent(target.configFile)
    const list = Array.isArray(current.doc.accounts) ? current.doc.accounts.filter(isObject) : []
    const accounts = [...list]
    const p = plan(accounts, { exists: current.exists })
    const base = { result: p.result, created: false, migrated: current.migrated }
    if (p.unchanged) return { ...base, written: false }
    const next = withVersion({ ...current.doc, accounts })
    const check = parseConfigText(JSON.stringify(next), target.configFile)
    if (!check.ok) throw new CommandError(`${check.error.message}\n  (nothing was written)`)
    p.before?.()
    try {
      await writeWithConf(target.configFile, next, current.indent, current.mode)
    } catch (err) {
      p.undo?.()
      throw new CommandError(`cannot write ${target.configFile}: ${(err as Error).message}`)
    }
    // Validates the new file once more and refreshes the render path's remembered copy.
    loadConfigFile(target.configFile, target.cacheDir)
    try {
      p.after?.()
    } catch (err) {
      throw new CommandError(`${target.configFile} was updated, but: ${(err as Error).message}`)
    }
    return { ...base, written: true, created: !current.exists }
  } finally {
    releaseLock(target.cacheDir, key, token)
  }
}
