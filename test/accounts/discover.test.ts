import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type Discovery, discoverAccounts, type Finding } from '../../src/accounts/discover.js'
import { KEY_VARIABLES } from '../../src/accounts/key-vars.js'
import { idFromSuffix } from '../../src/providers/env-keys.js'
import { getDescriptor } from '../../src/providers/descriptors.js'
import type { AccountConfig } from '../../src/providers/types.js'
import { makeSyntheticHome, SECRET_TOKENS, type SyntheticHome, TWO_GH_USERS } from './synthetic-home.js'

let m: SyntheticHome
afterEach(() => m?.cleanup())

const KEYS = { one: 'sk-or-v1-ONE-secret', two: 'sk-or-v1-TWO-secret' }

/** key → [state, sameAs] for compact assertions. */
const summary = (d: Discovery) =>
  Object.fromEntries(d.findings.map((f: Finding) => [`${f.state} ${f.key}`, f.sameAs ?? f.source]))

function machine() {
  m = makeSyntheticHome()
  m.claude('.claude', 'uuid-personal', 'me@example.org')
  m.claude('.claude-work', 'uuid-work', 'dev@work.example')
  m.claude('.claude-work-copy', 'uuid-work', 'dev@work.example') // cp -r of the work login
  mkdirSync(join(m.home, '.claude-nothing')) // no login files: not an account
  m.codex('.codex', 'acct-personal', 'user-1', 'me@example.org')
  m.codex('.codex-team', 'acct-team', 'user-1', 'me@example.org')
  m.codex('.codex-team-bob', 'acct-team', 'user-2', 'bob@example.org') // same workspace, another person
  m.link('.codex', '.codex-mirror')
  m.gemini('.gemini', 'me@gmail.com')
  m.gemini('gem-work/.gemini', 'Me@Gmail.com')
  m.file('.config/Cursor/User/globalStorage/state.vscdb', 'SQLite format 3\0')
  m.ghHosts(TWO_GH_USERS)
  const env = {
    HOME: m.home,
    GEMINI_CLI_HOME: join(m.home, 'gem-work'),
    CLAUDE_CONFIG_DIR: `${join(m.home, '.claude-work')}/`,
    OPENROUTER_API_KEY: KEYS.one,
    OPENROUTER_API_KEY_WORK: KEYS.two,
    OPENROUTER_API_KEY_MY_TEAM: KEYS.one,
    OPENROUTER_API_KEY___: 'x',
    DEEPSEEK_API_KEY: '',
  }
  return env
}

describe('discoverAccounts on a synthetic machine', () => {
  it('finds every login once; copies of one login are duplicates', () => {
    const env = machine()
    const d = discoverAccounts([], env, m.home)
    expect(summary(d)).toEqual({
      'new claude/default': join(m.home, '.claude'),
      'new claude/work': join(m.home, '.claude-work/'),
      'duplicate claude/work-copy': 'claude/work',
      'new codex/default': join(m.home, '.codex'),
      'duplicate codex/mirror': 'codex/default',
      'new codex/team': join(m.home, '.codex-team'),
      'new codex/team-bob': join(m.home, '.codex-team-bob'),
      'new gemini/default': join(m.home, '.gemini'),
      'duplicate gemini/gem-work': 'gemini/default',
      'new cursor/default': join(m.home, '.config/Cursor'),
      'new copilot/alice': 'gh user alice (github.com)',
      'new copilot/bob': 'gh user bob (github.com)',
      'new openrouter/default': '$OPENROUTER_API_KEY',
      'duplicate openrouter/my-team': 'openrouter/default',
      'new openrouter/work': '$OPENROUTER_API_KEY_WORK',
    })
    expect(d.skipped).toContainEqual({
      source: '$OPENROUTER_API_KEY___',
      reason: 'its suffix makes no account id',
    })
  })

  it('proposes config entries with ~ paths, variable names and gh logins, never secrets', () => {
    const env = machine()
    const d = discoverAccounts([], env, m.home)
    const added = d.findings.filter((f) => f.state === 'new').map((f) => f.account)
    expect(added).toContainEqual({ provider: 'claude', id: 'work', configDir: '~/.claude-work/' })
    expect(added).toContainEqual({ provider: 'copilot', id: 'bob', githubUser: 'bob' })
    expect(added).toContainEqual({ provider: 'openrouter', id: 'work', apiKeyEnv: 'OPENROUTER_API_KEY_WORK' })
    expect(d.findings.find((f) => f.key === 'claude/work')?.email).toBe('dev@work.example')
    const text = JSON.stringify(d)
    for (const secret of [...SECRET_TOKENS, KEYS.one, KEYS.two, 'gho_', 'rt-secret']) {
      expect(text).not.toContain(secret)
    }
  })

  it('compares with the configured accounts: same place, same login elsewhere, a taken id', () => {
    const { CLAUDE_CONFIG_DIR: _, ...env } = machine()
    const existing: AccountConfig[] = [
      { provider: 'claude', id: 'default' }, // no configDir: ~/.claude
      { provider: 'claude', id: 'personal', configDir: '~/.claude-work' },
      { provider: 'codex', id: 'team', configDir: '/somewhere/else' },
      { provider: 'copilot', id: 'default' }, // gh's active user: alice
      { provider: 'openrouter', id: 'x', apiKeyEnv: 'OPENROUTER_API_KEY_MY_TEAM' },
    ]
    const d = discoverAccounts(existing, env, m.home)
    const s = summary(d)
    expect(s['configured claude/default']).toBe(join(m.home, '.claude'))
    expect(s['configured claude/personal']).toBe(join(m.home, '.claude-work'))
    expect(s['duplicate claude/work-copy']).toBe('claude/personal')
    expect(s['new codex/team-2']).toBe(join(m.home, '.codex-team'))
    expect(s['configured copilot/default']).toBe('gh user alice (github.com)')
    expect(s['new copilot/bob']).toBe('gh user bob (github.com)')
    // The same key under another name is the configured account, whatever the variable is called.
    expect(s['duplicate openrouter/default']).toBe('openrouter/x')
    expect(s['configured openrouter/x']).toBe('$OPENROUTER_API_KEY_MY_TEAM')
  })

  it('reads a GitHub Enterprise host as its own accounts', () => {
    m = makeSyntheticHome()
    m.ghHosts('github.com:\n    user: alice\nocto.ghe.com:\n    users:\n        alice:\n    user: alice\n')
    const d = discoverAccounts([], { HOME: m.home }, m.home)
    expect(d.findings.map((f) => f.account)).toEqual([
      { provider: 'copilot', id: 'alice', githubUser: 'alice' },
      { provider: 'copilot', id: 'alice-octo', githubUser: 'alice', hostname: 'octo.ghe.com' },
    ])
  })

  it('skips variables of providers this build does not have, and finds nothing on an empty machine', () => {
    m = makeSyntheticHome()
    const missing = KEY_VARIABLES.find((v) => !getDescriptor(v.provider))
    const env: Record<string, string> = { HOME: m.home }
    if (missing) env[`${missing.name}_WORK`] = 'k'
    const d = discoverAccounts([], env, m.home)
    expect(d.findings).toEqual([])
    if (missing) expect(d.skipped[0]?.reason).toBe(`this quotabar has no ${missing.provider} provider`)
  })
})

describe('providers discovery has no rule for', () => {
  // opencode is found through its own descriptor's defaultAccounts, as any future provider would be.
  it.skipIf(!getDescriptor('opencode'))('are found through their default accounts, once', () => {
    m = makeSyntheticHome()
    m.file('.local/share/opencode/storage/x.json', '{}')
    const env = { HOME: m.home }
    const d = discoverAccounts([], env, m.home)
    expect(summary(d)).toEqual({ 'new opencode/default': join(m.home, '.local/share/opencode') })
    expect(d.findings[0]?.account).toEqual({
      provider: 'opencode',
      id: 'default',
      configDir: '~/.local/share/opencode',
    })
    const again = discoverAccounts(
      [{ provider: 'opencode', id: 'mine', configDir: '~/.local/share/opencode' }],
      env,
      m.home,
    )
    expect(summary(again)).toEqual({ 'configured opencode/mine': join(m.home, '.local/share/opencode') })
  })
})

describe('idFromSuffix', () => {
  it.each([
    ['WORK', 'work'],
    ['MY_TEAM', 'my-team'],
    ['2', '2'],
    ['_', null],
    ['A'.repeat(41), null],
  ])('%s → %s', (suffix, id) => expect(idFromSuffix(suffix)).toBe(id))
})

describe('what --write would add is always a valid config', () => {
  it('shortens long ids and skips gh entries the schema refuses', () => {
    m = makeSyntheticHome()
    m.claude(`.claude-${'x'.repeat(60)}`, 'uuid-long', 'l@example.org')
    m.ghHosts('github.com:\n    users:\n        ok-user:\n        "bad user":\n    user: ok-user\n')
    const d = discoverAccounts([], { HOME: m.home }, m.home)
    expect(d.findings.map((f) => f.key)).toEqual([`claude/${'x'.repeat(40)}`, 'copilot/ok-user'])
    expect(d.skipped).toEqual([
      { source: 'gh user bad user (github.com)', reason: expect.stringContaining('not a valid account') },
    ])
  })
})

describe('logins of the plan CLIs (Kimi Code, Droid, Antigravity): several, and copies as duplicates', () => {
  const KIMI = { one: 'kimi-token-ONE-secret', two: 'kimi-token-TWO-secret' }
  const DROID_KEY = 'fk-droid-SECRET-0011'
  const agy = (refresh: string) => ({ token: { access_token: `ya29.${refresh}`, refresh_token: refresh } })

  function planMachine() {
    m = makeSyntheticHome()
    m.file('.kimi/credentials/kimi-code.json', { access_token: KIMI.one, expires_at: 4102444800 })
    m.file('.kimi-code/credentials/kimi-code.json', { access_token: KIMI.two, expires_at: 4102444800 })
    m.file('kimi-copy/credentials/kimi-code.json', { access_token: KIMI.one }) // cp -r ~/.kimi
    m.file('.factory/.env', `# droid\nexport FACTORY_API_KEY="${DROID_KEY}"\n`)
    m.file('.gemini/antigravity-cli/antigravity-oauth-token', agy('agy-refresh-SECRET'))
    m.file('agy-copy/antigravity-cli/antigravity-oauth-token', agy('agy-refresh-SECRET'))
    return { HOME: m.home, FACTORY_API_KEY: DROID_KEY }
  }

  it('finds both Kimi Code logins, the Droid home and the Antigravity home; a key in two places is one', () => {
    const env = planMachine()
    const s = summary(discoverAccounts([], env, m.home))
    expect(s).toEqual({
      'new kimi/cli': join(m.home, '.kimi'),
      'new kimi/kimi-code': join(m.home, '.kimi-code'),
      'new factory/droid': join(m.home, '.factory'),
      // $FACTORY_API_KEY holds the key Droid's .env holds: the same login under two names.
      'duplicate factory/default': 'factory/droid',
      'new antigravity/default': join(m.home, '.gemini'),
      // Gemini's rule takes any ~/.gemini (Antigravity keeps its login inside the Gemini home).
      'new gemini/default': join(m.home, '.gemini'),
    })
  })

  it('a configured copy of a login dir makes the original a duplicate of it, not a new account', () => {
    const env = planMachine()
    const existing: AccountConfig[] = [
      { provider: 'kimi', id: 'copy', configDir: '~/kimi-copy' },
      { provider: 'antigravity', id: 'copy', configDir: '~/agy-copy' },
      // Reads $FACTORY_API_KEY first (no configDir): a key account, not the ~/.factory home.
      { provider: 'factory', id: 'default' },
    ]
    const s = summary(discoverAccounts(existing, env, m.home))
    expect(s['duplicate kimi/cli']).toBe('kimi/copy')
    expect(s['new kimi/kimi-code']).toBe(join(m.home, '.kimi-code'))
    expect(s['duplicate antigravity/default']).toBe('antigravity/copy')
    expect(s['duplicate factory/droid']).toBe('factory/default')
    expect(s['configured factory/default']).toBe('$FACTORY_API_KEY')
    const text = JSON.stringify(discoverAccounts(existing, env, m.home))
    for (const secret of [KIMI.one, KIMI.two, DROID_KEY, 'agy-refresh-SECRET'])
      expect(text).not.toContain(secret)
  })
})
