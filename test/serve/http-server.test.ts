import { request } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createQuotabarServer,
  type HostPolicy,
  hostAllowed,
  MAX_CONNECTIONS,
} from '../../src/serve/http-server.js'

const routes = { metrics: () => '# EOF', snapshots: () => '{}', health: () => ({ ok: true, body: {} }) }
let close: (() => Promise<void>) | null = null
/** The connections the last server started by serve() has accepted. */
let connections: () => Promise<number> = async () => 0
afterEach(async () => {
  await close?.()
  close = null
})

async function serve(policy: HostPolicy): Promise<number> {
  const server = createQuotabarServer(routes, policy, () => {})
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  close = () =>
    new Promise((r) => {
      server.closeAllConnections()
      server.close(() => r())
    })
  connections = () => new Promise((r, j) => server.getConnections((err, n) => (err ? j(err) : r(n))))
  return (server.address() as AddressInfo).port
}

const status = (port: number, host: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path: '/metrics', headers: { host } }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })

describe('serve: the Host header (DNS rebinding), bound beyond loopback too', () => {
  it.each([
    ['127.0.0.1', 'localhost:9477', true],
    ['127.0.0.1', 'evil.example:9477', false],
    ['0.0.0.0', 'evil.example:9477', false],
    ['0.0.0.0', '192.168.1.5:9477', true],
    ['0.0.0.0', '[fe80::1]:9477', true],
    ['192.168.1.5', '192.168.1.5:9477', true],
    ['192.168.1.5', '10.0.0.9:9477', false],
    ['192.168.1.5', 'metrics.lan:9477', false],
    ['::', 'evil.example', false],
  ] as const)('bound to %s, Host %s → allowed %s', (bound, host, allowed) => {
    expect(hostAllowed(host, { bound, allow: [] })).toBe(allowed)
  })

  it('a name in --allow-host is answered; any other name gets 403', async () => {
    const port = await serve({ bound: '0.0.0.0', allow: ['metrics.lan'] })
    expect(await status(port, `metrics.lan:${port}`)).toBe(200)
    expect(await status(port, `METRICS.LAN:${port}`)).toBe(200)
    expect(await status(port, `rebind.evil.example:${port}`)).toBe(403)
  })
})

describe('serve: connections', () => {
  it('a connection that sends no complete request is dropped within a few seconds', async () => {
    const port = await serve({ bound: '127.0.0.1', allow: [] })
    const closed = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1', () => s.write('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n'))
      let got = ''
      s.on('data', (d) => {
        got += d
      })
      s.on('close', () => resolve(got))
      s.on('error', () => {})
    })
    expect(closed).toMatch(/^HTTP\/1\.1 408/)
  }, 15_000)

  it(`at most ${MAX_CONNECTIONS} connections at once: the next is closed at once`, async () => {
    const port = await serve({ bound: '127.0.0.1', allow: [] })
    const open = await Promise.all(
      Array.from(
        { length: MAX_CONNECTIONS },
        () =>
          new Promise<ReturnType<typeof connect>>((resolve) => {
            const s = connect(port, '127.0.0.1', () => resolve(s))
            s.on('error', () => {})
          }),
      ),
    )
    // A client's connect fires once the kernel has the connection, before the server has
    // accepted it: wait until the server counts all of them (then the next is the extra one).
    const deadline = Date.now() + 8000
    while ((await connections()) < MAX_CONNECTIONS && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10))
    expect(await connections()).toBe(MAX_CONNECTIONS)
    const extra = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1')
      s.on('error', () => {})
      s.on('close', () => resolve(true))
      setTimeout(() => resolve(false), 2000)
    })
    expect(extra).toBe(true)
    for (const s of open) s.destroy()
  })
})
