import { fetchAccount } from '../../src/providers/result.js'
import { describe, expect, it } from 'vitest'
import { anthropicAdapter } from '../../src/providers/anthropic/adapter.js'
import { openaiAdapter } from '../../src/providers/openai/adapter.js'
import { offlineAccount, offlineCtx } from '../helpers/offline.js'

const ctx = offlineCtx({ OPENAI_ADMIN_KEY: 'sk-admin-test', ANTHROPIC_ADMIN_KEY: 'sk-ant-admin-test' })
const account = offlineAccount

describe('admin spend filters go into a query string, so they are checked first', () => {
  it.each([
    [
      openaiAdapter,
      account('openai', { projectId: 'proj_1&limit=1' }),
      /account openai\/x: projectId: an id such as "proj_abc123"/,
    ],
    [
      anthropicAdapter,
      account('anthropic', { workspaceId: 'a b' }),
      /account anthropic\/x: workspaceId: an id such as "wrkspc_01Jw…"/,
    ],
    [anthropicAdapter, account('anthropic', { apiKeyId: '../x' }), /apiKeyId: an id such as "apikey_01Rj…"/],
  ])('%#', async (adapter, acc, message) => {
    const r = await fetchAccount(adapter, acc, ctx)
    expect(!r.ok && [r.error.kind, r.error.message, r.error.fix]).toEqual([
      'config',
      expect.stringMatching(message),
      'fix this account in config.json',
    ])
  })
})
