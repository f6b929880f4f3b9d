import { describe, expect, it } from 'vitest'
import { parseGhHosts } from '../../src/providers/copilot/hosts-yml.js'

describe('parseGhHosts', () => {
  it('reads every user of every host, and the active one', () => {
    const text = [
      'github.com:',
      '    users:',
      '        alice:',
      '            oauth_token: gho_aaaaaaaa',
      '        "bob":',
      '            oauth_token: gho_bbbbbbbb',
      '        carol: {}',
      '    git_protocol: https',
      '    user: bob',
      '    oauth_token: gho_bbbbbbbb',
      'octocorp.ghe.com:',
      '  users:',
      '    erin:',
      '  user: erin # the active one',
    ].join('\n')
    expect(parseGhHosts(text)).toEqual([
      { host: 'github.com', users: ['alice', 'bob', 'carol'], active: 'bob' },
      { host: 'octocorp.ghe.com', users: ['erin'], active: 'erin' },
    ])
  })

  it('reads a pre-2.40 file (no users map) as its one user', () => {
    const text = 'github.com:\n    oauth_token: gho_x\n    user: dave\n    git_protocol: ssh\n'
    expect(parseGhHosts(text)).toEqual([{ host: 'github.com', users: ['dave'], active: 'dave' }])
  })

  it('takes a host with a port, quoted keys and CRLF line ends', () => {
    const text =
      '"ghe.local:8443":\r\n  users:\r\n    frank:\r\n      git_protocol: https\r\n  user: frank\r\n'
    expect(parseGhHosts(text)).toEqual([{ host: 'ghe.local:8443', users: ['frank'], active: 'frank' }])
    expect(parseGhHosts('ghe.local:8443:\n  user: g\n')).toEqual([
      { host: 'ghe.local:8443', users: ['g'], active: 'g' },
    ])
  })

  it('never takes a user setting or a token for a user', () => {
    const text =
      'github.com:\n    users:\n        alice:\n            oauth_token: gho_x\n            git_protocol: ssh\n'
    const hosts = parseGhHosts(text)
    expect(hosts[0]?.users).toEqual(['alice'])
    expect(JSON.stringify(hosts)).not.toContain('gho_')
  })

  it('gives nothing for an empty or foreign file', () => {
    expect(parseGhHosts('')).toEqual([])
    expect(parseGhHosts('# comment only\n- a list\n')).toEqual([])
  })
})
