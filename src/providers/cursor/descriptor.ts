import { join } from 'node:path'
import { type Env, expandPath } from '../../config/paths.js'
import type { AccountConfig, ProviderDescriptor } from '../types.js'

/**
 * Cursor keeps its login in the app's user data dir (one session per dir; `cursor
 * --user-data-dir DIR` starts another): `~/.config/Cursor` on Linux, `~/Library/Application
 * Support/Cursor` on macOS. Neither exists on the other system, so both are candidates everywhere.
 */
export function cursorDataDirs(env: Env, home: string): string[] {
  const xdg = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config')
  return [join(xdg, 'Cursor'), join(home, 'Library', 'Application Support', 'Cursor')]
}

export const stateDbPath = (dataDir: string) => join(dataDir, 'User', 'globalStorage', 'state.vscdb')

export const cursorDescriptor = {
  id: 'cursor',
  name: 'Cursor',
  icons: { nerd: '\uf245', emoji: '🖱️' }, // nf-fa-mouse_pointer
  loginCommand: 'cursor',
  // A monthly budget moves slowly; the web endpoint has undocumented (Vercel) limits, and each
  // refresh makes two requests (usage-summary plus the legacy request counter).
  defaultRefreshSeconds: 600,
  minRefreshSeconds: 300,
  credentialFiles(account, env, home) {
    if (account.configDir) return [stateDbPath(expandPath(account.configDir, env))]
    return cursorDataDirs(env, home).map(stateDbPath)
  },
  defaultAccounts(env, home, exists) {
    const dir = cursorDataDirs(env, home).find((d) => exists(join(d, 'User', 'globalStorage')))
    return dir ? [{ provider: 'cursor', id: 'default', configDir: dir } satisfies AccountConfig] : []
  },
  loginDirs: {
    dirOf(account, env, home, fs) {
      if (account.configDir) return expandPath(account.configDir, env)
      const dirs = cursorDataDirs(env, home)
      return dirs.find((d) => fs.isDir(join(d, 'User', 'globalStorage'))) ?? (dirs[0] as string)
    },
    find: (env, home, fs) =>
      cursorDataDirs(env, home)
        .filter((d) => fs.isDir(join(d, 'User', 'globalStorage')))
        .map((dir) => ({ dir, id: 'default' })),
  },
  loginPlace(account, env, home, fs) {
    const dir = account.configDir
      ? expandPath(account.configDir, env)
      : (cursorDataDirs(env, home).find((d) => fs.exists(stateDbPath(d))) ??
        (cursorDataDirs(env, home)[0] as string))
    return {
      ok: true,
      dir,
      envVar: null,
      why: `Cursor has no variable for it: run \`cursor --user-data-dir ${dir}\``,
    }
  },
} satisfies ProviderDescriptor
