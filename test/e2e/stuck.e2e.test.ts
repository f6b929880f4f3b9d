import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { type Fleet, makeFleet, requestsFor } from '../helpers/fleet.js'
import { type FakeServer, startServer } from '../helpers/server.js'

/** Never stuck, never a hang: inputs that once blocked a refresh or left an account pending. */

let server: FakeServer
let f: Fleet | undefined
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => f?.h.cleanup())

describe('a credentials path that is not a regular file', () => {
  it.each([
    ['a FIFO', (p: string) => execFileSync('mkfifo', [p]), 'a FIFO, not a regular file'],
    ['a directory', (p: string) => mkdirSync(p), 'a directory, not a regular file'],
    [
      'a device (through a symlink)',
      (p: string) => symlinkSync('/dev/zero', p),
      'a device, not a regular file',
    ],
  ])('%s is refused with a clear error and never blocks', async (_n, plant, why) => {
    f = makeFleet(server, ['work'])
    const file = join(f.dirs.work, '.credentials.json')
    rmSync(file)
    plant(file)
    const r = await runCli(['refresh', 'work'], f.env, 8000)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`cannot read ${file} (${why})`)
    expect(requestsFor(server, 'work')).toBe(0)
    const bar = await runCli(['-f', 'waybar', '--no-refresh'], f.env, 8000)
    expect(bar.code).toBe(0)
    expect(JSON.parse(bar.stdout).class).toContain('error')
  })
})
