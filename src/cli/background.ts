import { resolveAccounts } from '../config/accounts.js'
import { afterRefresh } from '../live/new-data.js'
import { refreshAccounts } from '../refresh.js'
import { loadContext, refreshDeps } from '../context.js'
import type { Command } from './registry.js'
import { traceRefresh } from './refresh-trace.js'

/**
 * `quotabar __refresh --token T KEY..`: the detached refresh a render started. The render holds the
 * accounts' locks and hands them to this process; it fetches, writes the cache and releases them,
 * then announces crossed thresholds (config `notifications`) and wakes the bars (config `nudge`).
 * The bin parses this argv itself (args.ts parseBackground) and loads only this file's bundle,
 * dist/refresh.cjs, without yargs; the yargs command stays for a hand-typed `__refresh`.
 */
export async function runBackgroundRefresh(keys: string[], token: string, configFile: string | undefined) {
  traceRefresh(process.env)
  const ctx = await loadContext(process.env, configFile)
  const accounts = resolveAccounts(ctx.settings).filter((a) => keys.includes(a.key))
  const reports = await refreshAccounts(accounts, refreshDeps(ctx), { mode: 'auto', heldToken: token })
  await afterRefresh(reports, ctx, { nudge: true })
}

export const backgroundCommand: Command = (y, done) =>
  y.command({
    command: '__refresh [keys..]',
    describe: false,
    builder: (c) =>
      c
        .option('token', { type: 'string', demandOption: true })
        .positional('keys', { type: 'string', array: true, default: [] as string[] }),
    handler: async (args) => {
      await runBackgroundRefresh(
        args.keys,
        args.token,
        typeof args.config === 'string' ? args.config : undefined,
      )
      done(0)
    },
  })
