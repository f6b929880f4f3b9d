import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isAccountActive } from '../../src/accounts/active.js'
import { activeGhUser } from '../../src/providers/copilot/hosts-yml.js'
import { getDescriptor } from '../../src/providers/descriptors.js'
import type { AccountConfig } from '../../src/providers/types.js'

const HOME = '/home/u'
const active = (a: AccountConfig, env: Record<string, string> = {}, home = HOME) =>
  getDescriptor(a.provider)?.isActive?.(a, { HOME: home, ...env }, home) ?? false

describe('descriptor isActive: path arithmetic only', () => {
  it.each<[string, AccountConfig, Record<string, string>, boolean]>([
    ['claude without configDir is the default login', { provider: 'claude', id: 'a' }, {}, true],
    ['claude ~/.claude', { provider: 'claude', id: 'a', configDir: '~/.claude' }, {}, true],
    [
      'claude ~/.claude/ (trailing slash)',
      { provider: 'claude', id: 'a', configDir: '/home/u/.claude/' },
      {},
      true,
    ],
    ['claude ~/.claude-work', { provider: 'claude', id: 'a', configDir: '~/.claude-work' }, {}, false],
    [
      'claude ~/.claude-work under CLAUDE_CONFIG_DIR',
      { provider: 'claude', id: 'a', configDir: '~/.claude-work' },
      { CLAUDE_CONFIG_DIR: '/home/u/.claude-work' },
      true,
    ],
    [
      'claude ~/.claude when CLAUDE_CONFIG_DIR points elsewhere',
      { provider: 'claude', id: 'a', configDir: '~/.claude' },
      { CLAUDE_CONFIG_DIR: '/home/u/.claude-work' },
      false,
    ],
    ['claude $VAR in configDir', { provider: 'claude', id: 'a', configDir: '$HOME/./.claude' }, {}, true],
    ['claude //', { provider: 'claude', id: 'a', configDir: '/home/u//.claude' }, {}, true],
    ['claude ..', { provider: 'claude', id: 'a', configDir: '/home/u/x/../.claude' }, {}, true],
    ['claude trailing .', { provider: 'claude', id: 'a', configDir: '/home/u/.claude/.' }, {}, true],
    ['claude a dot name', { provider: 'claude', id: 'a', configDir: '/home/u/.claude.' }, {}, false],
    ['claude relative', { provider: 'claude', id: 'a', configDir: 'home/u/.claude' }, {}, false],
    ['codex default', { provider: 'codex', id: 'a', configDir: '~/.codex' }, {}, true],
    ['codex other home', { provider: 'codex', id: 'a', configDir: '~/.codex-work' }, {}, false],
    [
      'codex under CODEX_HOME',
      { provider: 'codex', id: 'a', configDir: '/srv/codex-b' },
      { CODEX_HOME: '/srv/codex-b/' },
      true,
    ],
    ['copilot without user follows gh', { provider: 'copilot', id: 'a' }, {}, true],
    [
      'copilot in GH_CONFIG_DIR',
      { provider: 'copilot', id: 'a', configDir: '/x/gh' },
      { GH_CONFIG_DIR: '/x/gh' },
      true,
    ],
    ['copilot in another gh config dir', { provider: 'copilot', id: 'a', configDir: '/x/gh' }, {}, false],
    [
      'copilot with githubUser: unknown without hosts.yml',
      { provider: 'copilot', id: 'a', githubUser: 'alice' },
      {},
      false,
    ],
    [
      'copilot with a token from the environment',
      { provider: 'copilot', id: 'a', apiKeyEnv: 'GH_TOKEN' },
      {},
      false,
    ],
    ['gemini has no isActive', { provider: 'gemini', id: 'a' }, {}, false],
  ])('%s → %s', (_, account, env, want) => {
    expect(active(account, env)).toBe(want)
  })
})

const HOSTS = `# gh hosts
github.com:
    users:
        alice:
            oauth_token: gho_secret_alice
        bob:
            oauth_token: gho_secret_bob
    git_protocol: https
    user: bob
    oauth_token: gho_secret_bob
octo.ghe.com:
    users:
        carol: {}
    user: "carol"
`

describe('activeGhUser: the user: key of a host in hosts.yml', () => {
  it.each([
    ['github.com', 'bob'],
    ['GitHub.com', 'bob'],
    ['octo.ghe.com', 'carol'],
    ['other.example', null],
  ])('%s → %s', (host, user) => {
    expect(activeGhUser(HOSTS, host)).toBe(user)
  })
})

describe('isAccountActive reads gh hosts.yml for copilot users', () => {
  const home = mkdtempSync(join(tmpdir(), 'quotabar-active-'))
  afterAll(() => rmSync(home, { recursive: true, force: true }))
  const env = { HOME: home }
  mkdirSync(join(home, '.config', 'gh'), { recursive: true })
  writeFileSync(join(home, '.config', 'gh', 'hosts.yml'), HOSTS)

  it.each<[AccountConfig, boolean]>([
    [{ provider: 'copilot', id: 'b', githubUser: 'bob' }, true],
    [{ provider: 'copilot', id: 'b', githubUser: 'BOB' }, true],
    [{ provider: 'copilot', id: 'a', githubUser: 'alice' }, false],
    [{ provider: 'copilot', id: 'c', githubUser: 'carol', hostname: 'octo.ghe.com' }, true],
    [{ provider: 'copilot', id: 'c', githubUser: 'carol' }, false],
    [{ provider: 'copilot', id: 'b', githubUser: 'bob', configDir: join(home, 'elsewhere') }, false],
    [{ provider: 'copilot', id: 'b', githubUser: 'bob', apiKeyCommand: 'pass gh' }, false],
    [{ provider: 'claude', id: 'x' }, true],
  ])('%o → %s', (account, want) => {
    expect(isAccountActive(account, env, home)).toBe(want)
  })

  it('no hosts.yml: nobody is gh’s active user', () => {
    expect(
      isAccountActive(
        { provider: 'copilot', id: 'b', githubUser: 'bob' },
        { HOME: '/nonexistent' },
        '/nonexistent',
      ),
    ).toBe(false)
  })
})
