import { describe, expect, it } from 'vitest'
import { defaultSettings, resolveAccounts, selectAccounts } from '../../src/config/accounts.js'
import { parseConfigText } from '../../src/config/load.js'
import { expandPath, resolvePaths } from '../../src/config/paths.js'
import { makeHome } from '../helpers/home.js'

const parse = (config: unknown) =>
  parseConfigText(typeof config === 'string' ? config : JSON.stringify(config), 'config.json')
const messageOf = (config: unknown) => {
  const r = parse(config)
  return r.ok ? 'ok' : r.error.message
}

describe('config validation names the JSON path', () => {
  it.each([
    [
      { accounts: [{ provider: 'clade', id: 'x' }] },
      /accounts\[0\]\.provider: must be one of "claude", "codex"/,
    ],
    [
      { accounts: [{ provider: 'claude', id: 'x', githubUser: 'octo' }] },
      /accounts\[0\]\.githubUser: only copilot accounts take "githubUser"/,
    ],
    [{ accounts: [{ provider: 'claude' }] }, /accounts\[0\]\.id: expected string/],
    [{ accounts: [{ provider: 'claude', id: 'has space' }] }, /accounts\[0\]\.id: letters, digits/],
    [{ accounts: [{ provider: 'claude', id: 'a', confgDir: '~' }] }, /accounts\[0\]: unknown key "confgDir"/],
    [
      { accounts: [{ provider: 'claude', id: 'a', baseUrl: 'ftp://x' }] },
      /accounts\[0\]\.baseUrl: an http\(s\) origin/,
    ],
    [
      {
        accounts: [
          { provider: 'claude', id: 'a' },
          { provider: 'claude', id: 'a' },
        ],
      },
      /accounts\[1\]\.id: duplicate account claude\/a/,
    ],
    [{ thresholds: { warning: 95, critical: 90 } }, /thresholds: warning must not be above critical/],
    [{ colors: { ok: 'green' } }, /colors\.ok: a colour like/],
    [{ accont: [] }, /unknown key "accont"/],
    ['{"accounts": [', /not valid JSON \(it ends too early/],
    ['{"accounts": [}', /not valid JSON at line 1, column 15/],
    ['', /the file is empty/],
  ])('%j', (config, message) => {
    expect(messageOf(config)).toMatch(message)
  })

  it('accepts the documented example and applies defaults', () => {
    const r = parse({
      accounts: [
        { provider: 'claude', id: 'work', label: 'Work', configDir: '~/.claude-work' },
        { provider: 'claude', id: 'personal' },
      ],
      refresh: { intervalSeconds: 300 },
      thresholds: { warning: 70, critical: 90 },
    })
    expect(r.ok && r.settings).toMatchObject({
      intervalSeconds: 300,
      thresholds: { warning: 70, critical: 90 },
    })
    expect(r.ok && r.settings.accounts).toHaveLength(2)
  })
})

describe('accounts', () => {
  it('are read through their provider’s fields once: typed fields, and a broken provider rule kept per account', () => {
    const r = parse({
      accounts: [
        { provider: 'gemini', id: 'g', project: ' my-proj ' },
        { provider: 'zai', id: 'team', organization: 'org-7f3a' },
        { provider: 'claude', id: 'w' },
      ],
    })
    // One broken rule is not the config's error: the file loads and the other accounts are fine.
    if (!r.ok) throw new Error(r.error.message)
    const [gemini, zai, claude] = resolveAccounts(r.settings)
    expect(gemini).toMatchObject({ key: 'gemini/g', project: 'my-proj' })
    expect(gemini?.invalid).toBeUndefined()
    expect(zai?.invalid).toEqual({
      kind: 'config',
      message: 'account zai/team: organization: a team account needs both "organization" and "project"',
      fix: 'fix this account in config.json',
      httpStatus: null,
    })
    expect(claude?.invalid).toBeUndefined()
    // The checked-config record holds the same reading, for the render and the detached refresh.
    expect(JSON.parse(JSON.stringify(r.settings)).accounts[1].invalid).toEqual(zai?.invalid)
  })

  it('refresh interval never goes below the provider minimum; disabled accounts are dropped', () => {
    const accounts = resolveAccounts({
      ...defaultSettings({}, '/nonexistent'),
      accounts: [
        { provider: 'claude', id: 'fast', refreshSeconds: 30 },
        { provider: 'claude', id: 'off', enabled: false },
        { provider: 'claude', id: 'slow', label: 'Slow one', refreshSeconds: 900 },
      ],
    })
    expect(accounts.map((a) => [a.key, a.label, a.refreshSeconds])).toEqual([
      ['claude/fast', 'fast', 180],
      ['claude/slow', 'Slow one', 900],
    ])
  })

  it('selectors: provider/id, id or provider; unknown ones reported', () => {
    const accounts = resolveAccounts({
      ...defaultSettings({}, '/nonexistent'),
      accounts: [
        { provider: 'claude', id: 'a' },
        { provider: 'claude', id: 'b' },
      ],
    })
    expect(selectAccounts(accounts, ['claude/b']).selected.map((a) => a.id)).toEqual(['b'])
    expect(selectAccounts(accounts, ['a']).selected.map((a) => a.id)).toEqual(['a'])
    expect(selectAccounts(accounts, ['claude']).selected).toHaveLength(2)
    expect(selectAccounts(accounts, ['nope', 'a'])).toMatchObject({ unmatched: ['nope'] })
  })

  it('with no config file: ~/.claude and $CLAUDE_CONFIG_DIR when they exist', () => {
    const h = makeHome()
    try {
      expect(defaultSettings(h.env, h.home).accounts).toEqual([])
      h.claudeLogin(`${h.home}/.claude`)
      h.claudeLogin(`${h.home}/.claude-work`)
      const found = defaultSettings(
        { ...h.env, CLAUDE_CONFIG_DIR: `${h.home}/.claude-work` },
        h.home,
      ).accounts
      expect(found.map((a) => [a.id, a.configDir])).toEqual([
        ['default', `${h.home}/.claude`],
        ['work', `${h.home}/.claude-work`],
      ])
    } finally {
      h.cleanup()
    }
  })
})

describe('paths', () => {
  it('XDG dirs, overrides and expansion', () => {
    const env = { HOME: '/h', XDG_CONFIG_HOME: '/x/c', XDG_CACHE_HOME: 'relative/ignored', WORK: '/w' }
    expect(resolvePaths(env)).toEqual({
      home: '/h',
      configFile: '/x/c/quotabar/config.json',
      cacheDir: '/h/.cache/quotabar',
      stateDir: '/h/.local/state/quotabar',
    })
    expect(
      resolvePaths({ ...env, QUOTABAR_CONFIG: '~/q.json', QUOTABAR_CACHE_DIR: '$WORK/cache' }),
    ).toMatchObject({
      configFile: '/h/q.json',
      cacheDir: '/w/cache',
    })
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} form is what is being tested
    expect(expandPath('${WORK}/.claude-$NOPE', env)).toBe('/w/.claude-')
  })
})

describe('JSON syntax errors point at the spot', () => {
  it.each([
    ['{"a": 1,\n  "b" 2}', 'line 2, column 7'],
    ['{"a": [1, 2,]}', 'line 1, column 13'],
    ['{"a": tru}', 'line 1, column 7'],
    ['{"a": "x"} trailing', 'line 1, column 12'],
    ["{'a': 1}", 'line 1, column 2'],
  ])('%j → %s', (text, where) => {
    expect(messageOf(text)).toContain(`not valid JSON at ${where}`)
  })
})
