import { resolveAccounts } from '../config/accounts.js'
import { refreshAccounts } from '../refresh.js'
import { loadContext } from './context.js'
import type { Command } from './registry.js'
import { optionalString } from './status-cmd.js'

/**
 * `quotabar __refresh --token T KEY..`: the detached refresh a render started. The render holds the
 * accounts' locks and hands them to this process; it fetches, writes the cache and releases them.
 */
export async function runBackgroundRefresh(keys: string[], token: string, configFile: string | undefined) {
  const ctx = loadContext(process.env, configFile)
  const accounts = resolveAccounts(ctx.settings).filter((a) => keys.includes(a.key))
  await refreshAccounts(
    accounts,
    {
      env: ctx.env,
      home: ctx.paths.home,
      cacheDir: ctx.paths.cacheDir,
      now: ctx.now,
      timeoutMs: ctx.settings.timeoutSeconds * 1000,
    },
    { mode: 'auto', heldToken: token },
  )
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
      await runBackgroundRefresh(args.keys, args.token, optionalString(args.config))
      done(0)
    },
  })
