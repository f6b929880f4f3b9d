import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A real HTTP server on 127.0.0.1 standing in for a provider. Routes are swapped per test. */

export interface Reply {
  status?: number
  body?: unknown
  /** Raw text instead of JSON (HTML pages, truncated bodies). */
  raw?: string
  headers?: Record<string, string>
  delayMs?: number
  /** Answer only once this settles (then after delayMs): holds a fetch until the test is ready. */
  until?: Promise<unknown>
  /** Never answer (for timeouts). */
  hang?: boolean
}

export interface Recorded {
  method: string
  path: string
  headers: IncomingMessage['headers']
}

export interface FakeServer {
  url: string
  requests: Recorded[]
  /** Route by "METHOD /path" or "/path"; a function sees the request. */
  on(route: string, reply: Reply | ((req: IncomingMessage) => Reply)): void
  count(path: string): number
  close(): Promise<void>
}

export async function startServer(): Promise<FakeServer> {
  const routes = new Map<string, Reply | ((req: IncomingMessage) => Reply)>()
  const requests: Recorded[] = []
  const hanging: ServerResponse[] = []
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers })
    const route = routes.get(`${req.method} ${path}`) ?? routes.get(path)
    const reply = typeof route === 'function' ? route(req) : route
    if (!reply) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no route"}')
      return
    }
    if (reply.hang) {
      hanging.push(res)
      return
    }
    const send = () => {
      const body = reply.raw ?? JSON.stringify(reply.body ?? {})
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers }).end(body)
    }
    const later = () => (reply.delayMs ? setTimeout(send, reply.delayMs) : send())
    if (reply.until) void reply.until.then(later, later)
    else later()
  })
  // The client shares this process's event loop: after a long synchronous stretch (a starved
  // worker, a big fixture) both idle timers are overdue at once, the client reuses its pooled
  // socket in the same turn as the server's 5 s keep-alive timer closes it, and the request fails
  // with ECONNRESET. A provider's server runs elsewhere; this one never closes an idle socket.
  server.keepAliveTimeout = 0
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on: (route, reply) => {
      routes.set(route, reply)
    },
    count: (path) => requests.filter((r) => r.path === path).length,
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A port that refuses connections: bound once, then closed. */
export async function refusedUrl(): Promise<string> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as AddressInfo
  await new Promise((resolve) => s.close(resolve))
  return `http://127.0.0.1:${port}`
}
