import { spawnSync } from 'node:child_process'
import { expect, it } from 'vitest'

/** Real tools some tests drive (promtool, Prometheus, tmux): present when `<bin> <arg>` exits 0. */
export const hasTool = (bin: string, arg = '--version') =>
  spawnSync(bin, [arg], { stdio: 'ignore' }).status === 0

export const IN_CI = process.env.CI === 'true'

/**
 * Outside CI a test whose tool is missing skips. With CI=true a skip would let CI go green on
 * what it never ran, so one test fails instead, naming each missing tool and how to get it.
 */
export function requireToolsInCi(what: string, tools: Record<string, boolean>, install: string): void {
  const missing = Object.entries(tools)
    .filter(([, present]) => !present)
    .map(([name]) => name)
  it.runIf(IN_CI)(`CI=true: ${what} has every tool it needs`, () => {
    expect(missing, `CI=true but not installed: ${missing.join(', ')} (${install}); not skipping`).toEqual([])
  })
}
