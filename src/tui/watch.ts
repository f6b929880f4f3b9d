import { dueAccounts, refreshNow } from '../accounts/views.js'
import type { RefreshMode } from '../cache/freshness.js'
import { debug } from '../debug.js'

/**
 * `show --watch`: redraws in place every second (countdowns tick from the cached reset times, and
 * refreshes by other quotabar processes show up), fetches due accounts on schedule in-process
 * (same cache, same locks as the bar), `r` fetches now, `q` / Ctrl-C quit and restore the terminal.
 */

export interface Screen {
  /** The frame to draw; `refreshing` while a fetch is in flight. */
  frame(state: { refreshing: boolean; columns: number; rows: number }): string[]
}

export interface WatchIo {
  stdin: NodeJS.ReadStream
  stdout: NodeJS.WriteStream
  /** Tick length; tests of the loop may shorten it. */
  tickMs?: number
}

// Alternate screen, hidden cursor, no auto-wrap (a line too long is clipped, not wrapped).
const ENTER = '\x1b[?1049h\x1b[?25l\x1b[?7l'
const LEAVE = '\x1b[?7h\x1b[?25h\x1b[?1049l'

type RefreshCtx = Parameters<typeof refreshNow>[0]
type Accounts = Parameters<typeof refreshNow>[1]

export function runWatch(ctx: RefreshCtx, accounts: Accounts, screen: Screen, io: WatchIo): Promise<number> {
  const { stdin, stdout } = io
  return new Promise((resolve) => {
    let refreshing = false
    let closed = false
    let timer: NodeJS.Timeout | undefined
    const draw = () => {
      if (closed) return
      const rows = stdout.rows || 24
      const lines = screen.frame({ refreshing, columns: stdout.columns || 80, rows }).slice(0, rows)
      // Lines end with an explicit CR LF (raw mode may turn output processing off). Each line is
      // cleared before it is written, and the rest of the screen from the line after the last:
      // with auto-wrap off the cursor stays on a line that fills the width, and erasing from
      // there would take its last character with it.
      const rest = lines.length < rows ? '\r\n\x1b[J' : ''
      stdout.write(`\x1b[H${lines.map((l) => `\x1b[2K${l}`).join('\r\n')}${rest}`)
    }
    const refresh = async (mode: RefreshMode) => {
      if (refreshing || closed) return
      if (mode === 'auto' && dueAccounts(ctx, accounts).length === 0) return
      refreshing = true
      draw()
      try {
        await refreshNow(ctx, accounts, mode)
      } catch (err) {
        debug(`watch refresh failed: ${err instanceof Error ? err.message : String(err)}`)
      } finally {
        refreshing = false
        draw()
      }
    }
    const onKey = (data: Buffer | string) => {
      const key = data.toString()
      if (key === 'q' || key === 'Q' || key === '\x03' || key === '\x1b') quit()
      else if (key === 'r' || key === 'R') void refresh('manual')
      else if (key === '\x0c') draw()
    }
    const restore = () => {
      if (stdin.isTTY) stdin.setRawMode(false)
      stdout.write(LEAVE)
    }
    const quit = () => {
      if (closed) return
      closed = true
      clearInterval(timer)
      stdin.off('data', onKey)
      stdin.pause()
      stdout.off('resize', draw)
      for (const s of SIGNALS) process.off(s, quit)
      process.off('exit', restore)
      restore()
      resolve(0)
    }
    const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
    for (const s of SIGNALS) process.on(s, quit)
    process.on('exit', restore)
    stdout.write(ENTER)
    if (stdin.isTTY) stdin.setRawMode(true)
    stdin.on('data', onKey)
    stdin.resume()
    stdout.on('resize', draw)
    timer = setInterval(() => {
      draw()
      void refresh('auto')
    }, io.tickMs ?? 1000)
    draw()
    void refresh('auto')
  })
}
