import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { HttpError, postJson } from '../src/http.js'
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
