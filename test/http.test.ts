import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { getJson, HttpError, postJson } from '../src/http.js'
import { echoingReply, findSecrets, plantSecret } from './helpers/secrets.js'
import { type FakeServer, startServer } from './helpers/server.js'

let server: FakeServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

describe('error text never carries what the request carried', () => {
  it('a token endpoint echoing its form body and headers: every secret scrubbed, even unlisted ones', async () => {
    const refresh = plantSecret('1//0g', 'refresh')
    const clientSecret = plantSecret('GOCSPX-', 'client')
    const bearer = plantSecret('ya29.', 'bearer')
    for (const only of ['raw', 'url-encoded', 'base64', 'base64url'] as const) {
      server.on('/token', echoingReply([refresh, clientSecret, bearer], 400, only))
      const err = await postJson(`${server.url}/token`, z.object({}), {
        headers: { authorization: `Bearer ${bearer}` },
        timeoutMs: 2000,
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refresh,
          client_secret: clientSecret,
        }),
      }).then(
        () => null,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(HttpError)
      const e = err as HttpError
      expect(e.message).toContain('HTTP 400')
      expect(
        findSecrets([refresh, clientSecret, bearer], {
          message: e.message,
          provider: e.providerMessage ?? '',
        }),
      ).toEqual([])
    }
  })
})

describe('a kept-alive socket closed by the server', () => {
  // A server that answers the first request on each connection and resets the connection when a
  // second request arrives on it: what a provider's idle timeout does to a pooled socket.
  async function resettingServer() {
    const { createServer } = await import('node:http')
    const seen: string[] = []
    const served = new WeakSet<object>()
    const srv = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      if (served.has(req.socket)) {
        req.socket.resetAndDestroy()
        return
      }
      served.add(req.socket)
      res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive' })
      res.end('{"ok":true}')
    })
    srv.keepAliveTimeout = 0
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
    const { port } = srv.address() as { port: number }
    return { url: `http://127.0.0.1:${port}`, seen, close: () => srv.close() }
  }

  it('a GET reset on its reused socket is asked once more on a new connection', async () => {
    const srv = await resettingServer()
    try {
      const schema = z.object({ ok: z.boolean() })
      const first = await getJson(`${srv.url}/a`, schema, { headers: {}, timeoutMs: 2000 })
      const second = await getJson(`${srv.url}/b`, schema, { headers: {}, timeoutMs: 2000 })
      expect(first.data).toEqual({ ok: true })
      expect(second.data).toEqual({ ok: true })
      // The reset request and its one retry: no third.
      expect(srv.seen).toEqual(['GET /a', 'GET /b', 'GET /b'])
    } finally {
      srv.close()
    }
  })

  it('a POST reset on its reused socket is not sent again', async () => {
    const srv = await resettingServer()
    try {
      const schema = z.object({ ok: z.boolean() })
      await postJson(`${srv.url}/a`, schema, {
        headers: {},
        timeoutMs: 2000,
        body: new URLSearchParams({ x: '1' }),
      })
      const err = await postJson(`${srv.url}/b`, schema, {
        headers: {},
        timeoutMs: 2000,
        body: new URLSearchParams({ x: '1' }),
      }).then(
        () => null,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(HttpError)
      expect((err as HttpError).kind).toBe('network')
      expect(srv.seen).toEqual(['POST /a', 'POST /b'])
    } finally {
      srv.close()
    }
  })
})

describe('a hand check in front of a schema (JsonShape)', () => {
  const schema = z.object({ n: z.number() })
  const opts = { headers: {}, timeoutMs: 2000 }

  it('answers for the replies it vouches for, and the schema is never loaded', async () => {
    server.on('/shape', { body: { n: 1, extra: true } })
    let loaded = 0
    const shape = {
      handCheck: (json: unknown) => ({ n: (json as { n: number }).n }),
      schema: async () => {
        loaded++
        return schema
      },
    }
    expect((await getJson(`${server.url}/shape`, shape, opts)).data).toEqual({ n: 1 })
    expect(loaded).toBe(0)
  })

  it('leaves the others to the schema, whose error is the one thrown', async () => {
    server.on('/shape', { body: { n: 'one' } })
    const viaShape = await getJson(
      `${server.url}/shape`,
      { handCheck: () => null, schema: async () => schema },
      opts,
    ).then(
      () => null,
      (e: unknown) => e as HttpError,
    )
    const viaSchema = await getJson(`${server.url}/shape`, schema, opts).then(
      () => null,
      (e: unknown) => e as HttpError,
    )
    expect(viaShape?.kind).toBe('schema')
    expect(viaShape?.message).toMatch(
      /unexpected response from .*\(n: Invalid input: expected number, received string\)/,
    )
    expect(viaShape?.message).toBe(viaSchema?.message)
  })
})
