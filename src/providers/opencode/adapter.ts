import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { openCodeDbs } from '../../logs/opencode.js'
import type { Account, FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import { openCodeDataDir } from './descriptor.js'

/**
 * OpenCode has no usage endpoint: its numbers are the local session logs, which the refresh
 * reads for every log-backed account (src/logs/refresh-meters.ts, with the config's time zone and
 * `logs.enabled`) and puts on this snapshot as today / 5-hour block / week spend meters. This
 * adapter only checks that there is something to read: no network, no credentials.
 */
export const openCodeAdapter = {
  id: 'opencode',
  async fetchUsage(account: Account, ctx: FetchContext): Promise<FetchResult> {
    const dir = openCodeDataDir(account, ctx.env, ctx.home)
    if (openCodeDbs(dir).length === 0 && !existsSync(join(dir, 'storage', 'message'))) {
      return {
        ok: false,
        fingerprint: null,
        error: {
          kind: 'credentials',
          message: `no OpenCode sessions in ${dir} (no opencode.db, no storage/message/)`,
          fix: "run opencode once, or set this account's configDir (or OPENCODE_DATA_DIR) to its data directory",
          httpStatus: null,
        },
      }
    }
    return {
      ok: true,
      fingerprint: null,
      snapshot: { fetchedAt: ctx.now().toISOString(), plan: null, email: null, windows: [], spend: [] },
    }
  },
} satisfies ProviderAdapter
