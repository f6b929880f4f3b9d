import type { Env } from '../config/paths.js'
import type { Config } from '../config/schema.js'
import { debug } from '../debug.js'
import { findOnPath, runCommand } from '../live/exec.js'
import { getDescriptor } from '../providers/descriptors.js'
import { clean, countdown, pct } from '../render/format.js'
import type { NotifyEvent } from './edges.js'

/** Hands events to `notify-send` (when installed and wanted) and to the user's hook. */

type NotificationConfig = NonNullable<Config['notifications']>

const HOOK_TIMEOUT_MS = 10_000
const NOTIFY_TIMEOUT_MS = 5_000

/** `15:40` in the local zone (the refresh inherits the user's TZ). */
function clock(iso: string | null): string {
  if (!iso) return 'soon'
  const d = new Date(Date.parse(iso) + 30_000) // to the nearest minute
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

export function describeEvent(e: NotifyEvent): { summary: string; body: string; urgent: boolean } {
  const who = `${getDescriptor(e.provider)?.name ?? e.provider} ${clean(e.label)}`
  const win = clean(e.windowLabel)
  const left = countdown(e.resetsAt, Date.parse(e.at))
  const reset = left ? `resets in ${left}` : 'no reset time known'
  switch (e.type) {
    case 'warning':
    case 'critical':
      return {
        summary: `${who}: ${win} at ${pct(e.usedPercent)}`,
        body: `above the ${e.type} threshold (${e.threshold}%) · ${reset}`,
        urgent: e.type === 'critical',
      }
    case 'full':
      return {
        summary: `${who}: ${win} limit reached`,
        body: `${pct(e.usedPercent)} used · ${reset}`,
        urgent: true,
      }
    case 'pace':
      return {
        summary: `${who}: ${win} limit runs out at ${clock(e.exhaustsAt)} at this pace`,
        body: `${pct(e.usedPercent)} used now · ${reset}`,
        urgent: false,
      }
    case 'reset':
      return {
        summary: `${who}: ${win} window reset`,
        body: `now at ${pct(e.usedPercent)} · ${reset}`,
        urgent: false,
      }
    default:
      return e.type satisfies never
  }
}

export async function deliverEvents(
  events: NotifyEvent[],
  config: NotificationConfig,
  env: Env,
): Promise<void> {
  const notifySend = config.notifySend ? findOnPath('notify-send', env) : null
  const hook =
    config.hook === undefined
      ? null
      : typeof config.hook === 'string'
        ? ['/bin/sh', '-c', config.hook]
        : config.hook
  for (const e of events) {
    const jobs: Promise<unknown>[] = []
    if (notifySend) {
      const d = describeEvent(e)
      const argv = [notifySend, '-a', 'quotabar', '-u', d.urgent ? 'critical' : 'normal', d.summary, d.body]
      jobs.push(
        runCommand(argv, { env, timeoutMs: NOTIFY_TIMEOUT_MS }).then((r) => report('notify-send', r.error)),
      )
    }
    if (hook) {
      const input = `${JSON.stringify(e)}\n`
      jobs.push(
        runCommand(hook, { env, input, timeoutMs: HOOK_TIMEOUT_MS, stderr: 'inherit' }).then((r) =>
          report('hook', r.error),
        ),
      )
    }
    await Promise.all(jobs)
  }
}

function report(what: string, error: string | null): void {
  if (error) debug(`notification ${what}: ${error}`)
}
