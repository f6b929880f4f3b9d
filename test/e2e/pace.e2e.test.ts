import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { claudeAccounts, later, USAGE, usage } from '../helpers/live.js'
import { type FakeServer, startServer } from '../helpers/server.js'

let server: FakeServer
let h: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => h?.cleanup())

interface JsonWindow {
  id: string
  usedPercent: number
  elapsedPercent: number | null
  paceDelta: number | null
  projectedPercent: number | null
  exhaustsAt: string | null
}

describe('pace and forecast through the binary, a clock stepping through refreshes', () => {
  it('use that grows forecasts a run-out, a 429 gap holds it, idling lets it go', async () => {
    h = makeHome()
    const { env, set } = claudeAccounts(h, server, { work: { body: usage(40, 10) } })
    const at = (s: number) => ({ ...env, QUOTABAR_NOW: later(s) })
    const refreshAt = async (s: number, code = 0) => {
      const r = await runCli(['refresh'], at(s))
      expect(r.code).toBe(code)
    }
    const jsonAt = async (s: number) => {
      const r = await runCli(['-f', 'json', '--no-refresh'], at(s))
      const doc = JSON.parse(r.stdout)
      return doc.accounts[0] as { status: string; windows: JsonWindow[]; spark: (number | null)[] | null }
    }
    const session = async (s: number) =>
      (await jsonAt(s)).windows.find((w) => w.id === 'session') as JsonWindow

    // 10:00 – 10:30: the 5-hour window (reset at 12:00) grows 4 points every 5 minutes.
    for (let i = 0; i <= 6; i++) {
      set('work', { body: usage(40 + 4 * i, 10) })
      await refreshAt(300 * i)
    }
    const busy = await session(1800)
    expect(busy.usedPercent).toBe(64)
    // 3h of the 5h gone: 60 %, 4 points ahead of an even pace.
    expect(busy).toMatchObject({ elapsedPercent: 70, paceDelta: -6 })
    expect(busy.projectedPercent).toBeGreaterThan(100)
    const eta = Date.parse(busy.exhaustsAt ?? '')
    expect(eta).toBeGreaterThan(Date.parse(later(1800 + 15 * 60)))
    expect(eta).toBeLessThan(Date.parse('2026-11-22T12:00:00Z'))
    // Below the 70 % warning threshold, yet warning: the countdown counts to the run-out.
    const plain = await runCli(['--no-refresh'], at(1800))
    expect(plain.stdout).toMatch(/^work 64% ≈(1h )?\d+m\n$/)
    const bar = JSON.parse((await runCli(['-f', 'waybar', '--no-refresh'], at(1800))).stdout)
    expect(bar.class[0]).toBe('warning')

    // 10:35: the provider says 429 for 10 minutes. No point is recorded; the forecast holds.
    set('work', { status: 429, body: {}, headers: { 'retry-after': '600' } })
    await refreshAt(2100, 1)
    const cooling = await jsonAt(2400)
    expect(cooling.status).toBe('cooldown')
    expect(cooling.windows[0]?.exhaustsAt).toBe(busy.exhaustsAt)

    // From 10:45 use has stopped: 64 % at every refresh (every 10 minutes). An hour later nothing runs out.
    set('work', { body: usage(64, 10) })
    for (let s = 2700; s <= 6300; s += 600) await refreshAt(s)
    const idle = await session(6300)
    expect(idle.exhaustsAt).toBeNull()
    expect(idle.projectedPercent).toBeLessThan(70)
    expect((await runCli(['--no-refresh'], at(6300))).stdout).toBe('work 64%\n')

    // One point per successful refresh in the history; the 429 left a gap, not a zero.
    const dir = join(h.home, '.local/state/quotabar/history/claude~work')
    expect(readdirSync(dir)).toEqual(['2026-11-22.jsonl'])
    const hist = await runCli(['history', '--json'], at(6300))
    expect(hist.code).toBe(0)
    const doc = JSON.parse(hist.stdout)
    const pts = doc.accounts[0].windows.find((w: { id: string }) => w.id === 'session').points
    expect(pts).toHaveLength(7 + 7)
    expect(pts.map((p: { used: number }) => p.used)).not.toContain(0)
    const spark = (await jsonAt(6300)).spark
    expect(spark).toHaveLength(24)
    expect(spark?.slice(-2)).toEqual([64, 64])
    expect(server.count(USAGE)).toBe(7 + 1 + 7)
  }, 60_000)
})
