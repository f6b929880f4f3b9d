import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'

/**
 * The checked-config record (src/config/checked.ts) lets the render and the commands skip
 * validating an unchanged config file. What it vouches for is this build's reading of the file:
 * after an upgrade (another schema, other defaults, another Settings shape) the same file is
 * validated again, never read as an older quotabar recorded it.
 */

let h: TempHome | undefined
afterEach(() => {
  h?.cleanup()
  h = undefined
})

const NOW = { QUOTABAR_NOW: '2026-11-22T10:00:00.000Z' }

describe('the checked-config record', () => {
  it('is used by the build that wrote it, and read again by any other build', async () => {
    h = makeHome()
    h.writeConfig({
      version: 1,
      accounts: [{ provider: 'openrouter', id: 'me', label: 'real', apiKeyEnv: 'K' }],
    })
    const env = { ...h.env, ...NOW }
    const render = () => runCli(['-f', 'plain', '--no-refresh'], env)
    const list = async () => (await runCli(['accounts', 'list'], env)).stdout
    expect((await render()).stdout).toMatch(/^real /)
    const recordFile = join(h.cacheDir, 'config-checked.json')
    const record = JSON.parse(readFileSync(recordFile, 'utf8'))
    const doctored = (extra: Record<string, unknown>) =>
      writeFileSync(
        recordFile,
        JSON.stringify({
          ...record,
          ...extra,
          settings: { ...record.settings, accounts: [{ ...record.settings.accounts[0], label: 'recorded' }] },
        }),
      )

    // This build's record, for the unchanged file, is read as recorded (the file is not parsed).
    doctored({})
    expect((await render()).stdout).toMatch(/^recorded /)
    expect(await list()).toContain(' recorded ')

    // One written by another quotabar (here: an older one, without a version; a newer one) is not.
    for (const other of [{ version: undefined }, { version: '0.0.1' }]) {
      doctored(other)
      expect((await render()).stdout).toMatch(/^real /)
      doctored(other)
      const listed = await list()
      expect(listed).toContain(' real ')
      expect(listed).not.toContain('recorded')
    }
  })
})
