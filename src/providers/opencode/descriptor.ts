import { join } from 'node:path'
import { type Env, expandPath } from '../../config/paths.js'
import type { AccountConfig, ProviderDescriptor } from '../types.js'

/**
 * OpenCode keeps its sessions (SQLite `opencode.db`, legacy `storage/message/`) in its data dir:
 * `OPENCODE_DATA_DIR`, else `$XDG_DATA_HOME/opencode`, else `~/.local/share/opencode`.
 */
export function openCodeDataDir(account: Pick<AccountConfig, 'configDir'>, env: Env, home: string): string {
  if (account.configDir) return expandPath(account.configDir, env)
  if (env.OPENCODE_DATA_DIR) return expandPath(env.OPENCODE_DATA_DIR, env)
  const xdg = env.XDG_DATA_HOME?.startsWith('/') ? env.XDG_DATA_HOME : join(home, '.local', 'share')
  return join(xdg, 'opencode')
}

/** `opencode.db`, and `opencode-<channel>.db` for other release channels. */
export const isOpenCodeDb = (name: string) => name === 'opencode.db' || /^opencode-.+\.db$/.test(name)

export const openCodeDescriptor = {
  id: 'opencode',
  name: 'OpenCode',
  icons: { nerd: '\uf121', emoji: '💻' }, // nf-fa-code
  loginCommand: 'opencode',
  // Local files only, read incrementally: cheap, and no server to be polite to.
  defaultRefreshSeconds: 300,
  minRefreshSeconds: 60,
  // No login of its own matters here: the numbers come from the session files.
  credentialFiles: () => [],
  defaultAccounts(env, home, exists) {
    const dir = openCodeDataDir({}, env, home)
    return exists(dir)
      ? [{ provider: 'opencode', id: 'default', configDir: dir } satisfies AccountConfig]
      : []
  },
  localLogs: {
    kind: 'opencode',
    root: openCodeDataDir,
    dirs: (root, _home, fs) =>
      fs.list(root).some(isOpenCodeDb) || fs.exists(join(root, 'storage', 'message')) ? [root] : [],
  },
} satisfies ProviderDescriptor
