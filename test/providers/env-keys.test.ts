import { afterEach, describe, expect, it } from 'vitest'
import { discoverAccounts } from '../../src/accounts/discover.js'
import { defaultSettings } from '../../src/config/accounts.js'
import { accountsFromEnv, fallbackKeyEnv, idFromSuffix, keyAccounts } from '../../src/providers/env-keys.js'
import { descriptorList } from '../../src/providers/descriptors.js'
import { makeSyntheticHome, type SyntheticHome } from '../accounts/synthetic-home.js'

let m: SyntheticHome | undefined
afterEach(() => m?.cleanup())

describe('one id rule for key variables', () => {
  it.each([
    ['WORK', 'work'],
    ['MY_TEAM', 'my-team'],
    ['Side_2', 'side-2'],
    ['TEAM_', 'team'],
    ['2', '2'],
    ['_', null],
    ['_BAD', null],
    ['MY-TEAM', null],
    ['A'.repeat(40), 'a'.repeat(40)],
    ['A'.repeat(41), null],
  ])('%s → %s', (suffix, id) => expect(idFromSuffix(suffix)).toBe(id))

  it('OPENROUTER_API_KEY_MY_TEAM is openrouter/my-team with and without a config file', () => {
    m = makeSyntheticHome()
    const env = { HOME: m.home, OPENROUTER_API_KEY_MY_TEAM: 'sk-or-v1-team' }
    // No config file: the bar shows the descriptors' default accounts.
    const shown = defaultSettings(env, m.home).accounts.filter((a) => a.provider === 'openrouter')
    expect(shown).toEqual([
      { provider: 'openrouter', id: 'my-team', apiKeyEnv: 'OPENROUTER_API_KEY_MY_TEAM' },
    ])
    // `accounts discover --write` proposes the same account for the config file...
    const found = discoverAccounts([], env, m.home).findings.filter(
      (f) => f.account.provider === 'openrouter',
    )
    expect(found.map((f) => [f.state, f.account])).toEqual([
      ['new', { provider: 'openrouter', id: 'my-team', apiKeyEnv: 'OPENROUTER_API_KEY_MY_TEAM' }],
    ])
    // ...a configured account of that id without apiKeyEnv reads the same variable...
    expect(fallbackKeyEnv({ id: 'my-team' }, 'OPENROUTER_API_KEY', env)).toBe('OPENROUTER_API_KEY_MY_TEAM')
    // ...and once configured, discovery finds that account there, not a new one.
    const again = discoverAccounts([{ provider: 'openrouter', id: 'my-team' }], env, m.home).findings
    expect(again.filter((f) => f.account.provider === 'openrouter').map((f) => [f.state, f.key])).toEqual([
      ['configured', 'openrouter/my-team'],
    ])
  })

  it('every provider with key variables: the bar without config and discovery give one id', () => {
    m = makeSyntheticHome()
    const withKeys = descriptorList.filter((d) => d.keyVariables?.length)
    expect(withKeys.length).toBeGreaterThan(0)
    for (const d of withKeys) {
      for (const v of d.keyVariables ?? []) {
        const env = { HOME: m.home, [v.name]: 'k-plain', [`${v.name}_MY_TEAM`]: 'k-team' }
        const discovered = discoverAccounts([], env, m.home)
          .findings.filter((f) => f.account.apiKeyEnv?.startsWith(v.name))
          .map((f) => [f.account.apiKeyEnv, f.account.id])
        expect(discovered).toEqual([
          [v.name, v.id ?? 'default'],
          [`${v.name}_MY_TEAM`, 'my-team'],
        ])
        const shown = d.defaultAccounts(env, m.home, () => false).map((a) => [a.apiKeyEnv, a.id])
        // A provider either shows its key accounts without a config file, with the same ids, or none.
        if (shown.length) expect(shown).toEqual(discovered)
      }
    }
  })

  it('the plain variable wins over <NAME>_DEFAULT; an empty or invalid one is no account', () => {
    const env = { K: 'a', K_DEFAULT: 'b', K_EMPTY: ' ', K__X: 'c', K_WORK: 'd' }
    expect(keyAccounts({ name: 'K' }, env)).toEqual({
      found: [
        { variable: 'K', id: 'default' },
        { variable: 'K_WORK', id: 'work' },
      ],
      invalid: ['K__X'],
    })
    expect(accountsFromEnv('p', [{ name: 'K' }], { K_DEFAULT: 'b' })).toEqual([
      { provider: 'p', id: 'default', apiKeyEnv: 'K_DEFAULT' },
    ])
  })
})
