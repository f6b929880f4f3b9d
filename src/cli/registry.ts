import type { Argv } from 'yargs'
import { accountsCommand } from './accounts.js'
import { backgroundCommand } from './background.js'
import { clickCommand } from './click.js'
import { completionCommand } from './completion.js'
import { configCommand } from './config-cmd.js'
import { historyCommand } from './history.js'
import { hookCommand } from './hook.js'
import { inspectCommands } from './inspect.js'
import { refreshCommand } from './refresh.js'
import { usageCommands } from './report.js'
import { serveCommand } from './serve.js'
import { statusCommand } from './status-cmd.js'
import { watchCommand } from './watch.js'

/**
 * A command adds itself to the parser and reports its exit code through `done` (main.ts is the
 * only place that turns it into the process's exit code). Thrown `UsageError` → 2,
 * `CommandError` → 1, both with one line on stderr.
 */
export type Command = (y: Argv, done: (code: number) => void) => Argv

/** Every command of the full CLI, in the order --help lists them. */
export const commands: Command[] = [
  statusCommand,
  refreshCommand,
  watchCommand,
  clickCommand,
  accountsCommand,
  inspectCommands,
  usageCommands,
  historyCommand,
  configCommand,
  serveCommand,
  hookCommand,
  completionCommand,
  backgroundCommand,
]
