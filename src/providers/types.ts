import type { z } from 'zod'
import type { Env } from '../config/paths.js'
import type { Account, AccountConfig, ErrorInfo, FetchResult } from '../model.js'
import type { HttpError } from '../http.js'
import type { KeyVariable } from './env-keys.js'
import type { Advice } from './result.js'

/** Providers read the model types of their interface from here too. */
export type { Account, AccountConfig, FetchResult, KeyVariable }

/**
 * Stat and read helpers handed to a descriptor's discovery methods, so descriptors do no I/O of
 * their own (src/accounts/sources.ts has the machine's; tests may hand their own).
 */
export interface LookFs {
  exists(path: string): boolean
  isDir(path: string): boolean
  isFile(path: string): boolean
  /** Entry names of a dir, [] when it cannot be read. */
  list(dir: string): string[]
  /** A small text file; null when missing, unreadable or larger than `maxBytes`. */
  readText(path: string, maxBytes: number): string | null
}

/** Logins kept one per directory of the provider's own tool (`~/.claude`, `~/.codex-work`). */
export interface LoginDirs {
  /** The dir an account uses: its configDir, else the provider's default. */
  dirOf(account: AccountConfig, env: Env, home: string, fs: LookFs): string
  /** Candidate dirs on this machine, most standard first, with the id each account would get. */
  find(env: Env, home: string, fs: LookFs): { dir: string; id: string }[]
}

/** A login discovery found that is not a dir of LoginDirs or a key variable (a gh user). */
export interface FoundLogin {
  account: AccountConfig
  /** What the user recognises: `gh user alice (github.com)`. */
  source: string
  /** Where it lives, unique within the provider (see placeKeys). */
  place: string
}

/** How `accounts list` names where an account's login comes from (never the secret). */
export interface CredentialSource {
  kind: 'config-dir' | 'env' | 'command' | 'stored' | 'gh' | 'provider-default'
  /** A path, a variable's name, a command, a gh login: never the secret. */
  detail: string
  /** False when the dir or variable is missing, so the account cannot work as configured. */
  present: boolean
}

/**
 * Where an account's login lives and the variable that points the provider's own CLI at it, for
 * `CLAUDE_CONFIG_DIR=$(quotabar best claude --print config-dir) claude`.
 */
export type LoginPlace =
  | { ok: true; dir: string; envVar: string; envValue: string }
  | { ok: true; dir: string; envVar: null; why: string }
  | { ok: false; why: string }

/** The local usage-log formats src/logs/ reads. */
export type LogKind = 'claude' | 'codex' | 'opencode'

/**
 * The light half of a provider: plain data and path arithmetic only, because it runs on the
 * cached render path. Nothing here may import zod, undici or do I/O beyond what it is handed.
 * Only the fields above `credentialFiles` and `isActive` (without `fs`) are used by a render; the
 * optional rest serves discovery, `accounts list`, `best` and the local-log scan.
 */
export interface ProviderDescriptor {
  id: string
  name: string
  /** Glyphs for config `icons`: a Nerd Font code point and an emoji (absent: a generic one). */
  icons?: { nerd: string; emoji: string }
  /** The provider's own CLI, named in "run `claude` to log in again" messages. */
  loginCommand: string | null
  defaultRefreshSeconds: number
  /** Polling faster than this gets users rate-limited; configured values are raised to it. */
  minRefreshSeconds: number
  /** Files whose change (mtime/size) means the login may have changed. */
  credentialFiles(account: AccountConfig, env: Env, home: string): string[]
  /** Accounts to show when there is no config file at all (`exists`: a stat, nothing more). */
  defaultAccounts(env: Env, home: string, exists: (path: string) => boolean): AccountConfig[]
  /**
   * True when a new session of the provider's own CLI, started from this environment, would use
   * this account's login (its one default login: `~/.claude` unless CLAUDE_CONFIG_DIR, ...). Path
   * arithmetic on the render path; with `fs` (show, doctor, accounts list) it may read a small
   * file such as gh's hosts.yml.
   */
  isActive?(account: AccountConfig, env: Env, home: string, fs?: LookFs): boolean
  /** Variables holding its keys: `NAME` and `NAME_<SUFFIX>` (src/providers/env-keys.ts). */
  keyVariables?: KeyVariable[]
  /**
   * The variable an account with no apiKeyEnv, apiKeyCommand or stored key reads: `<NAME>_<ID>`
   * when set, else `<NAME>` (fallbackKeyEnv in src/providers/env-keys.ts).
   */
  keyFallback?: string
  /** Its logins are dirs of its own tool: discovery, `accounts list`, duplicate detection. */
  loginDirs?: LoginDirs
  /** Other logins on this machine (gh's users), for discovery. */
  findLogins?(env: Env, home: string, fs: LookFs): FoundLogin[]
  /** The places (FoundLogin.place) a configured account names, to match what discovery finds. */
  placesOf?(account: AccountConfig, env: Env, home: string, fs: LookFs): string[]
  /** `accounts list`, for a login that is neither a dir, a key nor a command. */
  loginSource?(account: AccountConfig, env: Env, home: string): CredentialSource | null
  /** Where the login lives and the variable that selects it (`best --print`); none: no dir. */
  loginPlace?(account: AccountConfig, env: Env, home: string, fs: LookFs): LoginPlace
  /** Why none of its accounts can be found on a machine: they exist only in the config file. */
  undiscoverable?: string
  /** Local usage logs its tool keeps: their format and the dirs that exist for this account. */
  localLogs?: {
    kind: LogKind
    /** The dir the format reads: the tool's config or data dir. */
    root(account: AccountConfig, env: Env, home: string): string
    /** The log dirs under `root` that exist (none: the account keeps no local logs). */
    dirs(root: string, home: string, fs: LookFs): string[]
  }
  /** Why this account cannot work as configured (a required field missing), beyond its login files. */
  problems?(account: AccountConfig, env: Env): string[]
}

/** Everything an adapter may touch, injected so tests control time, env and the network. */
export interface FetchContext {
  env: Env
  home: string
  now: () => Date
  timeoutMs: number
}

/**
 * What `doctor` may say about a login: where it was found, a fingerprint (never the secret),
 * expiry and scopes where the provider's file says. Read with the adapter's own read-only
 * readers, so it sees exactly what a fetch would.
 */
export interface CredentialInfo {
  /** null: this provider's credential is only read by its fetch (see the endpoint check). */
  found: boolean | null
  source: string | null
  /** `sha256:1a2b3c4d` of the token or key: tells two logins apart, reveals nothing. */
  fingerprint: string | null
  expiresAt: string | null
  scopes: string[] | null
  /** False when the scopes lack one the provider's endpoint needs. */
  scopesOk?: boolean
  email: string | null
  /** The plan the login file names (Claude, Codex), for when the cache has none yet. */
  plan: string | null
  /** Why the login cannot be used (missing, expired, wrong scope). */
  problem: ErrorInfo | null
  note: string | null
}

/** Who is logged in to a login dir: two dirs with the same identity are one account. */
export interface LoginIdentity {
  /** Stable within a provider: Claude's accountUuid, Codex's account/user ids, the Google account. */
  key: string
  email: string | null
}

/**
 * An account as its adapter gets it: its own fields typed by its provider's fields object
 * (fields.ts), read once when the account was loaded (parseAccount in ./fields.ts), defaults there.
 */
export type AccountWith<S extends z.ZodType> = Account & z.output<S>

/** What an adapter's `fix` hook may use to word its advice for a failed request. */
export interface FailedLogin<A extends Account = Account> {
  account: A
  env: Env
  home: string
  /** Where the refused credential came from (`$ZAI_API_KEY`, `gh`, a login file); null: not said. */
  source: string | null
  /** Only to tell key kinds apart by their prefix (`sk-admin-…`); never part of the advice. */
  secret: string | null
  /** The login's own "log in again" advice when its reader words one (Cursor, Kimi's CLI). */
  relogin: string | null
}

/**
 * The heavy half of a provider: reads credentials and fetches, loaded only by a refresh. `A` is
 * the account with its typed fields (AccountWith); an account whose fields broke its provider's
 * rule never reaches the adapter (fetchAccount in ./result.ts reports its `invalid` instead).
 */
export interface ProviderAdapter<A extends Account = Account> {
  id: string
  fetchUsage(account: A, ctx: FetchContext): Promise<FetchResult>
  /** `doctor`: the login as its file says. Absent: the key sources (apiKeyEnv, command, store). */
  inspect?(account: A, ctx: FetchContext): Promise<CredentialInfo>
  /** Who is logged in to one of its login dirs (read-only, public ids only), for duplicates. */
  identity?(dir: string, home: string): LoginIdentity | null
  /**
   * Provider-specific advice for a failed request (src/providers/result.ts `settle`); undefined
   * leaves it to the shared wording (`commonFix`). Every HTTP adapter maps its failures this way.
   */
  fix?(err: HttpError, login: FailedLogin<A>): Advice | undefined
}
