import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseFast } from '../../src/cli/args.js'
import { demoView } from '../../src/demo.js'
import { redactEmail, redactView } from '../../src/render/format.js'
import {
  credentialsFilePath,
  readStored,
  removeSecret,
  storedSecretKeys,
  storeSecret,
} from '../../src/secrets.js'

describe('redactEmail', () => {
  it.each([
    ['alice@example.com', 'a…@example.com'],
    ['a@b.co', 'a…@b.co'],
    ['first.last+tag@mail.example.org', 'f…@mail.example.org'],
    ['Work (dev@corp.example) and me@x.io', 'Work (d…@corp.example) and m…@x.io'],
    ['a…@example.com', 'a…@example.com'],
    ['no email here', 'no email here'],
    ['Max 5x', 'Max 5x'],
  ])('%s → %s', (input, out) => expect(redactEmail(input)).toBe(out))
})

describe('redactView', () => {
  it('hides every email in the view: email, label, plan, errors and the problem', () => {
    const view = demoView(new Date('2026-11-22T10:00:00Z'), 'auto')
    const first = view.accounts[0]
    if (!first) throw new Error('demo has accounts')
    view.accounts[0] = {
      ...first,
      label: 'dev@work.example',
      error: {
        kind: 'auth',
        message: 'expired for dev@work.example',
        fix: 'log in as dev@work.example',
        httpStatus: null,
      },
    }
    view.problem = { kind: 'config', message: 'x@y.example', fix: null, httpStatus: null }
    const text = JSON.stringify(redactView(view))
    expect(text).not.toMatch(/[A-Za-z0-9._%+-]{2,}@[a-z]/)
    expect(text).toContain('d…@work.example')
    expect(JSON.stringify(view)).toContain('dev@work.example') // the input is not changed
  })
})

describe('parseFast --redact', () => {
  it('is a plain status flag the bin serves itself', () => {
    expect(parseFast(['-f', 'waybar', '--redact'])).toMatchObject({ format: 'waybar', redact: true })
    expect(parseFast(['--redact=yes'])).toBeNull()
    expect(parseFast([])?.redact).toBeUndefined()
  })
})

describe('stored secrets', () => {
  let dir = ''
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  const envFor = () => {
    dir = mkdtempSync(join(tmpdir(), 'quotabar-secrets-'))
    return { HOME: dir, XDG_CONFIG_HOME: join(dir, 'cfg') }
  }

  it('stores keys in a 0600 file in a 0700 dir, and removes them (the last one removes the file)', () => {
    const env = envFor()
    storeSecret(env, 'openrouter/a', 'key-a')
    storeSecret(env, 'openrouter/b', 'key-b')
    const file = credentialsFilePath(env)
    expect(file).toBe(join(dir, 'cfg', 'quotabar', 'credentials.json'))
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'cfg', 'quotabar')).mode & 0o777).toBe(0o700)
    expect(readStored(env, 'openrouter/a')).toBe('key-a')
    expect([...storedSecretKeys(env)]).toEqual(['openrouter/a', 'openrouter/b'])
    expect(removeSecret(env, 'openrouter/a')).toBe(true)
    expect(removeSecret(env, 'openrouter/a')).toBe(false)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'openrouter/b': 'key-b' })
    expect(removeSecret(env, 'openrouter/b')).toBe(true)
    expect(() => statSync(file)).toThrow()
  })

  it('never overwrites a damaged credentials file', () => {
    const env = envFor()
    storeSecret(env, 'x/a', 'k')
    const file = credentialsFilePath(env)
    writeFileSync(file, '{"x/a": 42}')
    expect(() => storeSecret(env, 'x/b', 'k2')).toThrow(/not a quotabar credentials file/)
    expect(() => removeSecret(env, 'x/a')).toThrow(/fix or remove it/)
    expect(readFileSync(file, 'utf8')).toBe('{"x/a": 42}')
    // Anything but an object of strings is refused the same way (what z.record(z.string(), z.string()) refused).
    for (const text of ['["k"]', '"k"', 'null', '{"x/a": "k", "x/b": null}', '{"x/a": {"k": "v"}}', '{"x']) {
      writeFileSync(file, text)
      expect(() => storeSecret(env, 'x/b', 'k2')).toThrow(/not a quotabar credentials file/)
      expect(readFileSync(file, 'utf8')).toBe(text)
    }
    writeFileSync(file, '{}')
    storeSecret(env, 'x/b', 'k2')
    expect(readStored(env, 'x/b')).toBe('k2')
  })
})
