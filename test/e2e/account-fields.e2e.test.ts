import { afterEach, describe, expect, it } from 'vitest'
import { runCli, tooltipText } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'

/**
 * Accounts are read through their provider's fields object once, by the config loader: a broken
 * provider rule (z.ai's team ids go together, claude-web's org is a uuid, copilot-org needs its
 * org) is that account's error in the bar, with no request, and the other accounts show as usual.
 */

let h: TempHome
afterEach(() => h?.cleanup())

const NOWHERE = 'http://127.0.0.1:1'

describe('a provider rule broken in config.json (built binary)', () => {
  it('is that account’s config error, the same words in json, the tooltip and a second render', async () => {
    h = makeHome()
    h.writeConfig({
      accounts: [
        { provider: 'zai', id: 'team', organization: 'org-7f3a', apiKeyEnv: 'ZK', baseUrl: NOWHERE },
        { provider: 'claude-web', id: 'web', org: 'my-org', apiKeyEnv: 'ZK', baseUrl: NOWHERE },
        { provider: 'copilot-org', id: 'org', apiKeyEnv: 'ZK', baseUrl: NOWHERE },
        { provider: 'command', id: 'script', command: ['/bin/echo', '{}'] },
      ],
      refresh: { timeoutSeconds: 2 },
    })
    const env = { ...h.env, ZK: 'k-e2e', QUOTABAR_NOW: '2026-11-22T10:00:00.000Z' }
    const json = await runCli(['-f', 'json'], env)
    expect(json.code).toBe(0)
    const doc = JSON.parse(json.stdout)
    const byKey = Object.fromEntries(doc.accounts.map((a: { key: string }) => [a.key, a]))
    const config = (message: string) => ({
      status: 'error',
      error: { kind: 'config', message, fix: 'fix this account in config.json', httpStatus: null },
    })
    expect(byKey['zai/team']).toMatchObject(
      config('account zai/team: organization: a team account needs both "organization" and "project"'),
    )
    expect(byKey['claude-web/web']).toMatchObject(config('account claude-web/web: org: an organisation uuid'))
    expect(byKey['copilot-org/org']).toMatchObject(
      config(
        'account copilot-org/org: org: copilot-org accounts need "org": the organisation login, e.g. "acme"',
      ),
    )
    expect(byKey['command/script']).toMatchObject({ status: 'ok', error: null })

    // The cached render (the checked-config record) carries the same reading.
    const bar = await runCli(['-f', 'waybar'], env)
    expect(bar.code).toBe(0)
    const o = JSON.parse(bar.stdout)
    const read = tooltipText(o.tooltip)
    expect(read).toContain('account claude-web/web: org: an organisation uuid')
    expect(read).toContain('fix this account in config.json')
    expect(o.class).toContain('error')
  })
})
