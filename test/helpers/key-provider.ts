import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import type { Account, AccountConfig, FetchResult, ProviderAdapter } from '../../src/providers/types.js'
import { echoingReply, expectNoSecrets, plantSecret } from './secrets.js'
import { type FakeServer, type Reply, startServer } from './server.js'
import { fetchLoaded } from './fetch.js'

/**
 * The shared set-up of an API-key provider's tests: a local server, accounts pointing at it, and
 * fetch helpers that check the key never comes back in a failure. Call it at the top of a test
 * file (it registers the server's lifecycle hooks).
 */
export interface KeyProviderSpec {
  adapter: ProviderAdapter
  provider: string
  refreshSeconds: number
  /** The variable the key is read from in `fetchUsage`'s default env. */
  keyEnv: string
  secret: string
  /** The endpoint `snapshotFor` / `failure` answer on. */
  path: string
  now: Date
  /** Extra account fields every test account gets. */
  accountDefaults?: Partial<AccountConfig>
}

export function keyProviderHarness(spec: KeyProviderSpec) {
  let server: FakeServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())
  beforeEach(() => {
    server.requests.length = 0
  })

  function account(over: Partial<AccountConfig> = {}): Account {
    const id = over.id ?? 'default'
    return {
      provider: spec.provider,
      id,
      key: `${spec.provider}/${id}`,
      label: id,
      refreshSeconds: spec.refreshSeconds,
      baseUrl: server.url,
      ...spec.accountDefaults,
      ...over,
    }
  }

  function fetchUsage(
    a: Account,
    env: Record<string, string> = { [spec.keyEnv]: spec.secret },
    timeoutMs = 2000,
  ) {
    return fetchLoaded(spec.adapter, a, { env, home: '/nonexistent', now: () => spec.now, timeoutMs })
  }

  async function snapshotFor(reply: Reply) {
    server.on(spec.path, reply)
    const r = await fetchUsage(account())
    if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`)
    return r
  }

  async function failure(reply: Reply, timeoutMs = 2000): Promise<Extract<FetchResult, { ok: false }>> {
    server.on(spec.path, reply)
    const r = await fetchUsage(account(), undefined, timeoutMs)
    if (r.ok) throw new Error('expected a failure')
    expect(JSON.stringify(r)).not.toContain(spec.secret)
    return r
  }

  /** A planted key the server echoes back in every form: the failure shows none of them. */
  async function expectNoEchoedSecret() {
    const planted = plantSecret(`${spec.provider}-`, 'key')
    server.on(spec.path, echoingReply([planted]))
    const r = await fetchUsage(account(), { [spec.keyEnv]: planted })
    expect(r.ok).toBe(false)
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${planted}`)
    expectNoSecrets([planted], { texts: { result: JSON.stringify(r) } })
  }

  return { server: () => server, account, fetchUsage, snapshotFor, failure, expectNoEchoedSecret }
}
