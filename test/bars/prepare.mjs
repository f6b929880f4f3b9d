// Prepares a HOME for the real-bar tests: three Claude logins, a config pointing them at a local
// stand-in for the usage endpoint, and a cache filled by `quotabar refresh` against it.
// Usage: node test/bars/prepare.mjs HOME_DIR [broken]
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'

const [home, mode] = process.argv.slice(2)
const bin = join(import.meta.dirname, '../../dist/quotabar.cjs')
const accounts = { work: [42, 18], personal: [76, 65], client: [94, 71] }
const reset = (h) => new Date(Date.now() + h * 3600_000).toISOString()

const server = createServer((req, res) => {
  const id = /Bearer sk-ant-oat01-bars-(\w+)-/.exec(req.headers.authorization ?? '')?.[1]
  const [session, weekly] = accounts[id] ?? [0, 0]
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(
    JSON.stringify({
      five_hour: { utilization: session, resets_at: reset(2) },
      seven_day: { utilization: weekly, resets_at: reset(100) },
    }),
  )
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const baseUrl = `http://127.0.0.1:${server.address().port}`

const config = { accounts: [] }
for (const id of Object.keys(accounts)) {
  const dir = join(home, `.claude-${id}`)
  mkdirSync(dir, { recursive: true })
  const oauth = {
    accessToken: `sk-ant-oat01-bars-${id}-0000000000`,
    expiresAt: Date.now() + 86400_000,
    scopes: ['user:profile'],
    subscriptionType: 'max',
  }
  writeFileSync(join(dir, '.credentials.json'), JSON.stringify({ claudeAiOauth: oauth }), { mode: 0o600 })
  config.accounts.push({ provider: 'claude', id, configDir: dir, baseUrl })
}
mkdirSync(join(home, '.config/quotabar'), { recursive: true })
writeFileSync(
  join(home, '.config/quotabar/config.json'),
  mode === 'broken' ? '{"accounts": [\n  {"provider": "claude" "id": "x"}\n]}' : JSON.stringify(config),
)
const env = { PATH: process.env.PATH, HOME: home }
// Asynchronous: the stand-in server lives in this process and must keep answering.
const child = spawn(process.execPath, [bin, 'refresh'], { env, stdio: ['ignore', 'inherit', 'inherit'] })
const status = await new Promise((r) => child.on('close', r))
server.close()
process.exit(mode === 'broken' ? 0 : (status ?? 1))
