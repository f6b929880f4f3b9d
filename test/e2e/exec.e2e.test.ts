import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { claudeAccounts, usage } from '../helpers/live.js'
import { type FakeServer, startServer } from '../helpers/server.js'

let server: FakeServer
let h: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => h?.cleanup())

describe('quotabar exec', () => {
  it("runs the command on the best account's login through CLAUDE_CONFIG_DIR, says which, passes the exit code", async () => {
    h = makeHome()
    const { env } = claudeAccounts(h, server, {
      work: { body: usage(85, 40) },
      personal: { body: usage(20, 30) },
    })
    const creds = join(h.home, '.claude-personal', '.credentials.json')
    const before = { text: readFileSync(creds, 'utf8'), mtime: statSync(creds).mtimeMs }
    const r = await runCli(['exec', 'claude', '--', 'sh', '-c', 'echo "dir=$CLAUDE_CONFIG_DIR"; exit 7'], env)
    expect(r.code).toBe(7)
    expect(r.stdout).toBe(`dir=${join(h.home, '.claude-personal')}\n`)
    expect(r.stderr).toBe(
      `quotabar: claude/personal: CLAUDE_CONFIG_DIR=${join(h.home, '.claude-personal')}\n`,
    )
    // The login is only pointed at: not read for a token, not rewritten.
    expect(readFileSync(creds, 'utf8')).toBe(before.text)
    expect(statSync(creds).mtimeMs).toBe(before.mtime)
    // Choosing among some accounts only, and a command's own flags stay its own.
    const w = await runCli(
      ['exec', 'claude', '-a', 'work', '--', 'sh', '-c', 'echo "$CLAUDE_CONFIG_DIR" --resume'],
      env,
    )
    expect(w.code).toBe(0)
    expect(w.stdout).toBe(`${join(h.home, '.claude-work')} --resume\n`)
  })

  it('no usable account is exit 1 with the reasons; a missing command is 127', async () => {
    h = makeHome()
    const { env } = claudeAccounts(h, server, { work: { body: usage(100, 40) } })
    const full = await runCli(['exec', 'claude', '--', 'true'], env)
    expect(full.code).toBe(1)
    expect(full.stderr).toMatch(/no usable claude account\n\s+claude\/work: 5h is at its limit/)
    const ok = claudeAccounts(h, server, { work: { body: usage(10, 40) } })
    const missing = await runCli(['exec', 'claude', '--', 'no-such-command-here'], {
      ...ok.env,
      QUOTABAR_NOW: '2026-11-22T10:10:00.000Z',
    })
    expect(missing.code).toBe(127)
    expect(missing.stderr).toMatch(/cannot run no-such-command-here/)
    expect((await runCli(['exec', 'nosuch', '--', 'true'], env)).code).toBe(2)
  })
})
