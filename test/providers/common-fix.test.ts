import { describe, expect, it } from 'vitest'
import { HttpError } from '../../src/http.js'
import { commonFix, describeFailure } from '../../src/providers/result.js'

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

describe('describeFailure: the adapter’s own advice first, the shared wording for the rest', () => {
  const err = new HttpError('forbidden', 'HTTP 403 from x', 403)
  it.each([
    ['no advice of its own → commonFix', undefined, { kind: 'forbidden', fix: null }],
    ['a fix', 'log in again', { kind: 'forbidden', fix: 'log in again' }],
    ['null: no fix at all', null, { kind: 'forbidden', fix: null }],
    [
      'a fix with another kind and message',
      { fix: 'run x', kind: 'auth' as const, message: 'expired' },
      { kind: 'auth', fix: 'run x', message: 'expired' },
    ],
  ])('%s', (_, advice, expected) => {
    const info = describeFailure(err, { words, fix: () => advice })
    expect(info).toEqual({ message: err.message, httpStatus: 403, ...expected })
  })

  it('undefined falls through to commonFix for a case it words', () => {
    const info = describeFailure(new HttpError('http', 'HTTP 503', 503), { words, fix: () => undefined })
    expect(info.fix).toMatch(/^Acme is having trouble/)
  })
})
