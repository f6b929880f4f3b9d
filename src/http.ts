import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import type { z } from 'zod'
import { formatPath } from './issue-path.js'
import type { ErrorInfo, ErrorKind } from './model.js'
import { debug } from './debug.js'

/** The one HTTP helper: timeout, size cap, no redirects, status → typed error, zod at the boundary. */

export class HttpError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterSeconds: number | null = null,
    /** The provider's own error text from a JSON error body, if any. */
    readonly providerMessage: string | null = null,
  ) {
    super(message)
  }

  toInfo(fix: string | null = null): ErrorInfo {
    return { kind: this.kind, message: this.message, fix, httpStatus: this.status }
  }
}

export interface GetJsonOptions {
  headers: Record<string, string>
  timeoutMs: number
  maxBytes?: number
  /** Strings that must never appear in an error message (the credential itself). */
  secrets?: string[]
}

const MAX_BYTES = 1024 * 1024

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h)
}

/** `baseUrl` replaces the origin of the documented endpoint; the path stays. */
export function withOrigin(defaultUrl: string, baseUrl: string | undefined): string {
  if (!baseUrl) return defaultUrl
  const u = new URL(defaultUrl)
  const b = new URL(baseUrl)
  u.protocol = b.protocol
  u.host = b.host
  return u.toString()
}

/** Retry-After is delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | null {
  const v = Array.isArray(value) ? value[0] : value
  if (v === undefined || v.trim() === '') return null
  if (/^\d+$/.test(v.trim())) return Number(v.trim())
  const date = Date.parse(v)
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - nowMs) / 1000))
}

/**
 * Every form a secret takes when a server echoes the request back: raw, URL- and form-encoded
 * (a token endpoint repeating its form body), base64 with and without padding, base64url.
 */
function secretForms(secret: string): string[] {
  const b64 = Buffer.from(secret).toString('base64')
  const form = new URLSearchParams({ s: secret }).toString().slice(2)
  const forms = [
    secret,
    encodeURIComponent(secret),
    form,
    b64,
    b64.replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url'),
  ]
  // Longest first, so a padded form goes before its unpadded prefix.
  return [...new Set(forms)].sort((a, b) => b.length - a.length)
}

function scrub(text: string, secrets: string[]): string {
  let out = text
  for (const s of secrets) {
    if (s.length < 8) continue
    for (const f of secretForms(s)) out = out.split(f).join('[redacted]')
  }
  return out.replace(/[\u0000-\u001f]+/g, ' ').slice(0, 300)
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key', 'cookie', 'proxy-authorization'])

/**
 * What the request itself carried that must never come back in an error text, even when a caller
 * forgot to list it: credential headers (and the token after the scheme) and every value of a
 * form body (a token endpoint's refresh_token, client_secret). scrub() drops those below 8
 * characters, so `grant_type=refresh_token` values are not hunted for.
 */
function carried(headers: Record<string, string>, payload: string | null): string[] {
  const out: string[] = []
  for (const [name, value] of Object.entries(headers)) {
    if (!CREDENTIAL_HEADERS.has(name.toLowerCase())) continue
    out.push(value, value.replace(/^\S+\s+/, ''))
    for (const part of value.split(';')) out.push(part.trim().replace(/^[^=]*=/, ''))
  }
  const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? ''
  if (payload && type.includes('x-www-form-urlencoded'))
    for (const [, v] of new URLSearchParams(payload)) if (v.length >= 16) out.push(v)
  return out
}

/** Pulls a human message out of common JSON error envelopes. */
function errorMessage(body: string): string | null {
  try {
    const j: unknown = JSON.parse(body)
    if (typeof j !== 'object' || j === null) return null
    const rec = j as Record<string, unknown>
    const e = rec.error
    if (typeof e === 'string') return e
    if (typeof e === 'object' && e !== null && typeof (e as Record<string, unknown>).message === 'string') {
      return (e as Record<string, string>).message ?? null
    }
    return typeof rec.message === 'string' ? rec.message : null
  } catch {
    return null
  }
}

const looksLikeHtml = (body: string, type: string) => type.includes('html') || /^\s*</.test(body)

/**
 * A reply's zod schema, or a hand check with the schema behind it: `handCheck` returns exactly
 * what the schema would for the replies it vouches for and null for any other, which the schema
 * (loaded only then) decides, with its own errors and notes. For the payloads a detached refresh
 * parses on every run, where building zod and the schema costs more than the request.
 */
export type JsonShape<S extends z.ZodType> =
  | S
  | { handCheck(json: unknown): z.output<S> | null; schema(): Promise<S> }

type JsonReply<S extends z.ZodType> = {
  data: z.output<S>
  headers: IncomingHttpHeaders
  /** Parts of the payload left out because they did not parse (src/kept.ts), one line each. */
  notes: string[]
}

export function getJson<S extends z.ZodType>(
  url: string,
  schema: JsonShape<S>,
  options: GetJsonOptions,
): Promise<JsonReply<S>> {
  return requestJson('GET', url, schema, options, null)
}

export interface PostJsonOptions extends GetJsonOptions {
  /** Sent as JSON, or form-encoded when it is URLSearchParams (OAuth token endpoints). */
  body: unknown
}

/** POST sibling of getJson: same timeout, size cap, error mapping and zod parse. */
export function postJson<S extends z.ZodType>(
  url: string,
  schema: JsonShape<S>,
  options: PostJsonOptions,
): Promise<JsonReply<S>> {
  const form = options.body instanceof URLSearchParams
  const body = form ? String(options.body) : JSON.stringify(options.body)
  const type = form ? 'application/x-www-form-urlencoded' : 'application/json'
  const headers = { 'content-type': type, ...options.headers }
  return requestJson('POST', url, schema, { ...options, headers }, body)
}

/**
 * GET a body that is not one JSON document (NDJSON report files): the same timeout, size cap,
 * plain-http rule and status → typed error as getJson, the text returned as it came.
 */
export async function getText(
  url: string,
  options: GetJsonOptions,
): Promise<{ body: string; headers: IncomingHttpHeaders }> {
  const r = await requestBody('GET', url, options, null)
  return { body: r.body, headers: r.res.headers }
}

async function requestBody(
  method: 'GET' | 'POST',
  url: string,
  options: GetJsonOptions,
  payload: string | null,
): Promise<{ body: string; res: IncomingMessage; where: string; type: string; status: number }> {
  const secrets = [...(options.secrets ?? []), ...carried(options.headers, payload)]
  const target = new URL(url)
  if (target.protocol === 'http:' && !isLoopback(target.hostname)) {
    throw new HttpError('config', `refusing to send credentials over plain http to ${target.host}`)
  }
  // No query string: some providers take keys or filters there.
  const where = `${target.origin}${target.pathname}`
  const started = Date.now()
  const took = () => `${Date.now() - started} ms`
  let res: IncomingMessage
  try {
    res = await send(method, target, options, payload)
  } catch (err) {
    const failure = networkError(err, where)
    debug(`${method} ${where} → ${failure.message} (${took()})`)
    throw failure
  }
  let body = ''
  try {
    body = await readCapped(res, options.maxBytes ?? MAX_BYTES)
  } catch (err) {
    if (err instanceof HttpError) throw err
    throw networkError(err, where)
  }
  const type = String(res.headers['content-type'] ?? '')
  const status = res.statusCode ?? 0
  debug(`${method} ${where} → HTTP ${status}, ${body.length} bytes (${took()})`)
  if (status < 200 || status >= 300) {
    const provider = errorMessage(body)
    const detail = provider
      ? `: ${scrub(provider, secrets)}`
      : looksLikeHtml(body, type)
        ? ' (an HTML page)'
        : ''
    if (status >= 300 && status < 400) {
      throw new HttpError('http', `${where} redirected (HTTP ${status}); redirects are not followed`, status)
    }
    const kind: ErrorKind =
      status === 401 ? 'auth' : status === 403 ? 'forbidden' : status === 429 ? 'rate-limited' : 'http'
    const retry = status === 429 ? parseRetryAfter(res.headers['retry-after'], Date.now()) : null
    throw new HttpError(
      kind,
      `HTTP ${status} from ${where}${detail}`,
      status,
      retry,
      provider ? scrub(provider, secrets) : null,
    )
  }
  return { body, res, where, type, status }
}

async function requestJson<S extends z.ZodType>(
  method: 'GET' | 'POST',
  url: string,
  shape: JsonShape<S>,
  options: GetJsonOptions,
  payload: string | null,
): Promise<JsonReply<S>> {
  const { body, res, where, type, status } = await requestBody(method, url, options, payload)
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    const what = looksLikeHtml(body, type)
      ? 'an HTML page instead of JSON (a proxy, captive portal or Cloudflare challenge?)'
      : 'a body that is not JSON'
    throw new HttpError('schema', `${where} answered with ${what}`, status)
  }
  const hand = 'handCheck' in shape ? shape.handCheck(json) : null
  if (hand !== null) return { data: hand, headers: res.headers, notes: [] }
  const schema = 'handCheck' in shape ? await shape.schema() : shape
  // kept.ts builds zod pieces: loaded with the first schema a reply needs.
  const { parseKept } = await import('./kept.js')
  const parsed = parseKept(schema, json)
  if (!parsed.success) {
    const issue = parsed.issue
    const field = issue ? `${formatPath(issue.path)}: ${issue.message}` : 'unexpected shape'
    throw new HttpError('schema', `unexpected response from ${where} (${field})`, status)
  }
  return { data: parsed.data, headers: res.headers, notes: parsed.notes }
}

/**
 * One request through Node's own http/https (a bundled HTTP client costs a refresh more start-up
 * time than the request itself). Redirects are never followed; the timeout covers connecting,
 * the headers and the whole body.
 */
function send(
  method: 'GET' | 'POST',
  target: URL,
  options: GetJsonOptions,
  payload: string | null,
): Promise<IncomingMessage> {
  // Only the module the URL needs, fetched when a request is made: node:https brings TLS along.
  const { request } = process.getBuiltinModule(target.protocol === 'https:' ? 'node:https' : 'node:http')
  const headers =
    payload === null
      ? options.headers
      : { ...options.headers, 'content-length': String(Buffer.byteLength(payload)) }
  // One deadline for the request and its one retry.
  const signal = AbortSignal.timeout(options.timeoutMs)
  const attempt = (fresh: boolean): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const req = request(target, { method, headers, signal, ...(fresh ? { agent: false } : {}) }, resolve)
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed just as this GET went out on it (`serve` and `watch`
        // keep sockets between refreshes): it got no answer, so it is asked once more on a new
        // connection. A POST is never sent twice.
        if (!fresh && method === 'GET' && req.reusedSocket && err.code === 'ECONNRESET') {
          attempt(true).then(resolve, reject)
        } else reject(err)
      })
      req.end(payload ?? undefined)
    })
  return attempt(false)
}

async function readCapped(body: AsyncIterable<Buffer>, max: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > max) throw new HttpError('http', `response larger than ${Math.round(max / 1024)} KiB`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function networkError(err: unknown, where: string): HttpError {
  const e = err as { name?: string; code?: string; cause?: { code?: string } }
  const code = e.code ?? e.cause?.code ?? e.name ?? 'error'
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || /TIMEOUT/.test(code)) {
    return new HttpError('timeout', `${where} did not answer in time`)
  }
  return new HttpError('network', `cannot reach ${where} (${code})`)
}
