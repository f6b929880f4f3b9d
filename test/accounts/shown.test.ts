import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { discoverAccounts } from '../../src/accounts/discover.js'
import { discoveredPath } from '../../src/accounts/discovered.js'
import {
  discoveredLabel,
  rememberedShown,
  shownWithoutConfig,
  type Verdict,
} from '../../src/accounts/shown.js'
import { judgeDiscovered } from '../../src/context-load.js'
import type { AccountConfig } from '../../src/model.js'
import { parseAccount } from '../../src/providers/fields.js'
import { makeSyntheticHome, type SyntheticHome } from './synthetic-home.js'

let m: SyntheticHome | undefined
let cacheDir: string | undefined
afterEach(() => {
  m?.cleanup()
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true })
})

function machine() {
  const home = makeSyntheticHome()
  // Two Claude logins and a copy of one (a duplicate, never judged), Codex and Gemini defaults.
  for (const [dir, uuid, email] of [
    ['.claude', 'uuid-personal', 'me@example.org'],
    ['.claude-work', 'uuid-work', 'dev@work.example'],
    ['.claude-work-copy', 'uuid-work', 'dev@work.example'],
  ] as const)
    home.claude(dir, uuid, email)
  home.codex('.codex', 'acct-personal', 'user-1', 'me@example.org')
  home.gemini('.gemini', 'me@gmail.com')
  m = home
  cacheDir = mkdtempSync(join(tmpdir(), 'quotabar-shown-'))
  const env = { HOME: home.home, OPENROUTER_API_KEY_WORK: 'sk-or-v1-two' }
  return { env, paths: { home: home.home, cacheDir } }
}

/** What the bar showed without a config before the verdicts were remembered: discovery, then each account's fields. */
const asBefore = (env: Record<string, string>, home: string): AccountConfig[] =>
  discoverAccounts([], env, home)
    .findings.filter((f) => f.state === 'new')
    .map((f) => parseAccount({ ...f.account, label: discoveredLabel(f.account) }))

/** A judge that counts its calls. */
function counting(judge: (a: AccountConfig) => Verdict) {
  const calls: string[] = []
  return {
    calls,
    judge: (a: AccountConfig) => {
      calls.push(`${a.provider}/${a.id}`)
      return judge(a)
    },
  }
}

const roundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v))

describe('the accounts shown without a config file', () => {
  it('are what discovery finds, through the schema; the next run answers from memory alone', () => {
    const { env, paths } = machine()
    const before = asBefore(env, paths.home)
    expect(before.map((a) => `${a.provider}/${a.id} ${a.label}`)).toEqual([
      'claude/default claude',
      'claude/work work',
      'codex/default codex',
      'gemini/default gemini',
      'openrouter/work work',
    ])
    expect(rememberedShown(env, paths)).toBeNull()
    const first = counting(judgeDiscovered)
    expect(shownWithoutConfig(env, paths, first.judge)).toEqual(before)
    // Each new login judged once; the copy of the work login is a duplicate, never judged.
    expect(first.calls).toEqual(before.map((a) => `${a.provider}/${a.id}`))
    expect(readFileSync(discoveredPath(paths.cacheDir), 'utf8')).toBe(`${JSON.stringify(before)}\n`)
    rmSync(discoveredPath(paths.cacheDir))
    expect(rememberedShown(env, paths)).toEqual(roundTrip(before))
    // It keeps the record the cached render reads, as the schema's path does.
    expect(readFileSync(discoveredPath(paths.cacheDir), 'utf8')).toBe(`${JSON.stringify(before)}\n`)
  })

  it('a login not seen before, or another version, or a damaged memory: back to the schema', () => {
    const { env, paths } = machine()
    shownWithoutConfig(env, paths, judgeDiscovered)
    m?.claude('.claude-side', 'uuid-side', 'side@example.org')
    expect(rememberedShown(env, paths)).toBeNull()
    const second = counting(judgeDiscovered)
    const shown = shownWithoutConfig(env, paths, second.judge)
    expect(shown).toEqual(asBefore(env, paths.home))
    expect(second.calls).toEqual(shown.map((a) => `${a.provider}/${a.id}`))
    expect(second.calls).toContain('claude/side')
    expect(rememberedShown(env, paths)).toEqual(roundTrip(shown))
    // A new key variable is a new login too.
    expect(rememberedShown({ ...env, DEEPSEEK_API_KEY: 'sk-ds' }, paths)).toBeNull()
    const memo = join(paths.cacheDir, 'discovery-checked.json')
    const text = readFileSync(memo, 'utf8')
    writeFileSync(memo, text.replace(/"version":"[^"]+"/, '"version":"0.0.0-other"'))
    expect(rememberedShown(env, paths)).toBeNull()
    for (const damaged of [
      '{',
      '[]',
      '{"version":"0.0.0-dev","verdicts":{"x":1}}'.replace('0.0.0-dev', JSON.parse(text).version),
    ]) {
      writeFileSync(memo, damaged)
      expect(rememberedShown(env, paths)).toBeNull()
    }
  })

  it('a login the schema refuses stays out, from memory too', () => {
    const { env, paths } = machine()
    const refuse = (a: AccountConfig): Verdict =>
      a.provider === 'codex' ? { skip: 'not a valid account (made up)' } : judgeDiscovered(a)
    const shown = shownWithoutConfig(env, paths, refuse)
    expect(shown.map((a) => `${a.provider}/${a.id}`)).not.toContain('codex/default')
    expect(shown).toHaveLength(4)
    expect(rememberedShown(env, paths)).toEqual(roundTrip(shown))
  })

  it('an unwritable cache dir costs only the memory', () => {
    const { env, paths } = machine()
    const file = join(paths.cacheDir, 'not-a-dir')
    writeFileSync(file, '')
    const blocked = { ...paths, cacheDir: file }
    expect(shownWithoutConfig(env, blocked, judgeDiscovered)).toEqual(asBefore(env, paths.home))
    expect(existsSync(join(file, 'discovery-checked.json'))).toBe(false)
    expect(rememberedShown(env, blocked)).toBeNull()
  })
})
