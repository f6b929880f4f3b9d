import { type FSWatcher, mkdirSync, watch } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import type { LoopStats } from './loop.js'

/** The watch process's glue to the OS: file events, a fast clock for the bench, exit figures. */

/**
 * fs.watch on a directory (file events only shorten the loop's wait; its stat poll is what finds
 * changes, so a failing or missing watcher costs latency, nothing else). Our own cache and state
 * dirs are created; the config's directory is only watched if it exists.
 */
export function watchDir(dir: string, onChange: () => void, create: boolean): FSWatcher[] {
  try {
    if (create) mkdirSync(dir, { recursive: true, mode: 0o700 })
    const w = watch(dir, { persistent: false }, () => onChange())
    w.on('error', () => w.close())
    return [w]
  } catch {
    return []
  }
}

/** V8's flags that turn its optimising compiler off and on again, read by each tier-up decision. */
export const TIER_OFF = '--no-opt'
export const TIER_ON = '--opt'

/**
 * V8's optimising tier for a process that mostly sleeps. A watch renders a line a few times a
 * minute and never gets hot: what TurboFan compiled for it (on a helper thread, counted in the
 * process's CPU) was not paid back. Side by side at real speed (bench/watch.mjs, 6 accounts, five
 * rounds) a line cost 1.71-1.87 ms of CPU with the tier and 1.44-1.62 without. So the tier is off
 * while the watch only renders, and on while a refresh runs: that may scan a large log history,
 * where optimised code is worth having (a cold 200 MB scan: 0.63 s with it, 0.80-0.84 s without).
 */
export function idleTier(set: (flags: string) => void = setFlagsFromString) {
  let busy = 0
  set(TIER_OFF)
  return {
    async during<T>(work: () => Promise<T>): Promise<T> {
      if (busy++ === 0) set(TIER_ON)
      try {
        return await work()
      } finally {
        if (--busy === 0) set(TIER_OFF)
      }
    },
    /** The tier back on, for whatever the process does after the watch. */
    end: () => set(TIER_ON),
  }
}

/** bench/watch.mjs only (hidden --clock-speed): a clock running `speed` times faster from now. */
export function fastClock(base: () => Date, speed: number): () => Date {
  const start = base().getTime()
  const t0 = Date.now()
  return () => new Date(start + (Date.now() - t0) * speed)
}

/** Hidden --stats: CPU since the loop started, per printed line, and RSS at the first and last. */
export function statsLine(s: LoopStats, cpuStart: NodeJS.CpuUsage, rssStart: number) {
  const cpu = process.cpuUsage(cpuStart)
  return {
    ...s,
    cpuMs: Math.round((cpu.user + cpu.system) / 100) / 10,
    cpuMsPerLine: s.lines ? Math.round((cpu.user + cpu.system) / s.lines) / 1000 : null,
    rssStartKb: Math.round(rssStart / 1024),
    rssEndKb: Math.round(process.memoryUsage.rss() / 1024),
  }
}
