import { isAbsolute } from 'node:path'
import { type Env, expandPath } from '../../config/paths.js'
import type { AccountConfig, ProviderDescriptor } from '../types.js'

/**
 * The user's own script as a provider. `command` is an argv array (run directly, never through a
 * shell), or a string: split on whitespace into argv (no quoting rules), or handed to `/bin/sh -c`
 * as written when the account sets `shell: true`. The program (argv[0]) expands `~` and `$VARS`.
 */
export interface CommandLine {
  argv: string[]
  /** A shell string runs as `/bin/sh -c <string>`. */
  shell: boolean
}

export function commandLine(account: AccountConfig, env: Env): CommandLine | null {
  const c = account.command
  if (typeof c === 'string' && c.trim()) {
    if (account.shell === true) return { argv: ['/bin/sh', '-c', c], shell: true }
    const [program = '', ...args] = c.trim().split(/\s+/)
    return { argv: [expandPath(program, env), ...args], shell: false }
  }
  if (isArgv(c)) {
    const [program = '', ...args] = c
    return program ? { argv: [expandPath(program, env), ...args], shell: false } : null
  }
  return null
}

const isArgv = (c: unknown): c is string[] =>
  Array.isArray(c) && c.length > 0 && c.every((x) => typeof x === 'string')

/** The script file, when the command names one by absolute path: editing it makes the account due. */
export function scriptPath(account: AccountConfig, env: Env): string | null {
  const line = commandLine(account, env)
  if (!line) return null
  const first = line.shell
    ? expandPath(String(account.command).trim().split(/\s+/)[0] ?? '', env)
    : line.argv[0]
  return first && isAbsolute(first) ? first : null
}

export const commandDescriptor = {
  id: 'command',
  name: 'Command',
  icons: { nerd: '\uf013', emoji: '⚙️' }, // nf-fa-cog
  loginCommand: null,
  // The script decides what it costs; a local script can run often, so the floor is low.
  defaultRefreshSeconds: 300,
  minRefreshSeconds: 10,
  credentialFiles(account, env) {
    const path = scriptPath(account, env)
    return path ? [path] : []
  },
  problems: (account, env) =>
    commandLine(account, env) ? [] : ['a command account needs `command`: the script that prints its usage'],
  undiscoverable: "a command account is the user's own script, named only in the config file",
  defaultAccounts: () => [],
} satisfies ProviderDescriptor
