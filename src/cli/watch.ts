import { dirname, join } from 'node:path'
import type { RefreshMode } from '../cache/freshness.js'
import { clockFrom, resolvePaths } from '../config/paths.js'
import { debug } from '../debug.js'
import { applyClick } from '../live/click-action.js'
import { readClicks } from '../live/clicks.js'
import { watchData } from '../live/data.js'
import { frame, updateLine, WATCH_FORMATS, type WatchFormat } from '../live/frames.js'
import { startLoop } from '../live/loop.js'
import { afterRefresh } from '../live/new-data.js'
import { keptReads } from '../live/reads.js'
import { fastClock, idleTier, statsLine, watchDir } from '../live/process.js'
import type { Account } from '../model.js'
import { refreshAccounts } from '../refresh.js'
import { ICON_STYLES, type IconStyle } from '../render/icons.js'
import { parseTemplate } from '../render/template.js'
import { runStatus } from '../status.js'
import { refreshDeps } from '../context.js'
import { loadContextSync, validateConfig } from '../context-load.js'
import { writeFd } from './write-fd.js'
import { accountOption, optionalString } from './options.js'
import type { Command } from './registry.js'

const HELP = `One process, one line per change, for bars that keep a module running:
  Waybar     "exec": "quotabar watch -f waybar", "return-type": "json", and no "interval"
  i3blocks   command=quotabar watch -f i3blocks  with  interval=persist  and  format=json
  polybar    exec = quotabar watch -f polybar  with  tail = true
  sway / i3  bar { status_command quotabar watch -f i3bar }  (clicks arrive on stdin)
  tmux       set -g status-right '#(quotabar watch -f tmux)'
Each account refreshes on its own schedule, under the same cache, locks and cooldowns as the
one-shot command (a bar running both never fetches twice). SIGUSR1 refreshes now:
  pkill -USR1 -f 'quotabar watch'
Changes written by other quotabar processes and clicks (quotabar click) show at once. After a
suspend the next line is correct within seconds. Exits 0 on SIGTERM, SIGINT or when the bar
closes the pipe.`

/**
 * The longest sleep between ticks, so how late a resume from suspend is noticed. Renders, due
 * checks and file events arm their own shorter waits; each extra wake-up of a mostly idle process
 * costs CPU (a 2 s tick was about a third of a watch's CPU at real speed), so ten seconds: the
 * file-stat safety net (loop.ts POLL_MS) runs on the same cadence.
 */
const DEFAULT_TICK_MS = 10_000

export interface WatchOptions {
  format: WatchFormat
  selectors: string[]
  window: string
  config?: string
  /** Show emails as `a…@domain` (also config `privacy.redact`). */
  redact?: boolean
  /** `--text` and `--icons`, as for a one-shot render. */
  text?: string
  icons?: IconStyle
  /** Hidden, for bench/watch.mjs: the longest sleep between ticks. */
  tickMs?: number
  /** Hidden, for bench/watch.mjs: the clock runs this many times faster than real time. */
  clockSpeed?: number
  /** Hidden: CPU and memory figures as one JSON line on stderr at exit. */
  stats?: boolean
}

/** Runs until SIGTERM/SIGINT/SIGHUP or a closed stdout; resolves with the exit code (0). */
export function runWatch(o: WatchOptions): Promise<number> {
  const env = process.env
  const paths = resolvePaths(env, o.config)
  const now = o.clockSpeed ? fastClock(clockFrom(env), o.clockSpeed) : clockFrom(env)
  const data = watchData({ env, paths }, () => loadContextSync(env, o.config).settings, o.selectors)
  data.poll()
  const req = {
    format: o.format,
    selectors: o.selectors,
    window: o.window,
    demo: false,
    config: o.config,
    refresh: false,
    redact: o.redact,
    text: o.text === undefined ? undefined : parseTemplate(o.text),
    icons: o.icons,
  }
  const statusDeps = {
    env,
    now,
    validateConfig: () => validateConfig,
    startRefresh: () => null,
    reads: keptReads(),
  }
  const cpuStart = process.cpuUsage()
  let rssStart = 0
  let n = 0

  const tier = idleTier()
  const refresh = (accounts: Account[], mode: RefreshMode) =>
    tier.during(async () => {
      const ctx = { env, paths, settings: data.settings, now }
      const reports = await refreshAccounts(accounts, refreshDeps(ctx), { mode })
      await afterRefresh(reports, ctx, { nudge: false })
    })

  return new Promise((resolve) => {
    const loop = startLoop({
      data,
      now,
      wallNow: Date.now,
      render: () => updateLine(o.format, runStatus(req, statusDeps)),
      emit: (line) => {
        writeFd(1, frame(o.format, line, n))
        if (n++ === 0) rssStart = process.memoryUsage.rss()
      },
      refresh,
      schedule: (fn, ms) => {
        const t = setTimeout(fn, ms)
        return () => clearTimeout(t)
      },
      onStop: () => finish(),
      tickMs: o.tickMs ?? DEFAULT_TICK_MS,
      firstFetchWaitMs: data.settings.firstFetchWaitMs,
    })
    // File events only shorten the wait: the tick's stat poll is what finds changes.
    const watchers = [
      ...[join(paths.cacheDir, 'accounts'), paths.stateDir].flatMap((dir) => watchDir(dir, loop.poke, true)),
      ...watchDir(dirname(paths.configFile), loop.poke, false),
    ]
    const stopClicks =
      o.format === 'i3bar' || o.format === 'i3blocks'
        ? readClicks(process.stdin, (e) => {
            try {
              const r = applyClick(
                e.button,
                data.accounts.map((a) => a.key),
                data.entries,
                paths.stateDir,
              )
              if (r.action === 'refresh') loop.refreshNow()
              else loop.poke()
            } catch (err) {
              debug(`watch click: ${err instanceof Error ? err.message : String(err)}`)
            }
          })
        : null
    const onRefresh = () => loop.refreshNow()
    const onEnd = () => finish()
    const ends = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const
    process.on('SIGUSR1', onRefresh)
    for (const s of ends) process.on(s, onEnd)
    let finished = false

    function finish(): void {
      if (finished) return
      finished = true
      loop.stop()
      stopClicks?.()
      for (const w of watchers) w.close()
      process.off('SIGUSR1', onRefresh)
      for (const s of ends) process.off(s, onEnd)
      if (o.stats) writeFd(2, `${JSON.stringify(statsLine(loop.stats, cpuStart, rssStart))}\n`)
      tier.end()
      resolve(0)
      // A fetch still in flight must not hold the exit: its lock dies with us and is taken over.
      setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref()
    }
  })
}

export const watchCommand: Command = (y, done) =>
  y.command(
    'watch',
    'keep running and print one line per change (Waybar continuous, i3blocks persist, polybar tail, swaybar/i3bar)',
    (c) =>
      c
        .option('format', {
          alias: 'f',
          choices: WATCH_FORMATS,
          default: 'plain' as WatchFormat,
          describe: 'output format',
        })
        .option('account', accountOption())
        .option('window', {
          type: 'string',
          default: 'auto',
          requiresArg: true,
          describe: 'window that drives the short text',
        })
        .option('text', { type: 'string', describe: 'the short text per account (see quotabar --help)' })
        .option('icons', { choices: ICON_STYLES, describe: 'glyphs in text and tooltip' })
        .option('tick-ms', { type: 'number', hidden: true })
        .option('clock-speed', { type: 'number', hidden: true })
        .option('stats', { type: 'boolean', hidden: true })
        .epilogue(HELP),
    async (args) => {
      const code = await runWatch({
        format: args.format,
        selectors: args.account,
        window: args.window,
        config: optionalString(args.config),
        redact: args.redact === true,
        text: args.text,
        icons: args.icons,
        tickMs: args['tick-ms'],
        clockSpeed: args['clock-speed'],
        stats: args.stats,
      })
      done(code)
    },
  )
