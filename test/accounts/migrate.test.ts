import { describe, expect, it } from 'vitest'
import { migrateConfig, withVersion } from '../../src/accounts/migrate.js'
import { parseConfigText } from '../../src/config/load.js'

describe('migrateConfig', () => {
  it('returns a current file as it is, with no changes', () => {
    const raw = { version: 1, accounts: [{ provider: 'claude', id: 'work', label: 'Work' }] }
    const m = migrateConfig(raw)
    expect(m).toEqual({ ok: true, value: raw, changes: [] })
    if (m.ok) expect(m.value).toBe(raw)
  })

  it.each([
    [
      'an accounts map keyed provider/id',
      { accounts: { 'claude/work': { label: 'Work' }, codex: { configDir: '~/.codex' } } },
      {
        accounts: [
          { provider: 'claude', id: 'work', label: 'Work' },
          { provider: 'codex', id: 'default', configDir: '~/.codex' },
        ],
      },
      ['accounts map → accounts list'],
    ],
    [
      'top-level interval, in place of a refresh section',
      { interval: 120, accounts: [] },
      { refresh: { intervalSeconds: 120 }, accounts: [] },
      ['interval → refresh.intervalSeconds'],
    ],
    [
      'interval next to an existing refresh section',
      { refresh: { timeoutSeconds: 5 }, interval: 60 },
      { refresh: { timeoutSeconds: 5, intervalSeconds: 60 } },
      ['interval → refresh.intervalSeconds'],
    ],
    ['top-level redact', { redact: true }, { privacy: { redact: true } }, ['redact → privacy.redact']],
    [
      'an account name',
      { accounts: [{ provider: 'claude', id: 'a', name: 'Mine', configDir: '/x' }] },
      { accounts: [{ provider: 'claude', id: 'a', label: 'Mine', configDir: '/x' }] },
      ['accounts[0].name → label'],
    ],
    ['version 0', { version: 0 }, { version: 1 }, ['version 0 → 1']],
  ])('maps %s', (_, raw, want, changes) => {
    const m = migrateConfig(raw)
    expect(m).toEqual({ ok: true, value: want, changes })
  })

  it('keeps the key order of the file', () => {
    const m = migrateConfig({ thresholds: { warning: 50 }, interval: 60, colors: {} })
    expect(m.ok && Object.keys(m.value as object)).toEqual(['thresholds', 'refresh', 'colors'])
    const a = migrateConfig({ accounts: [{ id: 'a', name: 'A', provider: 'claude' }] })
    expect(a.ok && Object.keys((a.value as { accounts: object[] }).accounts[0] as object)).toEqual([
      'id',
      'label',
      'provider',
    ])
  })

  it.each([
    [{ interval: 60, refresh: { intervalSeconds: 90 } }, 'both "interval"'],
    [{ accounts: [{ provider: 'claude', id: 'a', name: 'x', label: 'y' }] }, 'accounts[0]: both "name"'],
    [{ accounts: { 'claude/work': { provider: 'codex' } } }, 'provider "codex" does not match'],
    [{ accounts: { 'claude/work': 'nope' } }, 'expected an object'],
    [{ version: 2 }, 'newer quotabar'],
  ])('refuses %j', (raw, message) => {
    const m = migrateConfig(raw)
    expect(m.ok).toBe(false)
    expect(!m.ok && m.message).toContain(message)
  })

  it('puts version first, after $schema', () => {
    expect(Object.keys(withVersion({ accounts: [], $schema: 'x' }))).toEqual([
      '$schema',
      'version',
      'accounts',
    ])
    expect(Object.keys(withVersion({ accounts: [] }))).toEqual(['version', 'accounts'])
    const current = { version: 1, accounts: [] }
    expect(withVersion(current)).toBe(current)
  })
})

describe('reading a legacy file', () => {
  it('reads the migrated shape, with every legacy value kept', () => {
    const text = JSON.stringify({
      interval: 240,
      accounts: { 'claude/work': { name: 'Work', configDir: '/w' } },
      redact: true,
    })
    const r = parseConfigText(text, '/c.json')
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.settings.intervalSeconds).toBe(240)
    expect(r.settings.redact).toBe(true)
    expect(r.settings.accounts).toEqual([{ provider: 'claude', id: 'work', label: 'Work', configDir: '/w' }])
  })

  it('still reports keys no migration knows, and migration conflicts, as config errors', () => {
    const unknown = parseConfigText(JSON.stringify({ intervall: 5 }), '/c.json')
    expect(!unknown.ok && unknown.error.message).toContain('unknown key "intervall"')
    const newer = parseConfigText(JSON.stringify({ version: 3 }), '/c.json')
    expect(!newer.ok && newer.error.message).toContain(
      '/c.json: config version 3 was written by a newer quotabar',
    )
  })
})
