import { execFile } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'
import type { Env } from '../../config/paths.js'
import type { ErrorInfo } from '../../model.js'
import { resolveApiKey } from '../../secrets.js'
import type { Account, CredentialInfo, FetchContext } from '../types.js'
import { ghConfigDir } from './descriptor.js'
import type { CopilotAccount } from './fields.js'
import { fingerprintOf } from '../fingerprint.js'
import { credentialFingerprint, failedCredential, NOTHING_KNOWN } from '../credential-info.js'

/**
 * The GitHub OAuth token `/copilot_internal/user` accepts. From `apiKeyEnv` / `apiKeyCommand` (or
 * a stored key) when the account has one, else from `gh auth token`: gh keeps its tokens in the OS
 * keyring, so asking gh is the only read-only way in. gh's output is never echoed: it is the secret.
 */

export interface CopilotOptions {
  githubUser: string | null
  hostname: string | null
}

export interface CopilotToken {
  secret: string
  /** `gh` or where resolveApiKey found it (`$GH_TOKEN`, `apiKeyCommand`, ...). */
  source: string
  fingerprint: string
}

type Failure = { ok: false; error: ErrorInfo }

const GH_MAX_BYTES = 16 * 1024

const fail = (kind: ErrorInfo['kind'], message: string, fix: string): Failure => ({
  ok: false,
  error: { kind, message, fix, httpStatus: null },
})

/**
 * The gh login and host of an account, typed when the account was read (fields.ts): the values go
 * to gh as arguments, and the patterns there let nothing start with `-` and read as a flag.
 */
export function copilotOptions(
  account: Partial<Pick<CopilotAccount, 'githubUser' | 'hostname'>>,
): CopilotOptions {
  return { githubUser: account.githubUser ?? null, hostname: account.hostname ?? null }
}

/**
 * The API origin for a GitHub host: `baseUrl` wins; github.com (the default) keeps the documented
 * origin; a GHE.com host `<sub>.ghe.com` has its API at `api.<sub>.ghe.com`.
 */
export function githubApiOrigin(hostname: string | null, baseUrl: string | undefined): string | undefined {
  return baseUrl ?? (hostname && hostname !== 'github.com' ? `https://api.${hostname}` : undefined)
}

/** `gh auth login` cannot pick the account itself: the user signs in as that login in the browser. */
export function ghLoginFix(o: CopilotOptions): string {
  const cmd = `\`gh auth login${o.hostname ? ` --hostname ${o.hostname}` : ''}\``
  return o.githubUser
    ? `run ${cmd} and sign in as ${o.githubUser} (gh 2.40+ keeps several accounts; \`gh auth status\` lists them)`
    : `run ${cmd}`
}

export function findExecutable(name: string, pathVar: string | undefined): string | null {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue
    const file = join(dir, name)
    try {
      accessSync(file, constants.X_OK)
      if (statSync(file).isFile()) return file
    } catch {}
  }
  return null
}

// A token is one printable word; anything else (a prompt, a warning) is not used and not shown.
const looksLikeToken = (s: string) => /^[\x21-\x7e]{8,1024}$/.test(s)

function runGh(
  file: string,
  args: string[],
  env: Env,
  timeoutMs: number,
): Promise<
  { ok: true; stdout: string } | { ok: false; why: 'timeout' | 'too-large' | 'exit'; code: string }
> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env, timeout: timeoutMs, maxBuffer: GH_MAX_BYTES, encoding: 'utf8', windowsHide: true },
      (err, stdout) => {
        if (!err) return resolve({ ok: true, stdout })
        if (err.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
          return resolve({ ok: false, why: 'too-large', code: '' })
        if (err.killed) return resolve({ ok: false, why: 'timeout', code: '' })
        resolve({ ok: false, why: 'exit', code: String(err.code ?? err.signal ?? '?') })
      },
    )
  })
}

async function tokenFromGh(
  account: Account,
  o: CopilotOptions,
  ctx: FetchContext,
): Promise<{ ok: true; token: CopilotToken } | Failure> {
  const gh = findExecutable('gh', ctx.env.PATH)
  if (!gh) {
    return fail(
      'credentials',
      'GitHub CLI (gh) not found on PATH',
      'install GitHub CLI (https://cli.github.com) and run `gh auth login`',
    )
  }
  const args = ['auth', 'token']
  if (o.hostname) args.push('--hostname', o.hostname)
  if (o.githubUser) args.push('--user', o.githubUser)
  const shown = `\`gh ${args.join(' ')}\``
  const env: Env = { ...ctx.env, GH_PROMPT_DISABLED: '1', GH_NO_UPDATE_NOTIFIER: '1' }
  if (account.configDir) env.GH_CONFIG_DIR = ghConfigDir(account, ctx.env, ctx.home)
  const run = await runGh(gh, args, env, ctx.timeoutMs)
  if (!run.ok) {
    if (run.why === 'timeout') {
      return fail(
        'timeout',
        `${shown} did not answer within ${Math.round(ctx.timeoutMs / 1000)} s`,
        `run ${shown} in a terminal to check it (a locked keyring?)`,
      )
    }
    if (run.why === 'too-large')
      return fail('credentials', `${shown} printed too much`, `run ${shown} in a terminal to check it`)
    return fail(
      'credentials',
      `${shown} failed (exit ${run.code}): no gh login${o.githubUser ? ` for ${o.githubUser}` : ''}${o.hostname ? ` on ${o.hostname}` : ''}`,
      ghLoginFix(o),
    )
  }
  const secret = run.stdout.trim()
  if (!looksLikeToken(secret))
    return fail('credentials', `${shown} printed something that is not a token`, ghLoginFix(o))
  return { ok: true, token: { secret, source: 'gh', fingerprint: fingerprintOf(secret) } }
}

export async function readCopilotToken(
  account: Account,
  o: CopilotOptions,
  ctx: FetchContext,
): Promise<{ ok: true; token: CopilotToken } | Failure> {
  // An explicit apiKeyEnv / apiKeyCommand wins, and its failure is final (no silent fallback to gh).
  const key = await resolveApiKey(account, ctx.env)
  if (key.ok)
    return {
      ok: true,
      token: { secret: key.secret, source: key.source, fingerprint: fingerprintOf(key.secret) },
    }
  if (account.apiKeyEnv || account.apiKeyCommand) return key
  return tokenFromGh(account, o, ctx)
}

/** `doctor`: the token as the fetch gets it. */
export async function inspectCopilotLogin(
  account: CopilotAccount,
  ctx: FetchContext,
): Promise<CredentialInfo> {
  const r = await readCopilotToken(account, copilotOptions(account), ctx)
  if (!r.ok) return failedCredential(r.error, null)
  const source =
    r.token.source === 'gh' ? '`gh auth token` (gh keeps it in the system keyring)' : r.token.source
  return { ...NOTHING_KNOWN, found: true, source, fingerprint: credentialFingerprint(r.token.secret) }
}
