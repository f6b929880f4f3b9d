import { join } from 'node:path'
import { clockFrom, resolvePaths } from '../config/paths.js'
import { BAR_FORMATS, type Format } from '../render/index.js'
import { runStatus, type ValidateConfig } from '../status.js'
import { commandWord, parseBackground, parseFast, parseHook } from './args.js'
import { renderProblem, spawnRefresh, writeFd } from './io.js'

/**
 * What the `quotabar` bin (./bin.ts) runs. Bars run it every few seconds, so the common call
 * (`[status]` with a few flags) is parsed by hand and served from the cache without loading yargs,
 * zod or undici. Anything else goes to the full CLI in ./full.cjs.
 */

type FullCli = typeof import('./main.js')
type HookCli = typeof import('./hook.js')
type BackgroundCli = typeof import('./background.js')

type CodeCache = typeof import('./code-cache.js')

/** A side bundle next to the bin, through the code cache (loaded only here: renders never pay). */
function load<T>(name: string, part?: string): T {
  const { requireBundle }: CodeCache = require('./code-cache.js')
  return requireBundle(join(__dirname, name), resolvePaths(process.env).cacheDir, part) as T
}

/** The full CLI; `part`: the command whose compiled code its cache should hold too (code-cache.ts). */
const loadFull = (part: string | undefined) => load<FullCli>('full.cjs', part)

/**
 * `bin`: the command a detached refresh is started with; `onRender`: told when a render wrote a
 * line showing cached accounts (the bin keeps its code cache only from such a run).
 */
export function main(bin: string, onRender?: () => void): void {
  const argv = process.argv.slice(2)
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
    runBackgroundRefresh(background.keys, background.token, background.config).catch((err: unknown) => {
      writeFd(2, `quotabar: ${err instanceof Error ? err.message : String(err)}\n`)
      process.exitCode = 1
    })
    return
  }
  const req = parseFast(argv)
  if (!req) {
    loadFull(commandWord(argv))
      .main(argv)
      .then((code) => {
        process.exitCode = code
      })
    return
  }
  try {
    const validate: () => ValidateConfig = () => loadFull('status').validateConfig
    const out = runStatus(req, {
      env: process.env,
      now: clockFrom(process.env),
      validateConfig: validate,
      startRefresh: (keys, token, configFile) => spawnRefresh(bin, keys, token, configFile),
      warn: (line) => writeFd(2, `quotabar: ${line}\n`),
      shown: onRender,
    })
    writeFd(1, `${out.text}\n`)
    process.exitCode = out.exitCode
  } catch (err) {
    failSafe(req.format, err)
  }
  // A render is synchronous from start to end and its line is written: leaving here skips about
  // 1 ms of Node's end-of-loop work (measured against a natural exit), a sixth of a render's budget.
  process.exit()
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
