import { describe, expect, it } from 'vitest'
import { demoView } from '../../src/demo.js'
import { healthOf } from '../../src/serve/health.js'
import { isLoopbackHost } from '../../src/serve/http-server.js'

describe('serve helpers', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['app.localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.2', false],
    ['127.0.0.1.evil.example', false],
    ['localhost.evil.example', false],
  ])('loopback %s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback)
  })

  it('health: degraded while some accounts are fresh, down with no numbers at all', () => {
    const now = new Date('2026-11-22T10:00:00Z')
    const accounts = demoView(now).accounts
    const h = healthOf(accounts, now.toISOString())
    expect(h.ok).toBe(true)
    expect(h.body).toMatchObject({
      status: 'degraded',
      accounts: [{ key: 'claude/work', status: 'ok' }, {}, {}],
    })
    const ok = healthOf(accounts.slice(0, 2), now.toISOString())
    expect([ok.ok, ok.body]).toEqual([true, expect.objectContaining({ status: 'ok' })])
    const noData = accounts.map((a) => ({ ...a, fetchedAt: null, status: 'cooldown' as const }))
    expect(healthOf(noData, now.toISOString())).toMatchObject({ ok: false, body: { status: 'down' } })
    expect(healthOf([], now.toISOString())).toMatchObject({
      ok: false,
      body: { status: 'down', accounts: [] },
    })
  })
})
