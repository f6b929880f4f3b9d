import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { isIP } from 'node:net'

/**
 * The routes of `quotabar serve`. Each request renders from the cache files at that moment, so
 * what a scrape sees is exactly what `quotabar -f prometheus` / `-f json` would print.
 */
export interface Routes {
  /** OpenMetrics text, ending in `# EOF`. */
  metrics(): string
  /** The json document (design §4). */
  snapshots(): string
  health(): { ok: boolean; body: unknown }
}

export const OPENMETRICS_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8'
// Same bytes: `# UNIT` and `# EOF` are comments in the classic format, for clients that ask for it.
const TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

/** `127.0.0.1`, `127.x.y.z`, `::1`, `localhost`: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (h === 'localhost' || h.endsWith('.localhost')) return true
  if (isIP(h) === 4) return h.startsWith('127.')
  return h === '::1' || h === '::ffff:127.0.0.1'
}

/** The host part of a Host header (`[::1]:9477` → `::1`). */
function hostOf(header: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(header)
  return m?.[1] ?? header.replace(/:\d+$/, '')
}

/** Which names a request may address: the bound address, loopback names, and `--allow-host`. */
export interface HostPolicy {
  bound: string
  allow: string[]
}

/**
 * A web page the user visits can point a DNS name it controls at this machine (DNS rebinding)
 * and read the answers through the browser. Such a request carries that name in its Host
 * header, so only the names this server is meant to be reached by are answered: loopback names,
 * the bound address (any IP literal when bound to a wildcard address: a page cannot rebind one)
 * and the names given with --allow-host. No Host header at all (HTTP/1.0 scrapers): no browser.
 */
export function hostAllowed(header: string | undefined, policy: HostPolicy): boolean {
  if (!header) return true
  const h = hostOf(header).toLowerCase()
  if (isLoopbackHost(h) || policy.allow.some((a) => a.toLowerCase() === h)) return true
  const bound = policy.bound.replace(/^\[|\]$/g, '').toLowerCase()
  if (h === bound) return true
  return (bound === '0.0.0.0' || bound === '::') && isIP(h) !== 0
}

/** Connections that never finish a request are dropped; at most this many are open at once. */
const HEADERS_TIMEOUT_MS = 5000
const REQUEST_TIMEOUT_MS = 10_000
export const MAX_CONNECTIONS = 64

function send(res: ServerResponse, head: boolean, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  })
  res.end(head ? undefined : body)
}

function handle(routes: Routes, policy: HostPolicy, req: IncomingMessage, res: ServerResponse): void {
  const head = req.method === 'HEAD'
  if (!hostAllowed(req.headers.host, policy)) {
    send(res, head, 403, 'text/plain; charset=utf-8', 'quotabar serve: this host name is not allowed\n')
    return
  }
  const path = (req.url ?? '/').split('?')[0]
  const known = path === '/metrics' || path === '/health' || path === '/v1/snapshots'
  if (!known) {
    send(res, head, 404, 'text/plain; charset=utf-8', 'not found: try /metrics, /health or /v1/snapshots\n')
    return
  }
  if (req.method !== 'GET' && !head) {
    res.setHeader('allow', 'GET, HEAD')
    send(res, false, 405, 'text/plain; charset=utf-8', 'method not allowed\n')
    return
  }
  if (path === '/metrics') {
    const accept = req.headers.accept ?? ''
    const classic = accept.includes('text/plain') && !accept.includes('application/openmetrics-text')
    send(res, head, 200, classic ? TEXT_TYPE : OPENMETRICS_TYPE, `${routes.metrics()}\n`)
  } else if (path === '/v1/snapshots') {
    send(res, head, 200, 'application/json; charset=utf-8', `${routes.snapshots()}\n`)
  } else {
    const h = routes.health()
    send(res, head, h.ok ? 200 : 503, 'application/json; charset=utf-8', `${JSON.stringify(h.body)}\n`)
  }
}

export function createQuotabarServer(
  routes: Routes,
  policy: HostPolicy,
  log: (line: string) => void,
): Server {
  // A client that connects and sends nothing (or a header a byte a minute) must not hold a
  // connection for ever: Node checks these timeouts every connectionsCheckingInterval.
  const server = createServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      keepAliveTimeout: HEADERS_TIMEOUT_MS,
      connectionsCheckingInterval: 1000,
    },
    (req, res) => {
      try {
        handle(routes, policy, req, res)
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        log(`${req.method} ${req.url}: ${message}`)
        if (!res.headersSent) send(res, false, 500, 'text/plain; charset=utf-8', 'internal error\n')
        else res.destroy()
      }
    },
  )
  server.maxConnections = MAX_CONNECTIONS
  return server
}
