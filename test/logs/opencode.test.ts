import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import initSqlJs, { type SqlJsStatic } from 'sql.js'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { columnNames } from '../../src/logs/opencode-db.js'
import { accountOf, byModel, scan, tempCopy } from './helpers.js'

// test/fixtures/logs/opencode/storage/message: a user message; sonnet-4-6 with OpenCode's own
// cost 0.05 (used as is); gpt-5.5 with cost 0 (priced here); an errored turn with zero tokens.
// The databases below are written by sql.js, as OpenCode (SQLite) writes them.
const NOW = '2026-08-12T12:00:00.000Z'
const T = 1786525320000 // 2026-08-12T09:02:00Z

let SQL: SqlJsStatic
beforeAll(async () => {
  SQL = await initSqlJs()
})
let t: ReturnType<typeof tempCopy> | undefined
afterEach(() => t?.cleanup())

const assistant = (modelID: string, cost: number, tokens: object, created = T) =>
  JSON.stringify({
    role: 'assistant',
    time: { created, completed: created + 5000 },
    parentID: 'msg_7c1f00000001',
    modelID,
    providerID: modelID.startsWith('gpt') ? 'openai' : 'anthropic',
    mode: 'build',
    agent: 'build',
    path: { cwd: '/home/dev/src/shop', root: '/home/dev/src/shop' },
    cost,
    tokens,
    finish: 'stop',
  })

/** OpenCode's current `message` table; `data` is the message without id and sessionID. */
function writeDb(file: string, rows: [string, string][], oldSchema = false) {
  const db = new SQL.Database()
  db.run(
    oldSchema
      ? 'CREATE TABLE `message` (`id` text PRIMARY KEY NOT NULL, `session_id` text NOT NULL, `created_at` integer NOT NULL, `data` text NOT NULL)'
      : 'CREATE TABLE `message` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`session_id` text NOT NULL,\n\t`time_created` integer NOT NULL,\n\t`time_updated` integer NOT NULL,\n\t`data` text NOT NULL,\n\tFOREIGN KEY (`session_id`) REFERENCES `session`(`id`) ON DELETE cascade\n)',
  )
  db.run('CREATE TABLE `session` (`id` text PRIMARY KEY NOT NULL, `title` text)')
  // Long user turns, as real sessions have: rows spill into overflow pages.
  for (let i = 0; i < 150; i++)
    rows.push([
      `msg_noise${i}`,
      JSON.stringify({ role: 'user', time: { created: T }, text: 'u'.repeat(i * 61) }),
    ])
  for (const [id, data] of rows) {
    db.run(
      oldSchema ? 'INSERT INTO message VALUES (?, ?, ?, ?)' : 'INSERT INTO message VALUES (?, ?, ?, ?, ?)',
      oldSchema ? [id, 'ses_1', T, data] : [id, 'ses_1', T, T, data],
    )
  }
  writeFileSync(file, db.export())
  db.close()
}

function setup() {
  t = tempCopy('opencode')
  writeDb(join(t.dir, 'opencode.db'), [
    // The same message as the legacy JSON file, with more output: the database wins.
    [
      'msg_7c1f00000003',
      assistant('gpt-5.5', 0, {
        input: 20000,
        output: 2000,
        reasoning: 300,
        cache: { read: 4000, write: 0 },
      }),
    ],
    [
      'msg_7c1f00000005',
      assistant('claude-opus-4-8', 0, {
        input: 100,
        output: 200,
        reasoning: 0,
        cache: { read: 1000, write: 500 },
      }),
    ],
    ['msg_7c1f00000006', JSON.stringify({ role: 'user', time: { created: T } })],
  ])
  // A channel database from an older OpenCode: another column order.
  writeDb(
    join(t.dir, 'opencode-beta.db'),
    [
      [
        'msg_7c1f00000007',
        assistant('claude-haiku-4-5', 0.0123, {
          input: 10,
          output: 10,
          reasoning: 0,
          cache: { read: 0, write: 0 },
        }),
      ],
    ],
    true,
  )
  return { dir: t.dir, cacheDir: t.cacheDir, account: accountOf('opencode', t.dir) }
}

describe('OpenCode', () => {
  it('reads opencode.db, channel databases and legacy JSON; database rows win', async () => {
    const { account, cacheDir } = setup()
    const usage = await scan(account, cacheDir, NOW)
    expect(byModel(usage)).toEqual({
      // legacy JSON: OpenCode's own cost
      'claude-sonnet-4-6': { cost: 0.05, tokens: 43500, requests: 1, unpriced: 0 },
      // database row: 20000·5e-6 + 2000·3e-5 + 4000·5e-7 (the JSON copy, 0.132, is not counted)
      'gpt-5.5': { cost: 0.162, tokens: 26000, requests: 1, unpriced: 0 },
      // 100·5e-6 + 200·2.5e-5 + 1000·5e-7 + 500·6.25e-6
      'claude-opus-4-8': { cost: 0.009125, tokens: 1800, requests: 1, unpriced: 0 },
      'claude-haiku-4-5': { cost: 0.0123, tokens: 20, requests: 1, unpriced: 0 },
    })
    expect(usage.reasons).toEqual({ 'zero-usage': 1 })
  })

  it('an unchanged database is not read again; a changed one is', async () => {
    const { account, cacheDir, dir } = setup()
    await scan(account, cacheDir, NOW)
    expect((await scan(account, cacheDir, NOW)).stats).toMatchObject({ filesRead: 0, changed: false })
    writeDb(join(dir, 'opencode.db'), [
      [
        'msg_7c1f00000005',
        assistant('claude-opus-4-8', 0, {
          input: 100,
          output: 200,
          reasoning: 0,
          cache: { read: 1000, write: 500 },
        }),
      ],
    ])
    const usage = await scan(account, cacheDir, NOW)
    expect(usage.stats.filesRead).toBe(1)
    // msg 3 left the database: its legacy JSON file counts again (cost 0 → priced: 0.132).
    expect(byModel(usage)['gpt-5.5']).toEqual({ cost: 0.132, tokens: 25000, requests: 1, unpriced: 0 })
  })

  it('legacy JSON only', async () => {
    t = tempCopy('opencode')
    const usage = await scan(accountOf('opencode', t.dir), t.cacheDir, NOW)
    expect(Object.keys(byModel(usage)).sort()).toEqual(['claude-sonnet-4-6', 'gpt-5.5'])
    rmSync(join(t.dir, 'storage', 'message', 'ses_7c1f2e3d4ffeQuotabarTest01', 'msg_7c1f00000002.json'))
    expect(Object.keys(byModel(await scan(accountOf('opencode', t.dir), t.cacheDir, NOW)))).toEqual([
      'gpt-5.5',
    ])
  })

  it('a damaged database is a reason, not a crash', async () => {
    const { account, cacheDir, dir } = setup()
    writeFileSync(join(dir, 'opencode.db'), 'SQLite format 3\u0000 but then nothing')
    const usage = await scan(account, cacheDir, NOW)
    expect(usage.reasons['unreadable-database']).toBe(1)
    expect(byModel(usage)['claude-haiku-4-5']).toMatchObject({ requests: 1 })
  })

  it('finds columns by name in a CREATE TABLE statement', () => {
    expect(
      columnNames(
        'CREATE TABLE "message" ("id" text PRIMARY KEY, [session_id] text, data text DEFAULT (json(\'{}\')), CONSTRAINT x UNIQUE (id))',
      ),
    ).toEqual(['id', 'session_id', 'data'])
  })
})
