// The Cursor login read (issue 14): quotabar's reader on a state.vscdb of N rows vs the sqlite3
// shell (`sqlite3 -readonly`) asking for the same keys, median wall ms, interleaved. Ours is timed
// inside one process (open, header, schema, the key index, the rows; the page cache warm for
// both), the shell as a whole process: the target is <= 5x, and the same time at any size.
// Sizes: 1,000 and 100,000 rows of ~1 KB (1 MB, 100 MB); BENCH_CURSOR_1GB=1 adds 1,000,000 (1 GB).
// Needs the sqlite3 shell (Debian: apt-get install sqlite3) to build the files and as the peer.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { against, f1, f2, interleave, loadSource } from './lib.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 40)
const TARGET = 5
const KEYS = ['cursorAuth/accessToken', 'cursorAuth/cachedEmail', 'cursorAuth/stripeMembershipType']
const LOGIN = {
  'cursorAuth/accessToken': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhdXRoMHx1c2VyX2JlbmNoIn0.FAKESIG',
  'cursorAuth/cachedEmail': 'bench@example.test',
  'cursorAuth/stripeMembershipType': 'pro',
}

/** A state.vscdb as VS Code writes it, rows of ~1 KB, the login in the middle of the table. */
function makeDb(file, rows) {
  const fill = (from, to) =>
    `WITH RECURSIVE c(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM c WHERE i < ${to}) ` +
    `INSERT INTO ItemTable SELECT 'workbench.state.' || i, hex(randomblob(480)) FROM c;`
  const login = Object.entries(LOGIN)
    .map(([k, v]) => `INSERT INTO ItemTable VALUES ('${k}', '${v}');`)
    .join('')
  const sql = [
    'PRAGMA page_size=4096;',
    'CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);',
    'CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);',
    'BEGIN;',
    fill(1, Math.floor(rows / 2)),
    login,
    fill(Math.floor(rows / 2) + 1, rows),
    'COMMIT;',
  ].join('')
  const r = spawnSync('sqlite3', [file, sql], { stdio: 'inherit' })
  if (r.status !== 0) throw new Error(`sqlite3 could not build ${file}`)
}

export async function benchCursor() {
  if (spawnSync('sqlite3', ['-version']).status !== 0) {
    return { ok: true, lines: ['cursor login read: SKIPPED (no sqlite3 shell; apt-get install sqlite3)'] }
  }
  const { readKeyValues } = await loadSource('src/providers/cursor/sqlite.ts')
  const dir = mkdtempSync(join(tmpdir(), 'quotabar-bench-cursor-'))
  const sizes = [1_000, 100_000, ...(process.env.BENCH_CURSOR_1GB ? [1_000_000] : [])]
  const query = `SELECT key, value FROM ItemTable WHERE key IN (${KEYS.map((k) => `'${k}'`).join(', ')})`
  const lines = []
  let ok = true
  const ours = []
  try {
    for (const rows of sizes) {
      const file = join(dir, `state-${rows}.vscdb`)
      makeDb(file, rows)
      const got = Object.fromEntries(readKeyValues(file, 'ItemTable', KEYS))
      if (JSON.stringify(got) !== JSON.stringify(LOGIN))
        throw new Error(`wrong login read: ${JSON.stringify(got)}`)
      const peer = spawnSync('sqlite3', ['-readonly', file, query]).stdout.toString()
      if (peer.trim().split('\n').length !== KEYS.length) throw new Error(`sqlite3 answered ${peer}`)
      const ms = (fn) => () => {
        const t0 = process.hrtime.bigint()
        fn()
        return Number(process.hrtime.bigint() - t0) / 1e6
      }
      const [mine, theirs] = interleave(RUNS, 3, [
        ms(() => readKeyValues(file, 'ItemTable', KEYS)),
        ms(() => spawnSync('sqlite3', ['-readonly', file, query], { stdio: ['ignore', 'pipe', 'inherit'] })),
      ])
      ours.push(mine)
      const ratio = mine / theirs
      ok &&= ratio <= TARGET
      const mb = statSync(file).size / 2 ** 20
      lines.push(
        `cursor login read, ${rows.toLocaleString('en')} rows (${f1(mb)} MB): ${f2(mine)} ms vs sqlite3 -readonly ${f2(theirs)} ms -> ${against(ratio, TARGET)}`,
      )
      rmSync(file)
    }
    const growth = ours.at(-1) / ours[0]
    lines.push(
      `cursor login read, ${sizes.at(-1).toLocaleString('en')} vs ${sizes[0].toLocaleString('en')} rows: ${f2(growth)}x the time (constant in table size: ~1x)${process.env.BENCH_CURSOR_1GB ? '' : '; 1 GB: BENCH_CURSOR_1GB=1'}`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return { ok, lines }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { ok, lines } = await benchCursor()
  for (const l of lines) console.log(l)
  process.exitCode = ok ? 0 : 1
}
