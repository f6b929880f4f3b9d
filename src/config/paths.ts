import { join } from 'node:path'

export type Env = Record<string, string | undefined>

export interface Paths {
  home: string
  configFile: string
  cacheDir: string
  stateDir: string
}

/** XDG paths (design §2); the same layout on macOS. */
/** No file named by --config or $QUOTABAR_CONFIG: a missing default file means "the logins found". */
export const withoutConfig = (env: Env, configOverride: string | undefined) =>
  !configOverride && !env.QUOTABAR_CONFIG

export function resolvePaths(env: Env, configOverride?: string): Paths {
  const home = env.HOME || '/'
  const xdg = (name: string, fallback: string) => {
    const v = env[name]
    // XDG says relative values are invalid and must be ignored.
    return v?.startsWith('/') ? v : joinPath(home, fallback)
  }
  // joinPath: every render resolves these (path.join's string work: 0.07-0.14 ms of a 1.3-2.5 ms watch line).
  const configFile = configOverride
    ? expandPath(configOverride, env)
    : env.QUOTABAR_CONFIG
      ? expandPath(env.QUOTABAR_CONFIG, env)
      : joinPath(xdg('XDG_CONFIG_HOME', '.config'), 'quotabar', 'config.json')
  const cacheDir = env.QUOTABAR_CACHE_DIR
    ? expandPath(env.QUOTABAR_CACHE_DIR, env)
    : joinPath(xdg('XDG_CACHE_HOME', '.cache'), 'quotabar')
  return { home, configFile, cacheDir, stateDir: joinPath(xdg('XDG_STATE_HOME', '.local/state'), 'quotabar') }
}

// A `/` starting an empty, `.` or `..` segment, or a trailing one: what path.join/resolve rewrite.
const ODD_SEGMENT = /\/\.{0,2}(?:\/|$)/

/** An absolute path that path.resolve (and path.join) return unchanged: no string work needed. */
export function isNormalAbsolute(p: string): boolean {
  return p[0] === '/' && !ODD_SEGMENT.test(p)
}

/**
 * `path.join` for the render path, which joins a few names per account: joining costs its string
 * work (about 1.5 KB of garbage a call, measured), a concatenation that is already normal does not.
 */
export function joinPath(base: string, ...names: string[]): string {
  const joined = `${base}/${names.join('/')}`
  return base !== '' && isNormalAbsolute(joined) ? joined : join(base, ...names)
}

/** Expands a leading `~` and `$VAR` / `${VAR}` (unset variables expand to ""). */
export function expandPath(p: string, env: Env): string {
  // The common case (a plain path) costs the render nothing per account.
  if (!p.includes('$') && p[0] !== '~') return p
  const home = env.HOME || '/'
  let out = p.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_, a, b) => env[a ?? b] ?? '',
  )
  if (out === '~') out = home
  else if (out.startsWith('~/')) out = join(home, out.slice(2))
  return out
}

/**
 * The clock. `QUOTABAR_NOW` (an ISO time) pins it, so tests and reproductions of a countdown
 * do not depend on when they run; it is passed on to the detached refresh with the environment.
 */
export function clockFrom(env: Env): () => Date {
  const pinned = env.QUOTABAR_NOW ? Date.parse(env.QUOTABAR_NOW) : Number.NaN
  return Number.isNaN(pinned) ? () => new Date() : () => new Date(pinned)
}
