import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { configSchema } from '../../src/config/schema.js'
import { descriptors, providerIds } from '../../src/providers/descriptors.js'
import { accountFields } from '../../src/providers/fields.js'
import { identities } from '../../src/providers/identities.js'
import { adapterLoaders } from '../../src/providers/load-adapter.js'
import type { ProviderAdapter, ProviderDescriptor } from '../../src/providers/types.js'

/**
 * The provider registry's contract: a provider is one folder plus one line in each table, and
 * this walks the tables so a provider missing a piece fails here, not in a user's bar.
 */

const ROOT = join(import.meta.dirname, '../..')
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** Providers whose test data is built by their tests rather than kept as fixture files. */
const BUILT_FIXTURES: Record<string, string> = {
  command: 'the scripts test/providers/command.test.ts writes (and examples/command-provider.sh)',
  opencode: 'the SQLite sessions test/logs/opencode.test.ts builds with sql.js',
}

/** Every adapter, through the one adapter table (lazy imports: a refresh loads only its own). */
const adapters: Record<string, ProviderAdapter> = Object.fromEntries(
  await Promise.all(providerIds.map(async (id) => [id, await adapterLoaders[id]()] as const)),
)

const hasFiles = (dir: string) => existsSync(dir) && readdirSync(dir).length > 0

describe.each(providerIds)('provider %s', (id) => {
  const d: ProviderDescriptor = descriptors[id]

  it('is one folder with its descriptor id, and an adapter of the same id', () => {
    expect(d.id).toBe(id)
    expect(statSync(join(ROOT, 'src/providers', id)).isDirectory()).toBe(true)
    expect(adapters[id]?.id).toBe(id)
    expect(typeof adapters[id]?.fetchUsage).toBe('function')
    expect(d.minRefreshSeconds).toBeGreaterThan(0)
    expect(d.defaultRefreshSeconds).toBeGreaterThanOrEqual(d.minRefreshSeconds)
  })

  it('loads the same adapter each time (one module, one object)', async () => {
    expect(await adapterLoaders[id]()).toBe(adapters[id])
  })

  it("names its adapter's identity in the identities table (discovery reads it there)", () => {
    expect(identities[id]).toBe(adapters[id]?.identity)
  })

  it('has tests and fixtures', () => {
    const tests = [`test/providers/${id}.test.ts`, `test/logs/${id}.test.ts`].filter((f) =>
      existsSync(join(ROOT, f)),
    )
    expect(tests, `no test/providers/${id}.test.ts`).not.toEqual([])
    const fixtures = [`test/fixtures/${id}`, `test/fixtures/logs/${id}`].some((f) => hasFiles(join(ROOT, f)))
    expect(fixtures || id in BUILT_FIXTURES, `no test/fixtures/${id}/`).toBe(true)
  })

  it('has a README row', () => {
    const row = README.split('\n').find(
      (l) => /^\| [^|]*`([a-z-]+)`/.test(l) && l.split('|')[1]?.includes(`\`${id}\``),
    )
    expect(row, `README.md: no table row naming \`${id}\``).toBeDefined()
  })

  it('has a schema entry: its account fields, and the config accepts a minimal account', () => {
    expect(accountFields[id]).toBeDefined()
    const parsed = configSchema.safeParse({ version: 1, accounts: [{ provider: id, id: 'contract' }] })
    expect(parsed.success).toBe(true)
    for (const field of Object.keys(accountFields[id].shape)) {
      // A field of this provider is refused on every other provider's account.
      const other = providerIds.find((p) => !(field in accountFields[p].shape))
      if (!other) continue
      const wrong = configSchema.safeParse({ accounts: [{ provider: other, id: 'x', [field]: null }] })
      expect(wrong.success).toBe(false)
    }
  })

  it('has discovery: a login or key variable it finds, or a reason it has none', () => {
    const env: Record<string, string> = { HOME: '/nowhere' }
    for (const v of d.keyVariables ?? []) env[v.name] = 'contract-key'
    const found = d.defaultAccounts(env, '/nowhere', () => true)
    const ways = [
      found.length > 0,
      Boolean(d.keyVariables?.length),
      Boolean(d.loginDirs),
      Boolean(d.findLogins),
    ]
    if (!ways.some(Boolean)) expect(d.undiscoverable, `${id} finds no account and says not why`).toBeTruthy()
    for (const a of found) expect(a.provider).toBe(id)
  })
})

it('the tables list the same providers, in the same order', () => {
  expect(Object.keys(adapterLoaders)).toEqual(providerIds)
  expect(Object.keys(accountFields)).toEqual(providerIds)
  const folders = readdirSync(join(ROOT, 'src/providers')).filter((n) =>
    statSync(join(ROOT, 'src/providers', n)).isDirectory(),
  )
  expect(folders.sort()).toEqual([...providerIds].sort())
})

/**
 * Shared layers name no provider (design §9): a provider id as a string literal there is a
 * switch that belongs on the provider interface. Comments may name providers.
 */
const SHARED = [
  'src/accounts',
  'src/cache',
  'src/config',
  'src/live',
  'src/notify',
  'src/render',
  'src/serve',
  'src/tui',
]
const SHARED_FILES = [
  'src/status.ts',
  'src/view.ts',
  'src/refresh.ts',
  'src/cli/doctor.ts',
  'src/logs/local.ts',
]
/** Literals that are a provider id by coincidence, with what they are. */
const NOT_A_PROVIDER: Record<string, string> = {
  "src/accounts/list.ts:'command'":
    'the credential source kind of an apiKeyCommand, not the command provider',
  "src/logs/local.ts:'claude'": 'the local-log format (LogKind) a descriptor names, not a provider check',
  "src/logs/local.ts:'opencode'": 'the local-log format (LogKind) a descriptor names, not a provider check',
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f))
}

it('shared layers name no provider id', () => {
  const files = [...SHARED.flatMap(sourceFiles), ...SHARED_FILES]
  expect(files.length).toBeGreaterThan(20)
  const hits: string[] = []
  for (const file of files) {
    const code = readFileSync(join(ROOT, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:])\/\/.*$/gm, '$1')
    for (const id of providerIds) {
      for (const quote of ["'", '"', '`']) {
        const literal = `${quote}${id}${quote}`
        if (code.includes(literal) && !NOT_A_PROVIDER[`${relative(ROOT, join(ROOT, file))}:'${id}'`])
          hits.push(`${file}: ${literal}`)
      }
    }
  }
  expect(hits).toEqual([])
})

it('layers point one way: nothing outside src/cli imports src/cli', () => {
  const files = sourceFiles('src').filter((f) => !f.startsWith('src/cli/'))
  expect(files.length).toBeGreaterThan(50)
  const up = files.filter((f) => /from '(\.\.?\/)+cli\//.test(readFileSync(join(ROOT, f), 'utf8')))
  expect(up).toEqual([])
})

it('adapters map failures one way: only result.ts turns an HttpError into an account error', () => {
  const files = sourceFiles('src/providers').filter((f) => f !== join('src/providers', 'result.ts'))
  expect(files.length).toBeGreaterThan(50)
  // `settle` is the one place; an adapter words its own cases in its `fix` hook.
  const own = files.filter((f) =>
    /\.toInfo\(|retryAfterSeconds: err\./.test(readFileSync(join(ROOT, f), 'utf8')),
  )
  expect(own).toEqual([])
  const offline = ['command', 'opencode']
  const withoutFix = providerIds.filter(
    (id) => !offline.includes(id) && typeof adapters[id]?.fix !== 'function',
  )
  expect(withoutFix, 'HTTP adapters without a fix hook').toEqual([])
})

it('paging and month spend meters live once (src/providers/pages.ts, spend.ts), not in a provider folder', () => {
  const folders = providerIds.flatMap((id) => sourceFiles(join('src/providers', id)))
  expect(folders.length).toBeGreaterThan(50)
  const code = (f: string) =>
    readFileSync(join(ROOT, f), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:])\/\/.*$/gm, '$1')
  // A cursor loop or a meter literal of its own is a second copy of the shared one's rules.
  const paging = folders.filter((f) => /has_more|next_page/.test(code(f)))
  const meters = folders.filter((f) => /\bused\b[^}]{0,200}period: 'month'/.test(code(f)))
  expect({ paging, meters }).toEqual({ paging: [], meters: [] })
})
