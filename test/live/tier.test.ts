import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { idleTier, TIER_OFF, TIER_ON } from '../../src/live/process.js'

describe('idleTier', () => {
  it('keeps the optimising tier off except while a refresh runs, however refreshes overlap', async () => {
    const set: string[] = []
    const tier = idleTier((f) => set.push(f))
    expect(set).toEqual([TIER_OFF])
    let endFirst = () => {}
    const first = tier.during(() => new Promise<string>((r) => (endFirst = () => r('one'))))
    expect(set).toEqual([TIER_OFF, TIER_ON])
    const second = tier.during(async () => 'two')
    expect(await second).toBe('two')
    // The first is still running: the tier stays on.
    expect(set).toEqual([TIER_OFF, TIER_ON])
    endFirst()
    expect(await first).toBe('one')
    expect(set).toEqual([TIER_OFF, TIER_ON, TIER_OFF])
    tier.end()
    expect(set.at(-1)).toBe(TIER_ON)
  })

  it('turns the tier off again after a refresh that fails, and passes the failure on', async () => {
    const set: string[] = []
    const tier = idleTier((f) => set.push(f))
    await expect(tier.during(() => Promise.reject(new Error('503')))).rejects.toThrow('503')
    await expect(
      tier.during(() => {
        throw new Error('at once')
      }),
    ).rejects.toThrow('at once')
    expect(set).toEqual([TIER_OFF, TIER_ON, TIER_OFF, TIER_ON, TIER_OFF])
  })

  // V8 ignores a flag it does not know: this fails if a Node upgrade renames them.
  it("uses flags this node's V8 honours at run time, off and on again", () => {
    const script = `
      const v8 = require('node:v8')
      const hot = () => { const f = new Function('x', 'let s = 0; for (let i = 0; i < 50; i++) s += x * i; return s'); for (let i = 0; i < 3e5; i++) f(i); return (%GetOptimizationStatus(f) & 16) !== 0 }
      v8.setFlagsFromString(${JSON.stringify(TIER_OFF)})
      const off = hot()
      v8.setFlagsFromString(${JSON.stringify(TIER_ON)})
      console.log(JSON.stringify({ off, on: hot() }))`
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual({ off: false, on: true })
  })
})
