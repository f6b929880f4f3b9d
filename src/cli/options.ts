import type { Argv } from 'yargs'
import { type CommandContext, loadContext } from '../context.js'

/**
 * The flags every command shares, defined once so they mean the same everywhere: `-a/--account`
 * (positional selectors stay as an alias), `--json`, and the global `--config` / `--redact` that
 * main.ts declares.
 */

const SELECTOR = 'provider/id, id or provider'

/** `--redact`, worded once: main.ts declares it for every command, a few commands again with a default. */
export const REDACT_DESCRIPTION = 'show emails as a…@domain (also config privacy.redact)'

/** A string flag's value, or undefined (yargs leaves other types for a flag given oddly). */
export const optionalString = (v: unknown) => (typeof v === 'string' ? v : undefined)

/** `-a/--account SEL`, repeatable: the one definition every command that selects accounts uses. */
export const accountOption = (describe = `${SELECTOR}; repeatable`) =>
  ({
    alias: 'a',
    type: 'string',
    array: true,
    requiresArg: true,
    default: [] as string[],
    describe,
  }) as const

/** `[accounts..]` positionals and `-a/--account`, repeatable; read both with `selectorsOf`. */
export function withSelection<T>(y: Argv<T>, what = `${SELECTOR} (default: every account)`) {
  return y
    .positional('accounts', { type: 'string', array: true, default: [] as string[], describe: what })
    .option('account', accountOption(`${SELECTOR}; repeatable (the same as a positional selector)`))
}

export const selectorsOf = (args: { accounts?: string[]; account?: string[] }): string[] => [
  ...(args.account ?? []),
  ...(args.accounts ?? []),
]

export function withJson<T>(y: Argv<T>, what: string) {
  return y.option('json', { type: 'boolean', default: false, describe: what })
}

/** The command's context from the global flags: `--config FILE`, and `--redact` over the config's `privacy.redact`. */
export async function contextFrom(args: object): Promise<CommandContext> {
  // The global flags are declared in main.ts, so a command's own argument type does not list them.
  const { config, redact } = args as { config?: unknown; redact?: unknown }
  const ctx = await loadContext(process.env, typeof config === 'string' ? config : undefined)
  if (redact === true) ctx.settings = { ...ctx.settings, redact: true }
  return ctx
}
