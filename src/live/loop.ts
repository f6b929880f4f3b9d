import type { RefreshMode } from '../cache/freshness.js'
import { debug } from '../debug.js'
import type { CacheEntry } from '../model.js'
import type { Account } from '../model.js'
import { nextChangeAt, nextDueAt } from './schedule.js'

/**
 * The heart of `quotabar watch`: one timer, re-armed each tick from the wall clock (never a
 * setInterval, whose error accumulates). A tick:
 *
 * 1. notices a clock jump — node's timers run on the monotonic clock, which stands still while
 *    the laptop sleeps, so a tick that lands far from where the wall clock says it should is a
 *    resume (or a SIGSTOP/SIGCONT from the bar, or a clock change): re-render and re-check;
 * 2. picks up what changed on disk (cache written by any quotabar process, config, click choice)
 *    when a file event says so, and every POLL_MS in case events do not work there;
 * 3. starts a refresh of the accounts that are due, in-process, under the same locks and
 *    cooldown rules as every one-shot process (so a render and a watch never both fetch);
 * 4. re-renders when the text can have changed (schedule.ts) and prints only a changed line.
 */

export interface LiveData {
  accounts: Account[]
  entries: (CacheEntry | null)[]
  /** Re-reads what changed on disk; true if anything did. */
  poll(): boolean
  /** The accounts isDue says to fetch now (in-flight ones are filtered by the loop). */
  due(now: Date): Account[]
}

export interface LoopDeps {
  data: LiveData
  now: () => Date
  wallNow: () => number
  /** One update's content (see frames.ts). */
  render: () => string
  /** Throws when the bar is gone (EPIPE): the loop stops and says so through onStop. */
  emit: (line: string) => void
  refresh: (accounts: Account[], mode: RefreshMode) => Promise<void>
  schedule: (fn: () => void, ms: number) => () => void
  onStop: (reason: 'output-closed') => void
  /** The longest sleep: how late a resume can be noticed. */
  tickMs: number
  /** With no data at all, how long the first line waits for the first fetch. */
  firstFetchWaitMs: number
}

/** A tick this far from its planned wall time means the clock jumped (suspend, SIGSTOP, date -s). */
export const JUMP_MS = 5_000
/** Login files can change at any time: isDue looks at them this often even when nothing is due. */
const DUE_CHECK_MS = 30_000
/**
 * File events (fs.watch) say when to look at the files; this is the safety net for file systems
 * without them. Most ticks only compare clocks: a tick costs a wake-up, not a dozen stat calls.
 */
const POLL_MS = 10_000
const MIN_DUE_GAP_MS = 1_000
/**
 * A bar that went away without signalling us (a wrapper shell between it and us) closes the pipe,
 * and only a write tells. Before fetching after a quiet spell, the last line is printed again —
 * the same line, so no bar shows a difference — and EPIPE ends the watch instead of costing
 * requests for nobody.
 */
const QUIET_MS = 60_000

export interface LoopStats {
  ticks: number
  renders: number
  lines: number
}

export function startLoop(deps: LoopDeps) {
  const { data } = deps
  const inFlight = new Set<string>()
  const stats: LoopStats = { ticks: 0, renders: 0, lines: 0 }
  let last: string | null = null
  let lastWrite = Number.NEGATIVE_INFINITY
  let cancel: (() => void) | null = null
  let plannedWall = deps.wallNow()
  let lastDueCheck = Number.NEGATIVE_INFINITY
  let lastPoll = Number.NEGATIVE_INFINITY
  let pollNeeded = true
  let lastNow = Number.NaN
  let renderAt = Number.NEGATIVE_INFINITY
  let dueAt = Number.NEGATIVE_INFINITY
  let waitingForFirst = false
  let cancelFirst: (() => void) | null = null
  let stopped = false

  const arm = (delay: number) => {
    cancel?.()
    plannedWall = deps.wallNow() + delay
    cancel = deps.schedule(tick, delay)
  }

  function render(nowMs: number): void {
    stats.renders++
    renderAt = nextChangeAt(data.entries, data.accounts, nowMs)
    const line = deps.render()
    if (line !== last) write(line)
  }

  function write(line: string): boolean {
    last = line
    try {
      deps.emit(line)
      stats.lines++
      lastWrite = deps.wallNow()
      return true
    } catch {
      stop()
      deps.onStop('output-closed')
      return false
    }
  }

  function startRefresh(accounts: Account[], mode: RefreshMode): void {
    const go = accounts.filter((a) => !inFlight.has(a.key))
    if (go.length === 0) return
    for (const a of go) inFlight.add(a.key)
    deps
      .refresh(go, mode)
      .catch((err) => debug(`watch refresh: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        for (const a of go) inFlight.delete(a.key)
        // Under DEBUG=quotabar: whatever this refresh would ask has been asked (tests wait for it).
        debug(`watch: refresh of ${go.length} account(s) settled`)
        if (waitingForFirst) {
          cancelFirst?.()
          cancelFirst = null
          waitingForFirst = false
        }
        pollNeeded = true
        if (!stopped) arm(0)
      })
  }

  function checkDue(now: Date): void {
    lastDueCheck = deps.wallNow()
    const due = data.due(now)
    if (due.length > 0 && last !== null && lastDueCheck - lastWrite >= QUIET_MS && !write(last)) return
    // Nothing to show for an account yet (start, a new account in the config): like a one-shot
    // render, hold the line a bounded time for its first fetch rather than print "--" first.
    if (due.some((a) => !inFlight.has(a.key) && !data.entries[data.accounts.indexOf(a)]?.snapshot)) holdLine()
    startRefresh(due, 'auto')
    dueAt = nextDueAt(data.entries, data.accounts, now.getTime())
  }

  function holdLine(): void {
    if (waitingForFirst) return
    waitingForFirst = true
    cancelFirst = deps.schedule(() => {
      cancelFirst = null
      waitingForFirst = false
      if (!stopped) arm(0)
    }, deps.firstFetchWaitMs)
  }

  function tick(): void {
    cancel = null
    if (stopped) return
    stats.ticks++
    const wall = deps.wallNow()
    const jumped = Math.abs(wall - plannedWall) > JUMP_MS
    if (jumped) debug(`watch: clock jumped ${Math.round((wall - plannedWall) / 1000)} s`)
    const now = deps.now()
    const nowMs = now.getTime()
    const changed = (pollNeeded || jumped || wall - lastPoll >= POLL_MS) && poll(wall)
    const sinceCheck = wall - lastDueCheck
    if (jumped || changed || sinceCheck >= DUE_CHECK_MS || (nowMs >= dueAt && sinceCheck >= MIN_DUE_GAP_MS))
      checkDue(now)
    // A line held for a first fetch waits (boundedly) for it, like a one-shot render does.
    if (!waitingForFirst && (jumped || changed || nowMs >= renderAt)) render(nowMs)
    if (stopped) return
    // Past due but not fetched (in flight, or another process holds the lock): look again later.
    const untilDue = dueAt > nowMs ? dueAt - nowMs : MIN_DUE_GAP_MS - (deps.wallNow() - lastDueCheck)
    // A clock that stands still (QUOTABAR_NOW) never reaches the next minute: just keep watching.
    const still = nowMs === lastNow
    lastNow = nowMs
    arm(still ? deps.tickMs : Math.min(Math.max(Math.min(renderAt - nowMs, untilDue), 50), deps.tickMs))
  }

  function poll(wall: number): boolean {
    pollNeeded = false
    lastPoll = wall
    return data.poll()
  }

  function stop(): void {
    stopped = true
    cancel?.()
    cancelFirst?.()
    cancel = cancelFirst = null
  }

  // Start: fetch what is due (the first line waits for it when there is nothing to show yet).
  poll(deps.wallNow())
  checkDue(deps.now())
  arm(0)

  return {
    stats,
    stop,
    /** SIGUSR1 / a middle click: fetch every account now (a provider's cooldown still holds). */
    refreshNow: () => startRefresh(data.accounts, 'manual'),
    /** Something outside changed (a file event, a click): look now. */
    poke: () => {
      pollNeeded = true
      if (!stopped) arm(0)
    },
  }
}
