import { readJsonFile, readLoginFile } from '../login-files.js'
import type { ErrorInfo } from '../../model.js'
import type { KeyResult } from '../balance.js'
import { fingerprintOf } from '../fingerprint.js'
import { isRec, nonEmpty, nullish, num } from '../../hand-check.js'
import { epochMs } from '../plain-parts.js'
import type { Account, FetchContext, LoginIdentity } from '../types.js'
import { kimiLoginDirs, kimiLoginFile } from './descriptor.js'

/**
 * The Kimi Code CLI's OAuth login, read-only: `{access_token, refresh_token, expires_at, ...}`.
 * Its refresh token is the CLI's to redeem (redeeming it here would log the CLI out), so an
 * expired access token is "run `kimi` again", never a refresh.
 */
export interface KimiLogin {
  access_token: string
  expires_at?: number | null
}

/**
 * The login in a parsed file, or null when it is not one. Checked by hand (discovery reads it for
 * every redraw of Claude Code's status-line hook without a config, and loads no zod there):
 * test/providers/login-checks.test.ts holds it to the schema it replaced.
 */
export function kimiLoginOf(json: unknown): KimiLogin | null {
  if (!isRec(json)) return null
  const { access_token, expires_at } = json
  return nonEmpty(access_token) && nullish(expires_at, num) ? { access_token, expires_at } : null
}

const RELOGIN = 'run `kimi` to log in again (quotabar never refreshes its tokens)'

function problem(kind: ErrorInfo['kind'], message: string, fix: string): KeyResult {
  return { ok: false, error: { kind, message, fix, httpStatus: null } }
}

export function readKimiLogin(account: Account, ctx: FetchContext): KeyResult | null {
  for (const dir of kimiLoginDirs(account, ctx.env, ctx.home)) {
    const file = kimiLoginFile(dir)
    let text: string
    try {
      text = readLoginFile(file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue
      return problem('credentials', `cannot read ${file}`, 'check the file permissions')
    }
    let data: unknown = null
    try {
      data = JSON.parse(text)
    } catch {}
    const login = kimiLoginOf(data)
    if (!login) return problem('credentials', `${file} is not a Kimi Code login`, RELOGIN)
    const { access_token: token, expires_at: expires } = login
    if (typeof expires === 'number' && epochMs(expires) <= ctx.now().getTime())
      return problem('auth', 'the Kimi Code login expired', RELOGIN)
    return {
      ok: true,
      key: { secret: token, source: file, fingerprint: fingerprintOf(token), fix: RELOGIN },
    }
  }
  return null
}

/**
 * The login file names no account, so its token's hash stands for it: two dirs holding one token
 * (a copied dir) are one login. The CLI renews the token in place, so copies stop matching then.
 */
export function kimiIdentity(dir: string): LoginIdentity | null {
  const login = kimiLoginOf(readJsonFile(kimiLoginFile(dir)))
  return login ? { key: fingerprintOf(login.access_token), email: null } : null
}
