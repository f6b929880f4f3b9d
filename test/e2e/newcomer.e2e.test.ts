import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BIN, runCli } from '../helpers/cli.js'
import { makeSyntheticHome, TWO_GH_USERS } from '../accounts/synthetic-home.js'
import { makeHome, type TempHome } from '../helpers/home.js'

const pkg = JSON.parse(execFileSync('git', ['show', 'HEAD:package.json'], { encoding: 'utf8' }))

let h: TempHome | undefined
afterEach(() => {
  h?.cleanup()
  h = undefined
})

describe('--version', () => {
  it('is the built version, wherever it runs, even beside another package.json', () => {
    h = makeHome()
    const other = join(h.home, 'project')
    mkdirSync(other)
    writeFileSync(join(other, 'package.json'), JSON.stringify({ name: 'other', version: '9.9.9' }))
    for (const cwd of [h.home, other]) {
      const r = spawnSync(process.execPath, [BIN, '--version'], { cwd, env: h.env, encoding: 'utf8' })
      expect(r.stdout).toBe(`${pkg.version}\n`)
      expect(r.status).toBe(0)
    }
  })
})

describe('the fast bar-path parser and the full CLI read argv alike', () => {
  // `--verbose` changes no output but sends the call through yargs: the same argv, both parsers.
  const NOW = { QUOTABAR_NOW: '2026-11-22T10:00:00.000Z', TZ: 'UTC' }
  it.each([
    [['--demo']],
    [['--demo', '-f', 'tmux']],
    [['--demo', '-ftmux']],
    [['--demo', '-f=waybar']],
    [['--demo', '--format=polybar', '--window', 'weekly']],
    [['--demo', '-a', 'work', '-awork']],
    [['--demo', '--account=claude/personal', '-f', 'i3blocks']],
    [['status', '--demo', '-f', 'json']],
    [['--demo', '-f']],
    [['--demo', '-f', '--no-refresh']],
    [['--demo', '-f', 'nope']],
    [['--demo', '--window']],
    [['--demo', '-a']],
    [['--demo', '--config']],
  ])('%j', async (argv) => {
    h = makeHome()
    const env = { ...h.env, ...NOW }
    const fast = await runCli(argv, env)
    const full = await runCli(['--verbose', ...argv], env)
    expect(full.stdout).toBe(fast.stdout)
    expect(full.code).toBe(fast.code)
    expect(full.stderr.replace(/\s+$/, '')).toBe(fast.stderr.replace(/\s+$/, ''))
    if (fast.code === 2) {
      // A usage error: one line on stderr naming the flag, nothing on stdout.
      expect(fast.stdout).toBe('')
      expect(fast.stderr).toMatch(
        /^quotabar: (-f|--format|--window|-a|--config) needs a value|^quotabar: Invalid values/,
      )
    } else {
      expect(fast.stdout).not.toBe('')
    }
  })
})

describe('quotabar config', () => {
  it('alone lists its actions instead of a yargs complaint', async () => {
    h = makeHome()
    const r = await runCli(['config'], h.env)
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    for (const action of ['path', 'check', 'schema']) expect(r.stdout).toContain(`quotabar config ${action}`)
  })
})

describe('quotabar completion', () => {
  it('bash: the script, sourced in a real bash, completes commands, subcommands and choices', async () => {
    h = makeHome()
    const script = await runCli(['completion', 'bash'], h.env)
    expect(script.code).toBe(0)
    // A `quotabar` on PATH as the user has it after an install.
    const binDir = join(h.home, 'bin')
    mkdirSync(binDir)
    writeFileSync(join(binDir, 'quotabar'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, {
      mode: 0o755,
    })
    writeFileSync(join(h.home, 'completion.bash'), script.stdout)
    const complete = (words: string[]) => {
      const line = words.map((w) => `'${w}'`).join(' ')
      const r = spawnSync(
        'bash',
        [
          '-c',
          `source ~/completion.bash; COMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _quotabar_completions; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { env: { ...h!.env, PATH: `${binDir}:${h!.env.PATH}` }, encoding: 'utf8' },
      )
      return r.stdout.split('\n').filter(Boolean).sort()
    }
    expect(complete(['quotabar', 'acc'])).toEqual(['accounts'])
    expect(complete(['quotabar', 'accounts', 'di'])).toEqual(['discover'])
    expect(complete(['quotabar', 'status', '-f', 'wa'])).toEqual(['waybar'])
    expect(complete(['quotabar', 'completion', ''])).toEqual(expect.arrayContaining(['bash', 'fish', 'zsh']))
  })

  it.each([['zsh'], ['fish']])('%s: a script that asks quotabar for the words', async (shell) => {
    h = makeHome()
    const r = await runCli(['completion', shell], h.env)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('quotabar --get-yargs-completions')
    expect(r.stdout).toContain(shell === 'zsh' ? 'compdef _quotabar quotabar' : 'complete -c quotabar')
  })

  it('an unknown shell is a usage error', async () => {
    h = makeHome()
    const r = await runCli(['completion', 'tcsh'], h.env)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
  })
})

describe('accounts that are what they say', () => {
  it('accounts add refuses an account that cannot work, names what it looked for; --force adds it', async () => {
    h = makeHome()
    const noLogin = await runCli(
      ['accounts', 'add', 'claude', '--id', 'w', '--config-dir', '~/.claude-w'],
      h.env,
    )
    expect(noLogin.code).toBe(1)
    expect(noLogin.stderr).toContain('claude/w would not work: ~/.claude-w does not exist')
    mkdirSync(join(h.home, '.claude-w'))
    const empty = await runCli(
      ['accounts', 'add', 'claude', '--id', 'w', '--config-dir', '~/.claude-w'],
      h.env,
    )
    expect(empty.code).toBe(1)
    expect(empty.stderr).toContain(
      `no Claude login in ~/.claude-w: looked for ${join(h.home, '.claude-w', '.credentials.json')}`,
    )
    expect(empty.stderr).toContain('add --force to add it anyway')
    const command = await runCli(['accounts', 'add', 'command', '--id', 'mine'], h.env)
    expect(command.code).toBe(1)
    expect(command.stderr).toContain('a command account needs `command`')

    h.claudeLogin(join(h.home, '.claude-w'))
    const ok = await runCli(['accounts', 'add', 'claude', '--id', 'w', '--config-dir', '~/.claude-w'], h.env)
    expect(ok.code).toBe(0)
    expect(ok.stderr).toBe('')
    const forced = await runCli(
      ['accounts', 'add', 'claude', '--id', 'x', '--config-dir', '~/.claude-x', '--force'],
      h.env,
    )
    expect(forced.code).toBe(0)
    expect(forced.stderr).toContain('warning: ~/.claude-x does not exist (added anyway: --force)')
  })

  it('config check says "valid" only when every account can work', async () => {
    h = makeHome()
    h.claudeLogin(join(h.home, '.claude-w'))
    h.writeConfig({ accounts: [{ provider: 'claude', id: 'w', configDir: '~/.claude-w' }] })
    const good = await runCli(['config', 'check'], h.env)
    expect(good.code).toBe(0)
    expect(good.stdout).toMatch(/: valid, 1 account\(s\)\n$/)
    h.writeConfig({
      accounts: [
        { provider: 'claude', id: 'w', configDir: '~/.claude-w' },
        { provider: 'claude', id: 'gone', configDir: '~/.claude-gone' },
        { provider: 'command', id: 'mine' },
      ],
    })
    const bad = await runCli(['config', 'check'], h.env)
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain('valid JSON, but 2 problem(s) stop accounts from working')
    expect(bad.stdout).toContain('claude/gone: ~/.claude-gone does not exist')
    expect(bad.stdout).toContain('command/mine: a command account needs `command`')
  })
})

describe('with no config file, the bar shows what accounts discover finds', () => {
  it('the same accounts, each labelled by which login it is; the render remembers the set', async () => {
    const s = makeSyntheticHome()
    try {
      s.claude('.claude', 'uuid-p', 'me@example.com')
      s.claude('.claude-work', 'uuid-w', 'me@work.example')
      s.codex('.codex', 'acct-1', 'user-1', 'me@example.com')
      s.gemini('.gemini', 'me@example.com')
      s.ghHosts(TWO_GH_USERS)
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: s.home,
        XDG_CONFIG_HOME: join(s.home, '.config'),
        XDG_CACHE_HOME: join(s.home, '.cache'),
        XDG_STATE_HOME: join(s.home, '.local/state'),
        OPENROUTER_API_KEY_MY_TEAM: 'sk-or-v1-team-key-0000000000',
        QUOTABAR_NOW: '2026-11-22T10:00:00.000Z',
      }
      const discover = JSON.parse((await runCli(['accounts', 'discover', '--json'], env)).stdout) as {
        findings: { state: string; key: string }[]
      }
      const found = discover.findings.filter((f) => f.state === 'new').map((f) => f.key)
      expect(found.length).toBeGreaterThanOrEqual(6)
      // A full-CLI run (here `accounts list`) and the cached render agree with discover.
      const listed = JSON.parse((await runCli(['accounts', 'list', '--json'], env)).stdout) as {
        accounts: { key: string; label: string }[]
      }
      expect(listed.accounts.map((a) => a.key)).toEqual(found)
      const bar = JSON.parse((await runCli(['-f', 'json', '--no-refresh'], env)).stdout) as {
        accounts: { key: string; label: string }[]
      }
      expect(bar.accounts.map((a) => a.key)).toEqual(found)
      const labels = bar.accounts.map((a) => a.label)
      expect(labels).not.toContain('default')
      expect(new Set(labels).size).toBe(labels.length)
      expect(labels).toEqual(expect.arrayContaining(['claude', 'work', 'codex', 'alice', 'bob', 'my-team']))
    } finally {
      s.cleanup()
    }
  })
})

describe('a newcomer with no logins at all', () => {
  it.each([
    [['best', 'claude']],
    [['refresh', 'claude']],
    [['show', '-a', 'claude']],
    [['history', 'claude']],
    [['exec', 'claude', '--', 'true']],
  ])('%j: "no accounts" and how to get one (exit 1), not a usage error about the selector', async (argv) => {
    h = makeHome()
    const r = await runCli(argv, h.env)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(
      /^quotabar: no accounts: no config file and no logins found\n {2}fix: log in with /,
    )
    expect(r.stderr).not.toMatch(/no account matches|--help for usage/)
  })
})
