import { join } from 'node:path'
import { clockFrom, resolvePaths } from '../config/paths.js'
import { BAR_FORMATS, type Format } from '../render/index.js'
import { runStatus, type StatusDeps, type StatusRequest, type ValidateConfig } from '../status.js'
import { commandWord, parseBackground, parseFast, parseHook } from './args.js'
import type { Rendered } from '../render/types.js'
import { saveMemo } from './memo-save.js'
import { type RenderRecord, recordingEnv } from './render-record.js'
import { exitWhenIdle } from './exit-idle.js'
import { renderProblem, spawnRefresh } from './io.js'
import { writeFd } from './write-fd.js'

/**
 * What the `quotabar` bin (./bin.ts) runs. Bars run it every few seconds, so the common call
 * (`[status]` with a few flags) is parsed by hand and served from the cache without loading yargs,
 * zod or undici. Anything else goes to the full CLI in ./full.cjs.
 */

type FullCli = typeof import('./main.js')
type HookCli = typeof import('./hook.js')
type BackgroundCli = typeof import('./background.js')

type CodeCache = typeof import('./code-cache.js')

/**
 * The `require` Node gave the bin, when it handed this bundle a recording one (./render-record.ts):
 * the side bundles get Node's own, so no command but a render goes through the record.
 */
let nodeRequire: (id: string) => unknown = require

/** A side bundle next to the bin, through the code cache (loaded only here: renders never pay). */
function load<T>(name: string, part?: string): T {
  const { requireBundle }: CodeCache = require('./code-cache.js')
  return requireBundle(join(__dirname, name), resolvePaths(process.env).cacheDir, part, nodeRequire) as T
}

/** The full CLI; `part`: the command whose compiled code its cache should hold too (code-cache.ts). */
const loadFull = (part: string | undefined) => load<FullCli>('full.cjs', part)

/** A render the bin may keep as a memo (./render-memo.ts): what it read goes into `record`. */
export interface MemoCall {
  record: RenderRecord
  key: string
  cacheDir: string
  /** Node's own `require`, for the side bundles. */
  require: (id: string) => unknown
}

/**
 * `bin`: the command a detached refresh is started with; `onRender`: told when a render wrote a
 * line showing cached accounts (the bin keeps its code cache only from such a run); `memo`: the
 * bin's record of this call, when its line may be kept.
 */
export function main(bin: string, onRender?: () => void, memo?: MemoCall): void {
  const argv = process.argv.slice(2)
  if (memo) nodeRequire = memo.require
  const hook = parseHook(argv)
  if (hook) {
    // Claude Code's status line: no yargs, no undici, a fraction of the full CLI's start-up.
    const { runHook } = load<HookCli>('hook.cjs')
    void runHook(hook)
    return
  }
  const background = parseBackground(argv)
  if (background) {
    // The detached refresh a render started: its own bundle, without yargs.
    const { runBackgroundRefresh } = load<BackgroundCli>('refresh.cjs')
    runBackgroundRefresh(background.keys, background.token, background.config).then(
      () => exitWhenIdle(),
      (err: unknown) => {
        writeFd(2, `quotabar: ${err instanceof Error ? err.message : String(err)}\n`)
        process.exitCode = 1
      },
    )
    return
  }
  const env = memo ? recordingEnv(memo.record, process.env) : process.env
  if (memo) {
    memo.record.active = true
    // Clock times are shown local: V8 reads the zone itself, from TZ or /etc/localtime.
    void env.TZ
    memo.record.see('/etc/localtime')
  }
  const req = parseFast(argv, env)
  if (!req) {
    if (memo) memo.record.active = false
    loadFull(commandWord(argv))
      .main(argv)
      .then((code) => {
        process.exitCode = code
        exitWhenIdle()
      })
    return
  }
  try {
    const validate: () => ValidateConfig = () => {
      memo?.record.taint('the config validated')
      return loadFull('status').validateConfig
    }
    const clock = clockFrom(env)
    let at = 0
    const deps: StatusDeps = {
      env,
      now: () => {
        const t = clock()
        at = t.getTime()
        return t
      },
      validateConfig: validate,
      startRefresh: (keys, token, configFile) => spawnRefresh(bin, keys, token, configFile),
      warn: (line) => writeFd(2, `quotabar: ${line}\n`),
      shown: onRender,
    }
    const out = runStatus(req, deps)
    writeFd(1, `${out.text}\n`)
    process.exitCode = out.exitCode
    if (memo && BAR_FORMATS.has(req.format) && !req.demo)
      saveMemo(memo.record, memo.cacheDir, memo.key, out, at, (t) => renderAt(req, deps, t))
  } catch (err) {
    failSafe(req.format, err)
  }
  // A render is synchronous from start to end and its line is written: leaving here skips about
  // 1 ms of Node's end-of-loop work (measured against a natural exit), a sixth of a render's budget.
  process.exit()
}

const NOT_THE_SAME = new Error('a render at a later instant would do more than read')

/**
 * The line a render at instant `t` would print, rendering from the files as they are now; null when
 * that render would not be a plain read: an account falls due (a refresh would start), a warning.
 */
function renderAt(req: StatusRequest, deps: StatusDeps, t: number): Rendered | null {
  const stop = (): never => {
    throw NOT_THE_SAME
  }
  try {
    return runStatus(req, {
      ...deps,
      now: () => new Date(t),
      validateConfig: stop,
      // `due` stops first (status.ts asks it before locking); this one only makes sure a probe at
      // a later instant can never spawn a refresh (startDueRefresh swallows the throw: no spawn).
      startRefresh: stop,
      warn: stop,
      shown: undefined,
      due: stop,
    })
  } catch (err) {
    if (err === NOT_THE_SAME) return null
    throw err
  }
}

/** A bug must not hide the bar module: bar formats still get a valid line with the reason. */
function failSafe(format: Format, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err)
  if (process.env.DEBUG?.includes('quotabar') && err instanceof Error) writeFd(2, `${err.stack}\n`)
  if (BAR_FORMATS.has(format)) {
    const fix = 'run `quotabar doctor` or report this with DEBUG=quotabar output'
    const out = renderProblem(
      format,
      { kind: 'schema', message: `internal error: ${message}`, fix, httpStatus: null },
      new Date(),
    )
    writeFd(1, `${out.text}\n`)
    process.exitCode = 0
  } else {
    writeFd(2, `quotabar: ${message}\n`)
    process.exitCode = 1
  }
}
