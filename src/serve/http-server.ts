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

function send(res: ServerResponse, head: boolean, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  })
  res.end(head ? undefined : body)
}

function handle(routes: Routes, loopbackOnly: boolean, req: IncomingMessage, res: ServerResponse): void {
  const head = req.method === 'HEAD'
  // A web page the user visits can point a DNS name at 127.0.0.1 (DNS rebinding) and read the
  // answers; a loopback server therefore only answers requests addressed to a loopback name.
  if (loopbackOnly && req.headers.host && !isLoopbackHost(hostOf(req.headers.host))) {
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
  loopbackOnly: boolean,
  log: (line: string) => void,
): Server {
  return createServer((req, res) => {
    try {
      handle(routes, loopbackOnly, req, res)
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      log(`${req.method} ${req.url}: ${message}`)
      if (!res.headersSent) send(res, false, 500, 'text/plain; charset=utf-8', 'internal error\n')
      else res.destroy()
    }
  })
}
