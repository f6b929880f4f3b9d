import { join } from 'node:path'
import type { Env, Paths } from '../config/paths.js'
import { isRec, str } from '../hand-check.js'
import type { AccountConfig } from '../model.js'
import { VERSION } from '../version.js'
import { discoverWith } from './discover-core.js'
import { readText, writeDiscovered, writeIfChanged } from './discovered.js'

/**
 * With no config file: exactly the logins `accounts discover` finds, each labelled by who it is
 * (`work` from ~/.claude-work, `claude` for the provider's default login, never three "default"s),
 * and remembered for the cached render (discovered.ts).
 *
 * Discovery asks zod two things of each new login: would a config holding it validate, and the
 * account as its provider's fields read it. Both answers depend on that account alone (and on the
 * quotabar version), so they are remembered next to the cache: a run that finds the same logins
 * again (Claude Code's status-line hook, on every redraw without a config) answers from memory
 * and loads no zod; any login not remembered sends the run through the schema (`shownWithoutConfig`).
 */

/** What the schema says of one new login: why it is left out, or the account as shown. */
export type Verdict = { skip: string } | { shown: AccountConfig }

type Judge = (account: AccountConfig) => Verdict | undefined

const memoPath = (cacheDir: string) => join(cacheDir, 'discovery-checked.json')

function readMemo(cacheDir: string): Map<string, Verdict> {
  try {
    const raw: unknown = JSON.parse(readText(memoPath(cacheDir)) ?? 'null')
    if (!isRec(raw) || raw.version !== VERSION || !isRec(raw.verdicts)) return new Map()
    return new Map(Object.entries(raw.verdicts).filter((e): e is [string, Verdict] => isVerdict(e[1])))
  } catch {
    return new Map()
  }
}

const isVerdict = (v: unknown): v is Verdict =>
  isRec(v) && (str(v.skip) || (isRec(v.shown) && str(v.shown.provider) && str(v.shown.id)))

/** An unwritable cache only costs speed: the next run asks the schema again. */
const writeMemo = (cacheDir: string, verdicts: Map<string, Verdict>) =>
  writeIfChanged(
    memoPath(cacheDir),
    `${JSON.stringify({ version: VERSION, verdicts: Object.fromEntries(verdicts) })}\n`,
  )

/** A provider's one default login is named after the provider (`claude`, `codex`), others by their id. */
export const discoveredLabel = (a: AccountConfig) => (a.id === 'default' ? a.provider : a.id)

/**
 * The shown accounts, or null when some new login has no verdict. Discovery asks about each new
 * login once, in order, as the account it will show: the verdicts are gathered as it asks.
 */
function shownBy(env: Env, home: string, judge: Judge): AccountConfig[] | null {
  const shown: AccountConfig[] = []
  let complete = true
  discoverWith([], env, home, (a) => {
    const v = judge(a)
    if (!v) complete = false
    else if ('skip' in v) return v.skip
    else shown.push(v.shown)
    return null
  })
  return complete ? shown : null
}

/** From memory alone, without zod: null when some login found is not remembered. */
export function rememberedShown(env: Env, paths: Pick<Paths, 'home' | 'cacheDir'>): AccountConfig[] | null {
  const memo = readMemo(paths.cacheDir)
  const shown = shownBy(env, paths.home, (a) => memo.get(JSON.stringify(a)))
  if (shown) writeDiscovered(paths.cacheDir, shown)
  return shown
}

/**
 * Through the schema: `judge` is the zod half (context-load.ts), handed each new login as
 * discovery proposes it. Its verdicts on the logins found this time are remembered; those of
 * logins gone are dropped.
 */
export function shownWithoutConfig(
  env: Env,
  paths: Pick<Paths, 'home' | 'cacheDir'>,
  judge: (account: AccountConfig) => Verdict,
): AccountConfig[] {
  const verdicts = new Map<string, Verdict>()
  const shown =
    shownBy(env, paths.home, (a) => {
      const v = judge(a)
      verdicts.set(JSON.stringify(a), v)
      return v
    }) ?? []
  writeMemo(paths.cacheDir, verdicts)
  writeDiscovered(paths.cacheDir, shown)
  return shown
}
