import type { CommandContext } from '../context.js'
import { debug } from '../debug.js'
import { notifyNewData } from '../notify/index.js'
import type { RefreshReport } from '../refresh.js'
import { nudgeBars } from './nudge.js'

/**
 * What follows a refresh that wrote the cache: notifications for the fetched accounts, then (for
 * the detached refresh and clicks, not for `watch`, which prints the change itself) a nudge so
 * interval bars show it now. Nothing here may fail the refresh that already happened.
 */
export async function afterRefresh(
  reports: RefreshReport[],
  ctx: Pick<CommandContext, 'env' | 'paths' | 'settings' | 'now'>,
  opts: { nudge: boolean },
): Promise<void> {
  const fetched = reports.filter((r) => r.outcome === 'fetched')
  if (fetched.length === 0) return
  try {
    await notifyNewData(fetched, {
      stateDir: ctx.paths.stateDir,
      settings: ctx.settings,
      env: ctx.env,
      now: ctx.now,
    })
    if (opts.nudge) await nudgeBars(ctx.settings.nudge, { env: ctx.env })
  } catch (err) {
    debug(`after refresh: ${err instanceof Error ? err.message : String(err)}`)
  }
}
