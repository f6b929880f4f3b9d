import type { ErrorInfo } from '../model.js'
import { DEFAULT_COLORS } from '../render/palette.js'
import { type Format, renderers } from '../render/index.js'

/** A bar must always get one valid line: this renders a problem in the requested format. */
export function renderProblem(format: Format, problem: ErrorInfo, now: Date) {
  const view = {
    generatedAt: now.toISOString(),
    accounts: [],
    thresholds: { warning: 70, critical: 90 },
    problem,
  }
  return renderers[format](view, { colors: DEFAULT_COLORS, providerNames: {} })
}

/** Starts `quotabar __refresh` detached, so a bar's render returns at once. */
export function spawnRefresh(
  bin: string,
  keys: string[],
  token: string,
  configFile: string | null,
): number | null {
  const args = [bin, '__refresh', '--token', token, ...(configFile ? ['--config', configFile] : []), ...keys]
  // Loaded here, not at the top: only a render with stale data pays for child_process.
  const { spawn } = require('node:child_process') as typeof import('node:child_process')
  const child = spawn(process.execPath, args, { detached: true, stdio: 'ignore' })
  child.on('error', () => {})
  child.unref()
  return child.pid ?? null
}
