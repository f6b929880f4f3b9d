import { join } from 'node:path'
import type { Env } from '../config/paths.js'
import { samePath } from './same-path.js'
import type { AccountConfig, LookFs, ProviderDescriptor } from './types.js'

/**
 * What the dir-based descriptors' `loginDirs.find` share: the standard dir, the one an
 * environment variable names, and `~/.tool-*` siblings. Through the handed LookFs only.
 */

/** `~/.claude-*` style siblings holding one of `markers`, sorted by name. */
export function siblings(fs: LookFs, home: string, prefix: string, markers: string[]): string[] {
  return fs
    .list(home)
    .filter((n) => n.startsWith(prefix) && n.length > prefix.length)
    .sort()
    .map((n) => join(home, n))
    .filter((d) => fs.isDir(d) && markers.some((m) => fs.isFile(join(d, m))))
}

/** The standard dir (`default`), the env variable's (its name's id, else `env`), then `others`. */
export function standardEnvSiblings(
  fs: LookFs,
  standard: string,
  fromEnv: string | undefined,
  others: string[],
  idOf: (dir: string) => string,
): { dir: string; id: string }[] {
  const out: { dir: string; id: string }[] = []
  if (fs.isDir(standard)) out.push({ dir: standard, id: 'default' })
  if (fromEnv && fs.isDir(fromEnv)) {
    const id = idOf(fromEnv)
    out.push({ dir: fromEnv, id: id === 'default' ? 'env' : id })
  }
  for (const dir of others) out.push({ dir, id: idOf(dir) })
  return out
}

/**
 * A tool that keeps one login per home dir: `~/<dirName>` unless `envVar` names another, and
 * `~/<dirName>-*` siblings holding one of `markers` (Claude Code, Codex). Its discovery, the
 * variable that selects a dir for `best --print`, and the active check (a new session uses the
 * dir `envVar` or the standard one names).
 */
export function toolHomeLogins(spec: {
  dirName: string
  envVar: string
  markers: string[]
  dirOf: (account: Pick<AccountConfig, 'configDir'>, env: Env, home: string) => string
  idOf: (dir: string) => string
}): Required<Pick<ProviderDescriptor, 'loginDirs' | 'loginPlace' | 'isActive'>> {
  return {
    loginDirs: {
      dirOf: spec.dirOf,
      find: (env, home, fs) =>
        standardEnvSiblings(
          fs,
          join(home, spec.dirName),
          env[spec.envVar],
          siblings(fs, home, `${spec.dirName}-`, spec.markers),
          spec.idOf,
        ),
    },
    loginPlace(account, env, home) {
      const dir = spec.dirOf(account, env, home)
      return { ok: true, dir, envVar: spec.envVar, envValue: dir }
    },
    isActive: (account, env, home) => samePath(spec.dirOf(account, env, home), spec.dirOf({}, env, home)),
  }
}
