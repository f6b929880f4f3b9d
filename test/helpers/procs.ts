import { readdirSync, readFileSync } from 'node:fs'

/** Pids of the live processes whose environment holds `entry` (`NAME=value`), read from /proc. */
export function processesWith(entry: string): number[] {
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
  return pids.map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry)
    } catch {
      return false // gone meanwhile, or another user's
    }
  })
}

/** `pid: command line` of each process, for a failure message. */
export function describeProcesses(pids: number[]): string {
  return pids
    .map((pid) => {
      try {
        return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim()}`
      } catch {
        return `${pid}: (gone)`
      }
    })
    .join('; ')
}
