import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { problemText } from '../../src/render/format.js'
import { segmentText } from '../../src/render/segment.js'
import type { AccountView } from '../../src/view.js'

// The troubleshooting table must explain everything a bar can show: every account status and
// every problem line, taken from the renderers themselves.
const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8')
const section = readme.slice(readme.indexOf('## Troubleshooting'), readme.indexOf('## Development'))

const base: AccountView = {
  key: 'claude/work',
  provider: 'claude',
  id: 'work',
  label: 'work',
  plan: null,
  email: null,
  status: 'ok',
  fetchedAt: null,
  ageSeconds: null,
  windows: [],
  spend: [],
  balances: [],
  error: null,
  retryAt: null,
  driver: null,
  level: 'unknown',
  active: false,
  best: false,
} as unknown as AccountView

describe('README troubleshooting', () => {
  it.each(['ok', 'warning', 'critical', 'stale', 'cooldown', 'expired', 'error', 'pending'])(
    'names the %s class',
    (cls) => {
      expect(section).toContain(`\`${cls}\``)
    },
  )

  it.each([
    ['stale', 42],
    ['expired', 42],
    ['expired', null],
    ['error', null],
    ['pending', null],
  ] as const)('explains the %s segment (driver %s)', (status, percent) => {
    const driver = percent === null ? null : { id: 'session', label: '5h', percent, resetsAt: null }
    const ctx = {
      nowMs: Date.parse('2026-11-22T10:00:00Z'),
      icons: 'none' as const,
      providerIcons: {},
      providerNames: {},
    }
    const text = segmentText({ ...base, status, driver } as AccountView, ctx, null)
    expect(section).toContain(`\`${text}\``)
  })

  it.each(['config', 'credentials', 'network'])('explains the problem line for a %s problem', (kind) => {
    const view = {
      generatedAt: '',
      accounts: [],
      thresholds: { warning: 70, critical: 90 },
      problem: { kind, message: 'x', fix: null, httpStatus: null },
    }
    expect(section).toContain(`\`${problemText(view as never)}\``)
  })
})
