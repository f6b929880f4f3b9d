import { describe, expect, it } from 'vitest'
import { HttpError } from '../../src/http.js'
import { commonFix } from '../../src/providers/result.js'

const words = { name: 'Acme', api: 'the usage API', host: 'api.acme.test', trouble: ' (busy)' }

describe('commonFix: one wording for the failures every provider shares', () => {
  it.each([
    [new HttpError('rate-limited', 'HTTP 429', 429, 0), /^Acme rate limit: quotabar waits/],
    [new HttpError('network', 'cannot reach x'), /^check the network connection/],
    [new HttpError('timeout', 'no answer'), /^check the network connection/],
    [
      new HttpError('schema', 'x answered with an HTML page instead of JSON', 200),
      /captive portal answered instead of Acme/,
    ],
    [
      new HttpError('schema', 'unexpected response (a: expected number)', 200),
      /^Acme changed the usage API;/,
    ],
    [new HttpError('config', 'refusing plain http'), /^use an https baseUrl/],
    [new HttpError('http', 'HTTP 404', 404), /origin of api\.acme\.test$/],
    [new HttpError('http', 'HTTP 503', 503), /^Acme is having trouble \(busy\); quotabar retries later/],
  ])('%s', (err, fix) => {
    expect(commonFix(err, words)).toMatch(fix)
  })

  it('has nothing generic to say about other client errors', () => {
    expect(commonFix(new HttpError('http', 'HTTP 400', 400), words)).toBeNull()
  })
})
