import { markViews } from './accounts/marks.js'
import { isDue } from './cache/freshness.js'
import { handOverLock, isLocked, LOCK_TTL_MS, lockProblem, releaseLock, tryLock } from './cache/lock.js'
import { credentialStamp } from './cache/stamp.js'
import { readEntry, unwritableEntry } from './cache/store.js'
import { readDiscovered } from './accounts/discovered.js'
import { defaultSettings, resolveAccounts, type Settings, selectAccounts } from './config/accounts.js'
import { readCheckedConfig } from './config/checked.js'
import { type Env, resolvePaths, withoutConfig } from './config/paths.js'
import { demoView } from './demo.js'
import type { CacheEntry, ErrorInfo } from './model.js'
import { descriptors } from './providers/descriptors.js'
import type { Account } from './model.js'
import { redactView } from './render/format.js'
import type { IconStyle } from './render/icons.js'
import { type Format, renderers } from './render/index.js'
import { paletteFrom } from './render/palette.js'
import type { ParsedTemplate } from './render/template.js'
import type { Rendered, RenderOptions } from './render/types.js'
import { focusOf, readChoice, type ViewChoice, windowFor } from './live/choice.js'
import { buildAccountView, type View } from './view.js'

/**
 * The cached render path: config (pre-validated), cache files, render. It never waits on the
 * network when data exists; stale accounts are handed to one detached refresh process.
 */

export interface StatusRequest {
  format: Format
  selectors: string[]
  window: string
  demo: boolean
  config?: string
  refresh: boolean
  /** Show emails as `a…@domain` (also config `privacy.redact`). */
  redact?: boolean
  /** `--text TEMPLATE`, parsed once where the arguments are read: the short text of every account. */
  text?: ParsedTemplate
  /** `--icons`: wins over config `icons`. */
  icons?: IconStyle
}

export type ValidateConfig = (
  file: string,
  cacheDir: string,
) => { ok: true; settings: Settings } | { ok: false; error: ErrorInfo }

export interface StatusDeps {
  env: Env
  now: () => Date
  /** Lazily loads zod to validate a config file the render path has not seen yet. */
  validateConfig: () => ValidateConfig
  /** Starts the detached refresh for these keys (their locks held under `token`); returns its pid. */
  startRefresh: (keys: string[], token: string, configFile: string | null) => number | null
  /** A line for stderr that must not change the bar's line (a selector that matched nothing). */
  warn?: (line: string) => void
  /** Told when the line shows cached accounts (not `--demo`, not a problem): the bin's code cache keeps such a run. */
  shown?: () => void
  /** Told that an account is due now, before any is locked (a render at a later instant asks: ./cli/memo-save.ts). */
  due?: () => void
  /** How the files a render depends on are read (directReads unless given: `watch` keeps them, live/reads.ts). */
  reads?: StatusReads
}

/**
 * What a render reads from disk: the settings (config file, or defaults and discovered accounts),
 * an account's cache entry and the click choice. A one-shot render reads each once; a process that
 * renders again and again may keep what it read while the files are unchanged.
 */
export interface StatusReads {
  settings: (req: StatusRequest, deps: StatusDeps) => Loaded
  entry: (cacheDir: string, key: string) => CacheEntry | null
  choice: (stateDir: string) => ViewChoice
}

export const directReads: StatusReads = {
  settings: loadSettings,
  entry: readEntry,
  choice: readChoice,
}

const providerNames = Object.fromEntries(Object.values(descriptors).map((d) => [d.id, d.name]))
const providerIcons = Object.fromEntries(
  Object.values(descriptors).flatMap((d) => ('icons' in d && d.icons ? [[d.id, d.icons]] : [])),
)

export function runStatus(req: StatusRequest, deps: StatusDeps): Rendered {
  const now = deps.now()
  const render = (view: View, settings: Settings | null) => {
    const options: RenderOptions = {
      colors: paletteFrom(settings?.colors),
      providerNames,
      providerIcons,
      icons: req.icons ?? settings?.icons ?? 'none',
      text: {
        override: null,
        global: settings?.text?.global ?? null,
        byAccount: settings?.text?.byAccount ?? {},
      },
    }
    const parsed = req.text
    if (parsed && options.text) {
      if (!parsed.ok) {
        const problem: ErrorInfo = {
          kind: 'config',
          message: `--text: ${parsed.message}`,
          fix: 'fix the --text template in the bar config',
          httpStatus: null,
        }
        return renderers[req.format](problemView(now, settings, problem), options)
      }
      options.text.override = parsed.template
    }
    const redact = req.redact || settings?.redact
    return renderers[req.format](redact ? redactView(view) : view, options)
  }
  if (req.demo) return render(demoView(now, req.window), null)
  const loaded = (deps.reads ?? directReads).settings(req, deps)
  const view = buildView(req, deps, loaded, now)
  if (view.accounts.length > 0) deps.shown?.()
  return render(view, loaded.settings)
}

export type Loaded = { cacheDir: string; home: string; stateDir: string; configFile: string | null } & (
  | { settings: Settings; error: null }
  | { settings: null; error: ErrorInfo }
)

export function loadSettings(req: StatusRequest, deps: StatusDeps): Loaded {
  const paths = resolvePaths(deps.env, req.config)
  const base = { cacheDir: paths.cacheDir, home: paths.home, stateDir: paths.stateDir }
  const fast = readCheckedConfig(paths.configFile, paths.cacheDir)
  if (fast.kind === 'missing') {
    // An explicitly named config file that does not exist is a mistake, not "use defaults".
    if (!withoutConfig(deps.env, req.config)) {
      const error: ErrorInfo = {
        kind: 'config',
        message: `config file ${paths.configFile} does not exist`,
        fix: 'check --config / QUOTABAR_CONFIG',
        httpStatus: null,
      }
      return { ...base, settings: null, error, configFile: paths.configFile }
    }
    // What the last full-CLI run discovered (accounts discover's set), else the providers' defaults.
    const settings = defaultSettings(deps.env, paths.home)
    const found = readDiscovered(paths.cacheDir)
    return {
      ...base,
      settings: found ? { ...settings, accounts: found } : settings,
      error: null,
      configFile: null,
    }
  }
  if (fast.kind === 'checked')
    return { ...base, settings: fast.settings, error: null, configFile: paths.configFile }
  const result = deps.validateConfig()(paths.configFile, paths.cacheDir)
  return result.ok
    ? { ...base, settings: result.settings, error: null, configFile: paths.configFile }
    : { ...base, settings: null, error: result.error, configFile: paths.configFile }
}

export const unmatchedWarning = (unmatched: string[]) =>
  `no account matches ${unmatched.map((s) => `"${s}"`).join(', ')}; showing the accounts the other selectors match`

function problemView(now: Date, settings: Settings | null, problem: ErrorInfo): View {
  return {
    generatedAt: now.toISOString(),
    accounts: [],
    thresholds: settings?.thresholds ?? { warning: 70, critical: 90 },
    problem,
  }
}

function buildView(req: StatusRequest, deps: StatusDeps, loaded: Loaded, now: Date): View {
  if (loaded.settings === null) return problemView(now, null, loaded.error)
  const { settings, cacheDir } = loaded
  const all = resolveAccounts(settings)
  const { selected, unmatched } = selectAccounts(all, req.selectors)
  if (selected.length === 0) {
    const where = loaded.configFile ?? resolvePaths(deps.env, req.config).configFile
    const problem: ErrorInfo =
      unmatched.length > 0
        ? {
            kind: 'config',
            message: `no account matches ${unmatched.map((s) => `"${s}"`).join(', ')}`,
            fix: `accounts are listed in ${where}`,
            httpStatus: null,
          }
        : {
            kind: 'credentials',
            message:
              'no accounts: no config file and no logins found (Claude, Codex, Copilot, Gemini, Cursor)',
            fix: `log in with a provider's own tool (e.g. \`claude\`), or list accounts in ${where}; \`quotabar --demo\` shows a sample`,
            httpStatus: null,
          }
    return problemView(now, settings, problem)
  }
  if (unmatched.length > 0) deps.warn?.(unmatchedWarning(unmatched))
  const reads = deps.reads ?? directReads
  let entries = selected.map((a) => reads.entry(cacheDir, a.key))
  if (req.refresh) {
    const { due, problem } = startDueRefresh(selected, entries, deps, loaded, now)
    // An unwritable cache: an account with nothing to show says why, instead of "pending" for ever.
    if (problem)
      entries = entries.map((e, i) => e ?? unwritableEntry((selected[i] as Account).key, problem, now))
    const waitFor = selected.filter((a, i) => due.has(a.key) && !entries[i]?.snapshot)
    if (waitFor.length > 0) {
      entries = waitForFirstData(selected, entries, waitFor, cacheDir, settings.firstFetchWaitMs, deps.now)
    }
  }
  const at = deps.now()
  const choice = reads.choice(loaded.stateDir)
  return {
    generatedAt: at.toISOString(),
    accounts: markViews(
      selected.map((a, i) => {
        const entry = entries[i] ?? null
        return buildAccountView(a, entry, at, settings.thresholds, windowFor(req.window, choice, entry))
      }),
      selected,
      deps.env,
      loaded.home,
      at.getTime(),
    ),
    thresholds: settings.thresholds,
    problem: null,
    focus: focusOf(
      choice,
      selected.map((a) => a.key),
    ),
  }
}

/**
 * Locks the due accounts and hands them to one detached refresh process. Returns the keys being
 * fetched now, by this process's child or by another process that holds the lock, and why no
 * lock could be taken when nobody holds one (an unwritable cache dir).
 */
function startDueRefresh(
  accounts: Account[],
  entries: (CacheEntry | null)[],
  deps: StatusDeps,
  loaded: Loaded,
  now: Date,
): { due: Set<string>; problem: { path: string; code: string } | null } {
  const due = accounts.filter((a, i) =>
    isDue(entries[i] ?? null, a, now, credentialStamp(a, deps.env, loaded.home), 'auto'),
  )
  if (due.length === 0) return { due: new Set(), problem: null }
  deps.due?.()
  const token = `${process.pid}-${now.getTime()}-${Math.random().toString(36).slice(2)}`
  const locked = due.filter((a) => tryLock(loaded.cacheDir, a.key, token, LOCK_TTL_MS, now.getTime()))
  const failed = due.filter((a) => !locked.includes(a))
  const unheld = failed.some((a) => !isLocked(loaded.cacheDir, a.key, now.getTime()))
  const problem = unheld ? lockProblem(loaded.cacheDir) : null
  const busy = new Set(failed.filter(() => problem === null).map((a) => a.key))
  if (locked.length === 0) return { due: busy, problem }
  const keys = locked.map((a) => a.key)
  let pid: number | null = null
  try {
    pid = deps.startRefresh(keys, token, loaded.configFile)
  } catch {}
  for (const key of keys) {
    if (pid) handOverLock(loaded.cacheDir, key, token, pid, LOCK_TTL_MS, now.getTime())
    else releaseLock(loaded.cacheDir, key, token)
  }
  return { due: pid ? new Set([...busy, ...keys]) : busy, problem }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4))

/** With no data at all, a bar would show nothing useful: wait a bounded time for the first fetch. */
function waitForFirstData(
  accounts: Account[],
  entries: (CacheEntry | null)[],
  waitFor: Account[],
  cacheDir: string,
  waitMs: number,
  now: () => Date,
): (CacheEntry | null)[] {
  const deadline = Date.now() + waitMs
  const before = new Map(accounts.map((a, i) => [a.key, entries[i]?.lastAttemptAt ?? null]))
  let pending = waitFor
  while (pending.length > 0 && Date.now() < deadline) {
    Atomics.wait(sleeper, 0, 0, 40)
    pending = pending.filter((a) => {
      const e = readEntry(cacheDir, a.key)
      return (e?.lastAttemptAt ?? null) === before.get(a.key) || isLocked(cacheDir, a.key, now().getTime())
    })
  }
  return accounts.map((a) => readEntry(cacheDir, a.key))
}
