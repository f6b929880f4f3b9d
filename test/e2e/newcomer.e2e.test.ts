import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BIN, runCli } from '../helpers/cli.js'
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
