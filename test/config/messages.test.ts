import { describe, expect, it } from 'vitest'
import { parseConfigText } from '../../src/config/load.js'
import { closest } from '../../src/config/suggest.js'

const message = (text: string) => {
  const r = parseConfigText(text, 'config.json')
  if (r.ok) throw new Error('expected a config error')
  return `${r.error.message} | ${r.error.fix}`
}

describe('config messages a newcomer can act on', () => {
  it.each([
    ['{"acounts": []}', '(top level): unknown key "acounts" (did you mean "accounts"?)'],
    [
      '{"accounts": [{"provider": "claude", "id": "w", "configdir": "~/.claude-work"}]}',
      'accounts[0]: unknown key "configdir" (did you mean "configDir"?)',
    ],
    ['{"accounts": [{"provider": "claude", "id": "w", "zzzz": 1}]}', 'accounts[0]: unknown key "zzzz" |'],
    ['{"accounts": [{"provider": "claud", "id": "w"}]}', '"opencode"'],
    ['{"accounts": [{"provider": "claud", "id": "w"}]}', '(did you mean "claude"?)'],
    ['{"accounts": [{"provider": "nothing-like-it", "id": "w"}]}', '"codex", "copilot"'],
  ])('%s', (text, expected) => {
    expect(message(text)).toContain(expected)
  })

  it('an unknown provider lists every known one and suggests none when nothing is close', () => {
    const m = message('{"accounts": [{"provider": "nothing-like-it", "id": "w"}]}')
    expect(m).toMatch(/must be one of "claude", "codex", .*"openai"/)
    expect(m).not.toContain('did you mean')
  })

  it.each([
    ['{\n  // work login\n  "accounts": []\n}', 'line 2, column 3'],
    ['{"accounts": [] /* trailing */}', 'line 1, column 17'],
  ])('comments are refused with the reason and where: %j', (text, where) => {
    const m = message(text)
    expect(m).toContain('comments are not allowed (the config is plain JSON, not JSONC')
    expect(m).toContain(where)
    expect(m).not.toContain('not valid JSON')
  })

  it('a slash inside a string is no comment', () => {
    expect(
      parseConfigText('{"accounts": [{"provider": "claude", "id": "w", "label": "a//b"}]}', 'c').ok,
    ).toBe(true)
  })

  it.each([
    ['configdir', ['configDir', 'apiKeyEnv'], 'configDir'],
    ['apikeyenv', ['configDir', 'apiKeyEnv'], 'apiKeyEnv'],
    ['baseURL', ['baseUrl'], 'baseUrl'],
    ['xyz', ['configDir'], null],
    ['id', ['ids'], null],
  ])('closest(%s)', (word, candidates, expected) => {
    expect(closest(word, candidates)).toBe(expected)
  })
})
