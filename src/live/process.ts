import { type FSWatcher, mkdirSync, watch } from 'node:fs'
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
