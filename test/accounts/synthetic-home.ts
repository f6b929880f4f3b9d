import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/**
 * A made-up machine for discovery tests: provider config dirs written the way each tool writes
 * them (only the fields discovery reads, plus tokens it must never print).
 */
export interface SyntheticHome {
  home: string
  file(path: string, content: unknown): string
  claude(dir: string, uuid: string, email: string): string
  codex(dir: string, accountId: string, userId: string, email: string): string
  gemini(dir: string, email: string): string
  ghHosts(text: string): void
  link(target: string, path: string): void
  cleanup(): void
}

/** A JWT-shaped token with these claims (unsigned: nothing verifies it). */
export function jwt(claims: object): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${part({ alg: 'none' })}.${part(claims)}.c2ln`
}

export const SECRET_TOKENS = ['sk-ant-oat01-DISCOVERY-SECRET', 'codex-ACCESS-SECRET', 'ya29.GEMINI-SECRET']

export function makeSyntheticHome(): SyntheticHome {
  const home = mkdtempSync(join(tmpdir(), 'quotabar-discover-'))
  const at = (p: string) => (p.startsWith('/') ? p : join(home, p))
  const file = (path: string, content: unknown) => {
    const full = at(path)
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
    return full
  }
  return {
    home,
    file,
    claude(dir, uuid, email) {
      const d = at(dir)
      file(join(d, '.credentials.json'), {
        claudeAiOauth: { accessToken: SECRET_TOKENS[0], expiresAt: 1, scopes: ['user:profile'] },
      })
      // `~/.claude` keeps its identity in `~/.claude.json`, every other dir inside itself.
      const identity = d === join(home, '.claude') ? join(home, '.claude.json') : join(d, '.claude.json')
      file(identity, { oauthAccount: { accountUuid: uuid, emailAddress: email }, numStartups: 3 })
      return d
    },
    codex(dir, accountId, userId, email) {
      const d = at(dir)
      const auth = { chatgpt_account_id: accountId, chatgpt_user_id: userId, chatgpt_plan_type: 'plus' }
      file(join(d, 'auth.json'), {
        OPENAI_API_KEY: null,
        tokens: {
          id_token: jwt({ email, 'https://api.openai.com/auth': auth }),
          access_token: SECRET_TOKENS[1],
          refresh_token: 'rt-secret',
          account_id: accountId,
        },
        last_refresh: '2026-11-01T00:00:00Z',
      })
      return d
    },
    gemini(dir, email) {
      const d = at(dir)
      file(join(d, 'oauth_creds.json'), {
        access_token: SECRET_TOKENS[2],
        refresh_token: '1//r',
        expiry_date: 1,
      })
      file(join(d, 'google_accounts.json'), { active: email, old: [] })
      return d
    },
    ghHosts(text) {
      file('.config/gh/hosts.yml', text)
    },
    link(target, path) {
      mkdirSync(dirname(at(path)), { recursive: true })
      symlinkSync(at(target), at(path))
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  }
}

export const TWO_GH_USERS = [
  'github.com:',
  '    users:',
  '        alice:',
  '            oauth_token: gho_ALICE_SECRET',
  '        bob:',
  '            oauth_token: gho_BOB_SECRET',
  '    git_protocol: https',
  '    user: alice',
  '    oauth_token: gho_ALICE_SECRET',
  '',
].join('\n')
