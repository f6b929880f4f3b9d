import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'

/**
 * Every `--help` as a newcomer reads it (no terminal: yargs wraps at 100 columns): each example
 * is one line that can be pasted as it stands, and the hand-written examples of the main help line
 * their descriptions up like the ones yargs lays out.
 */

let h: TempHome
beforeAll(() => {
  h = makeHome()
})
afterAll(() => h.cleanup())

const help = async (words: string[]) => {
  const r = await runCli([...words, '--help'], h.env)
  expect(r.code, `${words.join(' ')} --help: ${r.stderr}`).toBe(0)
  return r.stdout
}

/** The command words a help lists under "Commands:" (`quotabar accounts list ...` → `list`). */
function listedCommands(text: string, depth: number): string[] {
  const section = text.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? ''
  return section
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[depth])
    .filter((w): w is string => Boolean(w))
}

/** The lines of the "Examples:" section, or none. */
function exampleLines(text: string): string[] {
  const section = text.split('\nExamples:\n')[1]
  return section ? (section.split('\n\n')[0] ?? '').split('\n').filter((l) => l.trim() !== '') : []
}

/** What an example line may start with: a quotabar call, a shell that runs one, or a settings line. */
const PASTEABLE =
  /^ {2}(quotabar |source <\(quotabar |pass show |env \$\(quotabar |[A-Z_]+=\$\(quotabar |"statusLine": )/

async function everyHelp(): Promise<Map<string, string>> {
  const out = new Map<string, string>([['', await help([])]])
  for (const cmd of listedCommands(out.get('') ?? '', 1)) out.set(cmd, await help([cmd]))
  for (const sub of listedCommands(out.get('accounts') ?? '', 2))
    out.set(`accounts ${sub}`, await help(['accounts', sub]))
  return out
}

describe('--help of every command', () => {
  it('lists every command, and each example is one whole line (none wrapped onto the next)', async () => {
    const helps = await everyHelp()
    expect([...helps.keys()]).toEqual(
      expect.arrayContaining([
        '',
        'status',
        'accounts',
        'hook',
        'completion',
        'accounts add',
        'accounts list',
      ]),
    )
    const wrapped: string[] = []
    for (const [cmd, text] of helps)
      for (const line of exampleLines(text))
        if (!PASTEABLE.test(line)) wrapped.push(`quotabar ${cmd}: ${line}`)
    expect(wrapped).toEqual([])
  }, 60_000)

  it('a global flag reads the same in every help (--redact, --verbose; hook colours its own way)', async () => {
    const helps = await everyHelp()
    /** The description of `flag` (its wrapped lines joined, the type column dropped). */
    const described = (text: string, flag: string) => {
      const lines = text.split('\n')
      const at = lines.findIndex((l) => l.trimStart().startsWith(flag))
      if (at < 0) return null
      const more = lines
        .slice(at + 1)
        .filter((_, i, rest) => rest.slice(0, i + 1).every((l) => /^ {8,}\S/.test(l)))
      return [lines[at] ?? '', ...more]
        .map((l) =>
          l
            .replace(flag, '')
            .replace(/\[(boolean|string)\]( \[default: \w+\])?/g, '')
            .trim(),
        )
        .join(' ')
        .trim()
    }
    for (const flag of ['--redact', '--verbose']) {
      const seen = new Set([...helps.values()].map((text) => described(text, flag)))
      expect([flag, [...seen]]).toEqual([flag, [expect.any(String)]])
    }
    expect(described(helps.get('') ?? '', '--verbose')).toMatch(/each request/)
  }, 60_000)

  it('the Claude Code settings example is JSON that runs the hook', async () => {
    const line = exampleLines(await help(['hook'])).find((l) => l.includes('"statusLine"'))
    expect(line).toBeDefined()
    const settings = JSON.parse(`{${(line ?? '').trim()}}`)
    expect(settings.statusLine).toEqual({ type: 'command', command: 'quotabar hook claude-statusline' })
  })

  it('the main examples put every description in one column', async () => {
    const lines = exampleLines(await help([]))
    expect(lines.length).toBeGreaterThan(5)
    const columns = new Set(lines.map((l) => /^ {2}\S.*?\S {2,}(?=\S)/.exec(l)?.[0].length))
    expect([...columns]).toHaveLength(1)
    expect(columns.has(undefined)).toBe(false)
  })
})

describe('a command without its required argument', () => {
  it.each([
    [['click'], 'quotabar click'],
    [['accounts', 'rm'], 'quotabar accounts rm'],
    [['accounts', 'rename', 'claude/work'], 'quotabar accounts rename'],
    [['completion'], 'quotabar completion'],
  ])('%j: exit 2, names the command and where its usage is, in quotabar words', async (argv, words) => {
    const r = await runCli(argv, h.env)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.split('\n')[0]).toBe(
      `quotabar: \`${words}\` needs an argument; \`${words} --help\` shows which`,
    )
    expect(r.stderr).not.toMatch(/non-option/)
  })
})
