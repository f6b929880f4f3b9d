import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BIN, type RunResult } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import {
  makeSyntheticHome,
  SECRET_TOKENS,
  type SyntheticHome,
  TWO_GH_USERS,
} from '../accounts/synthetic-home.js'

const NOW = '2026-11-22T10:00:00.000Z'
const ago = (s: number) => new Date(Date.parse(NOW) - s * 1000).toISOString()

/** The built binary, as a person runs it: optional stdin, this environment only. */
function run(args: string[], env: Record<string, string>, input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...env, QUOTABAR_NOW: NOW },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d) => {
      stdout += d
    })
    child.stderr?.on('data', (d) => {
      stderr += d
    })
    if (input !== undefined) child.stdin?.end(input)
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ stdout, stderr, code })
    })
  })
}

let h: TempHome
let m: SyntheticHome | undefined
afterEach(() => {
  h?.cleanup()
  m?.cleanup()
  m = undefined
})

const readConfig = () => JSON.parse(readFileSync(h.configFile, 'utf8'))
const keysOf = (c: { accounts: { provider: string; id: string }[] }) =>
  c.accounts.map((a) => `${a.provider}/${a.id}`)

/** A cache entry as a refresh writes it. */
function cacheEntry(key: string, snapshot: { email?: string; fetchedAt: string; percent: number } | null) {
  const file = join(h.cacheDir, 'accounts', `${key.replace('/', '~')}.json`)
  mkdirSync(join(h.cacheDir, 'accounts'), { recursive: true })
  const snap = snapshot && {
    fetchedAt: snapshot.fetchedAt,
    plan: 'Max 5x',
    email: snapshot.email ?? null,
    windows: [
      {
        id: 'session',
        label: '5h',
        usedPercent: snapshot.percent,
        resetsAt: ago(-3600),
        windowSeconds: 18000,
      },
    ],
    spend: [],
  }
  const entry = {
    v: 1,
    key,
    fingerprint: 'fp',
    credentialStamp: null,
    snapshot: snap,
    lastAttemptAt: snapshot?.fetchedAt ?? ago(60),
    error: null,
    retryAt: null,
    cooldown: false,
    failures: 0,
    rateLimitStrikes: 0,
  }
  writeFileSync(file, JSON.stringify(entry))
  return file
}

describe('accounts list', () => {
  it('with no config file: the logins found, where each comes from', async () => {
    h = makeHome()
    h.claudeLogin(join(h.home, '.claude'))
    const r = await run(['accounts', 'list'], h.env)
    expect(r.code).toBe(0)
    // The provider's default login is labelled after the provider, never "default".
    expect(r.stdout).toMatch(/^claude\/default\s+claude\s+pending\s+-\s+~\/\.claude$/m)
    expect(r.stdout).toContain('no config file: 1 login(s) found on this machine')
    const j = JSON.parse((await run(['accounts', 'list', '--json'], h.env)).stdout)
    expect(j.configFile).toBeNull()
    expect(j.accounts[0]).toMatchObject({
      key: 'claude/default',
      credential: { kind: 'config-dir', present: true },
    })
  })

  it('status, data age, email and credential source of every account, disabled ones too', async () => {
    h = makeHome()
    h.claudeLogin(join(h.home, '.claude-work'))
    h.writeConfig({
      accounts: [
        { provider: 'claude', id: 'work', label: 'Work', configDir: '~/.claude-work' },
        { provider: 'claude', id: 'old', configDir: '~/.claude-old' },
        { provider: 'openrouter', id: 'me', apiKeyEnv: 'OR_KEY_UNSET' },
        { provider: 'openrouter', id: 'cmd', apiKeyCommand: 'pass show or', enabled: false },
        { provider: 'copilot', id: 'alice', githubUser: 'alice' },
      ],
    })
    cacheEntry('claude/work', { fetchedAt: ago(120), percent: 42, email: 'dev@work.example' })
    cacheEntry('copilot/alice', { fetchedAt: ago(3 * 3600), percent: 10 })
    const r = await run(['accounts', 'list'], h.env)
    expect(r.code).toBe(0)
    const line = (key: string) => r.stdout.split('\n').find((l) => l.startsWith(`${key} `))
    expect(line('claude/work')).toMatch(/Work\s+ok\s+2m\s+dev@work\.example\s+~\/\.claude-work$/)
    expect(line('claude/old')).toMatch(/pending\s+-\s+-\s+~\/\.claude-old \(missing\)$/)
    expect(line('openrouter/me')).toMatch(/\$OR_KEY_UNSET \(not set\)$/)
    expect(line('openrouter/cmd')).toMatch(/disabled .*command: pass show or$/)
    expect(line('copilot/alice')).toMatch(/stale\s+3h\s+-\s+gh user alice \(github\.com\)$/)
    expect(r.stdout).toMatch(/^KEY\s+LABEL\s+STATUS\s+AGE\s+EMAIL\s+LOGIN$/m)
    const j = JSON.parse((await run(['accounts', 'list', '--json'], h.env)).stdout)
    expect(j.accounts.map((a: { status: string }) => a.status)).toEqual([
      'ok',
      'pending',
      'pending',
      'disabled',
      'stale',
    ])
    expect(j.accounts[0]).toMatchObject({ ageSeconds: 120, fetchedAt: ago(120), email: 'dev@work.example' })
  })

  it('refuses a broken config with the reason (exit 1)', async () => {
    h = makeHome()
    h.writeConfig('{"accounts": [}')
    const r = await run(['accounts', 'list'], h.env)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('is not valid JSON at line 1')
  })
})

describe('accounts add, remove, rename', () => {
  it('adds to a hand-written file, keeping its other settings, key order and indentation', async () => {
    h = makeHome()
    const original = {
      $schema: './config.schema.json',
      thresholds: { warning: 60, critical: 85 },
      accounts: [{ label: 'Mine', provider: 'claude', id: 'me' }],
      colors: { ok: '#00ff00' },
    }
    h.writeConfig(JSON.stringify(original, null, '\t'))
    const r = await run(
      [
        'accounts',
        'add',
        'claude',
        '--id',
        'work',
        '--label',
        'Work',
        '--config-dir',
        '~/.claude-work',
        '--force',
      ],
      h.env,
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('added claude/work to ~/.config/quotabar/config.json')
    // No login there yet: added only because of --force, and said so.
    expect(r.stderr).toContain('warning: ~/.claude-work does not exist (added anyway: --force)')
    const text = readFileSync(h.configFile, 'utf8')
    expect(text).toContain('\n\t"version": 1,\n\t"thresholds"')
    const c = JSON.parse(text)
    expect(Object.keys(c)).toEqual(['$schema', 'version', 'thresholds', 'accounts', 'colors'])
    expect(c.accounts).toEqual([
      ...original.accounts,
      { provider: 'claude', id: 'work', label: 'Work', configDir: '~/.claude-work' },
    ])
    expect(c.thresholds).toEqual(original.thresholds)
    expect(c.colors).toEqual(original.colors)
  })

  it("sets every provider's own fields from the command line (projectId, apiKeyId, workspaceId, command, ...)", async () => {
    h = makeHome()
    h.writeConfig({ version: 1, accounts: [] })
    const adds: string[][] = [
      [
        'openai',
        '--id',
        'lab',
        '--api-key-env',
        'OPENAI_ADMIN_KEY',
        '--project-id',
        'proj_abc',
        '--api-key-id',
        'key_1',
      ],
      ['anthropic', '--id', 'team', '--api-key-env', 'ANTHROPIC_ADMIN_KEY', '--workspace-id', 'wrkspc_1'],
      ['command', '--id', 'mine', '--command', '/opt/usage.sh --json', '--timeout-seconds', '20'],
      ['minimax', '--id', 'cn', '--api-key-env', 'MINIMAX_API_KEY', '--region', 'cn', '--plan', 'token'],
    ]
    for (const args of adds) {
      const r = await run(['accounts', 'add', ...args], h.env)
      expect(r.stderr).not.toContain('rror')
      expect(r.code).toBe(0)
    }
    expect(readConfig().accounts).toEqual([
      {
        provider: 'openai',
        id: 'lab',
        apiKeyEnv: 'OPENAI_ADMIN_KEY',
        projectId: 'proj_abc',
        apiKeyId: 'key_1',
      },
      { provider: 'anthropic', id: 'team', apiKeyEnv: 'ANTHROPIC_ADMIN_KEY', workspaceId: 'wrkspc_1' },
      { provider: 'command', id: 'mine', command: '/opt/usage.sh --json', timeoutSeconds: 20 },
      { provider: 'minimax', id: 'cn', apiKeyEnv: 'MINIMAX_API_KEY', region: 'cn', plan: 'token' },
    ])
    // A field of another provider is refused by the same rule as in the file, naming the flag.
    const wrong = await run(['accounts', 'add', 'claude', '--id', 'x', '--workspace-id', 'w'], h.env)
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('--workspace-id: only anthropic accounts take "workspaceId"')
    const bad = await run(['accounts', 'add', 'minimax', '--id', 'y', '--region', 'mars'], h.env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('mars')
    expect(keysOf(readConfig())).toEqual(['openai/lab', 'anthropic/team', 'command/mine', 'minimax/cn'])
  })

  it('validates with the config schema before writing: bad values exit 2, duplicates exit 1, file unchanged', async () => {
    h = makeHome()
    h.writeConfig({
      version: 1,
      accounts: [{ provider: 'claude', id: 'work', label: 'Work', configDir: '/w' }],
    })
    const before = readFileSync(h.configFile)
    const cases: [string[], number, string][] = [
      [['claude', '--id', 'no spaces'], 2, '--id: letters, digits'],
      [['claude', '--id', 'x', '--github-user', 'bob'], 2, '--github-user: only copilot'],
      [['openrouter', '--id', 'x', '--base-url', 'ftp://x'], 2, '--base-url: an http(s) origin'],
      [['claude', '--id', 'x', '--refresh-seconds', '0'], 2, '--refresh-seconds'],
      [['nope', '--id', 'x'], 2, 'Invalid values'],
      [['openrouter', '--api-key-env', 'A', '--api-key-command', 'b'], 2, 'mutually exclusive'],
      [['claude', '--id', 'work'], 1, 'account claude/work ("Work") already exists'],
      [['claude', '--id', 'other', '--config-dir', '/w'], 1, 'claude/work already uses /w'],
    ]
    for (const [args, code, message] of cases) {
      const r = await run(['accounts', 'add', ...args], h.env)
      expect({ args, code: r.code }).toEqual({ args, code })
      expect(r.stderr).toContain(message)
      expect(r.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(3)
    }
    expect(readFileSync(h.configFile).equals(before)).toBe(true)
  })

  it('without a config file, starts it from the logins found so none disappears from the bar', async () => {
    h = makeHome()
    h.claudeLogin(join(h.home, '.claude'))
    const r = await run(['accounts', 'add', 'copilot', '--github-user', 'alice'], h.env)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('added copilot/alice')
    expect(r.stdout).toContain('with the logins found on this machine: claude/default')
    expect(readConfig()).toEqual({
      version: 1,
      accounts: [
        { provider: 'claude', id: 'default', configDir: '~/.claude' },
        { provider: 'copilot', id: 'alice', githubUser: 'alice' },
      ],
    })
  })

  it('without a config file, remove hides one found login and keeps the others', async () => {
    h = makeHome()
    h.claudeLogin(join(h.home, '.claude'))
    mkdirSync(join(h.home, '.codex'))
    const r = await run(['accounts', 'remove', 'codex/default'], h.env)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('removed codex/default')
    expect(readConfig().accounts).toEqual([{ provider: 'claude', id: 'default', configDir: '~/.claude' }])
  })

  it('a key from stdin goes to the 0600 credentials file only', async () => {
    h = makeHome()
    const key = 'sk-or-v1-STDIN-SECRET-0123456789'
    h.writeConfig({ accounts: [] })
    const r = await run(['accounts', 'add', 'openrouter', '--id', 'me', '--api-key-stdin'], h.env, `${key}\n`)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('its key is in ~/.config/quotabar/credentials.json (mode 0600)')
    const creds = join(h.home, '.config', 'quotabar', 'credentials.json')
    expect(statSync(creds).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(creds, 'utf8'))).toEqual({ 'openrouter/me': key })
    expect(readFileSync(h.configFile, 'utf8')).not.toContain(key)
    expect(readConfig().accounts).toEqual([{ provider: 'openrouter', id: 'me' }])
    const list = await run(['accounts', 'list'], h.env)
    expect(list.stdout).toMatch(/openrouter\/me .*stored key \(~\/\.config\/quotabar\/credentials\.json\)$/m)
    for (const out of [r.stdout, r.stderr, list.stdout, list.stderr]) expect(out).not.toContain(key)
    // Nothing on stdin is refused, and nothing is written.
    const empty = await run(['accounts', 'add', 'openrouter', '--id', 'two', '--api-key-stdin'], h.env, '\n')
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('no key on stdin')
    expect(keysOf(readConfig())).toEqual(['openrouter/me'])
  })

  it('remove takes the account, its stored key, cache entry and lock; the others stay', async () => {
    h = makeHome()
    h.writeConfig({ accounts: [] })
    await run(['accounts', 'add', 'openrouter', '--id', 'a', '--api-key-stdin'], h.env, 'key-a')
    await run(['accounts', 'add', 'openrouter', '--id', 'b', '--api-key-stdin'], h.env, 'key-b')
    const entry = cacheEntry('openrouter/a', { fetchedAt: ago(60), percent: 5 })
    const lock = join(h.cacheDir, 'locks', 'openrouter~a.lock')
    mkdirSync(join(h.cacheDir, 'locks'), { recursive: true })
    writeFileSync(lock, JSON.stringify({ pid: 1, token: 't', expiresAt: 0 }))
    const r = await run(['accounts', 'remove', 'openrouter/a'], h.env)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('removed openrouter/a')
    expect(keysOf(readConfig())).toEqual(['openrouter/b'])
    const creds = JSON.parse(readFileSync(join(h.home, '.config', 'quotabar', 'credentials.json'), 'utf8'))
    expect(creds).toEqual({ 'openrouter/b': 'key-b' })
    expect(existsSync(entry) || existsSync(lock)).toBe(false)
    const again = await run(['accounts', 'remove', 'openrouter/a'], h.env)
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('no account openrouter/a; the accounts are openrouter/b')
  })

  it('rename moves the stored key and the cached data to the new id', async () => {
    h = makeHome()
    h.writeConfig({ accounts: [{ provider: 'openrouter', id: 'old', label: 'Old one' }] })
    await run(['accounts', 'add', 'openrouter', '--id', 'x', '--api-key-stdin'], h.env, 'key-x')
    const credsFile = join(h.home, '.config', 'quotabar', 'credentials.json')
    writeFileSync(credsFile, JSON.stringify({ 'openrouter/old': 'key-old', 'openrouter/x': 'key-x' }))
    cacheEntry('openrouter/old', { fetchedAt: ago(60), percent: 33, email: 'me@example.org' })
    const r = await run(['accounts', 'rename', 'old', 'new'], h.env)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('renamed openrouter/old to openrouter/new')
    expect(readConfig().accounts[0]).toEqual({ provider: 'openrouter', id: 'new', label: 'Old one' })
    expect(JSON.parse(readFileSync(credsFile, 'utf8'))).toEqual({
      'openrouter/x': 'key-x',
      'openrouter/new': 'key-old',
    })
    expect(existsSync(join(h.cacheDir, 'accounts', 'openrouter~old.json'))).toBe(false)
    const j = JSON.parse((await run(['accounts', 'list', '--json'], h.env)).stdout)
    expect(j.accounts[0]).toMatchObject({ key: 'openrouter/new', ageSeconds: 60, email: 'me@example.org' })
    const taken = await run(['accounts', 'rename', 'openrouter/new', 'x'], h.env)
    expect(taken.code).toBe(1)
    expect(taken.stderr).toContain('account openrouter/x already exists')
  })

  it('never writes over an invalid file: add, remove and rename refuse, bytes unchanged', async () => {
    h = makeHome()
    for (const text of [
      '{"accounts": [{"provider": "claude", "id": "a"}',
      '{"accounts": [], "intervall": 5}\n',
    ]) {
      h.writeConfig(text)
      for (const args of [
        ['add', 'claude', '--id', 'b'],
        ['remove', 'claude/a'],
        ['rename', 'claude/a', 'c'],
        ['discover', '--write'],
      ]) {
        const r = await run(['accounts', ...args], h.env)
        expect({ args, code: r.code }).toEqual({ args, code: 1 })
        expect(r.stderr).toMatch(/not valid JSON|unknown key "intervall"/)
        expect(readFileSync(h.configFile, 'utf8')).toBe(text)
      }
    }
  })

  it('a cache dir where no lock can be made: add, remove and rename say so at once (path, errno), file unchanged', async () => {
    h = makeHome()
    h.writeConfig({ accounts: [{ provider: 'openrouter', id: 'a', apiKeyEnv: 'K' }] })
    const before = readFileSync(h.configFile, 'utf8')
    // A file where the cache directory should be: ENOTDIR even for root.
    const notADir = join(h.home, 'cache-file')
    writeFileSync(notADir, 'x')
    const env = { ...h.env, QUOTABAR_CACHE_DIR: notADir }
    for (const args of [
      ['add', 'openrouter', '--id', 'b', '--api-key-env', 'K'],
      ['remove', 'openrouter/a'],
      ['rename', 'openrouter/a', 'c'],
    ]) {
      const started = Date.now()
      const r = await run(['accounts', ...args], env)
      expect({ args, code: r.code }).toEqual({ args, code: 1 })
      expect(r.stderr).toContain(`${join(notADir, 'locks')} (ENOTDIR)`)
      expect(r.stderr).toContain('QUOTABAR_CACHE_DIR')
      expect(r.stderr).not.toMatch(/another quotabar/)
      // Not after the 10 s a held lock is waited for.
      expect(Date.now() - started).toBeLessThan(5000)
      expect(readFileSync(h.configFile, 'utf8')).toBe(before)
    }
  })

  it('two processes adding at once both land (the config lock serialises them)', async () => {
    h = makeHome()
    h.writeConfig({ accounts: [] })
    for (let round = 0; round < 3; round++) {
      const ids = [`a${round}`, `b${round}`, `c${round}`]
      const results = await Promise.all(
        ids.map((id) => run(['accounts', 'add', 'openrouter', '--id', id, '--api-key-env', 'K'], h.env)),
      )
      expect(results.map((r) => r.code)).toEqual([0, 0, 0])
    }
    expect(keysOf(readConfig()).sort()).toEqual(
      ['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'c0', 'c1', 'c2'].map((id) => `openrouter/${id}`),
    )
    // They went through the config lock, and every one let it go.
    expect(existsSync(join(h.cacheDir, 'locks'))).toBe(true)
    expect(readdirSync(join(h.cacheDir, 'locks'))).toEqual([])
  })
})

describe('config migration', () => {
  it('reads a version-less legacy file, and the next change writes version 1 with everything kept', async () => {
    h = makeHome()
    h.writeConfig({
      interval: 240,
      redact: true,
      accounts: {
        'claude/work': { name: 'Work', configDir: '~/.claude-work' },
        copilot: { githubUser: 'al' },
      },
    })
    cacheEntry('claude/work', { fetchedAt: ago(60), percent: 42, email: 'dev@work.example' })
    const status = await run(['-f', 'json', '--no-refresh'], h.env)
    expect(status.code).toBe(0)
    const doc = JSON.parse(status.stdout)
    expect(doc.accounts.map((a: { key: string; label: string }) => `${a.key} ${a.label}`)).toEqual([
      'claude/work Work',
      'copilot/default default',
    ])
    expect(doc.accounts[0].email).toBe('d…@work.example') // legacy `redact` still applies
    const r = await run(
      ['accounts', 'add', 'codex', '--id', 'main', '--config-dir', '~/.codex', '--force'],
      h.env,
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(
      'migrated the file to version 1: accounts map → accounts list; accounts[0].name → label; interval → refresh.intervalSeconds; redact → privacy.redact',
    )
    expect(readConfig()).toEqual({
      version: 1,
      refresh: { intervalSeconds: 240 },
      privacy: { redact: true },
      accounts: [
        { provider: 'claude', id: 'work', label: 'Work', configDir: '~/.claude-work' },
        { provider: 'copilot', id: 'default', githubUser: 'al' },
        { provider: 'codex', id: 'main', configDir: '~/.codex' },
      ],
    })
  })
})

describe('accounts discover', () => {
  function syntheticMachine() {
    m = makeSyntheticHome()
    m.claude('.claude', 'uuid-1', 'me@example.org')
    m.claude('.claude-work', 'uuid-2', 'dev@work.example')
    m.claude('.claude-work-2', 'uuid-2', 'dev@work.example')
    m.codex('.codex', 'acct-1', 'user-1', 'me@example.org')
    m.ghHosts(TWO_GH_USERS)
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: m.home,
      XDG_CONFIG_HOME: join(m.home, '.config'),
      XDG_CACHE_HOME: join(m.home, '.cache'),
      XDG_STATE_HOME: join(m.home, '.local/state'),
      OPENROUTER_API_KEY: 'sk-or-ENV-SECRET-1',
      OPENROUTER_API_KEY_WORK: 'sk-or-ENV-SECRET-2',
      OPENROUTER_API_KEY_PERSONAL: 'sk-or-ENV-SECRET-1',
    }
    return { env, config: join(m.home, '.config', 'quotabar', 'config.json') }
  }

  it('reports duplicates as one account, then --write adds only the new ones', async () => {
    const { env, config } = syntheticMachine()
    const r = await run(['accounts', 'discover'], env)
    expect(r.code).toBe(0)
    const rows = r.stdout.split('\n')
    expect(rows).toContainEqual(
      expect.stringMatching(/^new\s+claude\/work\s+~\/\.claude-work\s+dev@work\.example$/),
    )
    expect(rows).toContainEqual(
      expect.stringMatching(
        /^duplicate\s+claude\/work-2\s+~\/\.claude-work-2\s+dev@work\.example\s+same login as claude\/work$/,
      ),
    )
    expect(rows).toContainEqual(
      expect.stringMatching(/^new\s+copilot\/alice\s+gh user alice \(github\.com\)$/),
    )
    expect(rows).toContainEqual(expect.stringMatching(/^new\s+copilot\/bob\s+gh user bob \(github\.com\)$/))
    expect(rows).toContainEqual(
      expect.stringMatching(
        /^duplicate\s+openrouter\/personal\s+\$OPENROUTER_API_KEY_PERSONAL\s+same login as openrouter\/default$/,
      ),
    )
    expect(r.stdout).toContain('run `quotabar accounts discover --write`')
    expect(existsSync(config)).toBe(false)

    const w = await run(['accounts', 'discover', '--write', '--json'], env)
    expect(w.code).toBe(0)
    const doc = JSON.parse(w.stdout)
    const added = [
      'claude/default',
      'claude/work',
      'codex/default',
      'copilot/alice',
      'copilot/bob',
      'openrouter/default',
      'openrouter/work',
    ]
    expect(doc.written).toEqual(added)
    const written = JSON.parse(readFileSync(config, 'utf8'))
    expect(written.version).toBe(1)
    expect(keysOf(written)).toEqual(added)
    expect(written.accounts[1]).toEqual({ provider: 'claude', id: 'work', configDir: '~/.claude-work' })
    expect(written.accounts[6]).toEqual({
      provider: 'openrouter',
      id: 'work',
      apiKeyEnv: 'OPENROUTER_API_KEY_WORK',
    })
    for (const out of [r.stdout, w.stdout, readFileSync(config, 'utf8')]) {
      for (const secret of [...SECRET_TOKENS, 'sk-or-ENV-SECRET', 'gho_']) expect(out).not.toContain(secret)
    }

    const stamp = statSync(config).mtimeMs
    const again = await run(['accounts', 'discover', '--write'], env)
    expect(again.stdout).toContain('nothing new to add')
    expect(again.stdout).toMatch(/^configured\s+claude\/work\s/m)
    expect(statSync(config).mtimeMs).toBe(stamp)
  })
})

describe('--redact and privacy.redact', () => {
  const EMAIL = 'dev@work.example'
  function redactHome(redactInConfig: boolean) {
    h = makeHome()
    h.claudeLogin(join(h.home, '.claude-work'), { uuid: 'u-2', email: EMAIL })
    h.writeConfig({
      accounts: [{ provider: 'claude', id: 'work', label: 'me@example.org', configDir: '~/.claude-work' }],
      ...(redactInConfig ? { privacy: { redact: true } } : {}),
    })
    cacheEntry('claude/work', { fetchedAt: ago(60), percent: 42, email: EMAIL })
  }
  const outputs = async (flag: string[]) => {
    const runs = [
      ['-f', 'waybar', '--no-refresh'],
      ['-f', 'json', '--no-refresh'],
      ['-f', 'plain', '--no-refresh'],
      ['-f', 'tmux', '--no-refresh'],
      ['accounts', 'list'],
      ['accounts', 'list', '--json'],
      ['accounts', 'discover'],
      ['accounts', 'discover', '--json'],
    ]
    return Promise.all(runs.map((args) => run([...args, ...flag], h.env)))
  }

  it('shows emails as a…@domain in every output, with the flag or the config setting', async () => {
    for (const [inConfig, flag] of [
      [false, ['--redact']],
      [true, []],
    ] as const) {
      redactHome(inConfig)
      const results = await outputs([...flag])
      for (const r of results) {
        expect(r.code).toBe(0)
        expect(r.stdout).not.toContain(EMAIL)
        expect(r.stdout).not.toContain('me@example.org')
      }
      const [waybar, json, plain, , list, , discover] = results.map((r) => r.stdout)
      expect(JSON.parse(waybar as string).tooltip).toContain('d…@work.example')
      expect(JSON.parse(json as string).accounts[0]).toMatchObject({
        email: 'd…@work.example',
        label: 'm…@example.org',
      })
      expect(plain).toBe('m…@example.org 42%\n')
      expect(list).toMatch(/claude\/work\s+m…@example\.org\s+ok\s+1m\s+d…@work\.example/)
      expect(discover).toContain('d…@work.example')
      h.cleanup()
    }
  })

  it('shows them whole without it', async () => {
    redactHome(false)
    const results = await outputs([])
    expect(JSON.parse(results[0]?.stdout as string).tooltip).toContain(EMAIL)
    expect(JSON.parse(results[1]?.stdout as string).accounts[0].email).toBe(EMAIL)
    expect(results[4]?.stdout).toContain(EMAIL)
  })
})
