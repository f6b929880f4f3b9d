import type { Argv } from 'yargs'
import { commandWord } from './args.js'

/**
 * A command adds itself to the parser and reports its exit code through `done` (main.ts is the
 * only place that turns it into the process's exit code). Thrown `UsageError` → 2,
 * `CommandError` → 1, both with one line on stderr.
 */
export type Command = (y: Argv, done: (code: number) => void) => Argv

/**
 * Every command of the full CLI, in the order --help lists them: the words that name it and its
 * module, loaded only when it runs (a command's module brings its whole dependency tree, so
 * `quotabar report` never initialises the serve or watch code).
 */
const table: [names: string[], load: (argv: string[]) => Promise<Command>][] = [
  [['status'], async () => (await import('./status-cmd.js')).statusCommand],
  [['refresh'], async () => (await import('./refresh.js')).refreshCommand],
  [['watch'], async () => (await import('./watch.js')).watchCommand],
  [['click'], async () => (await import('./click.js')).clickCommand],
  // `accounts` loads the subcommand argv names (accounts.ts), as this table does commands.
  [['accounts'], async (argv) => (await import('./accounts.js')).accountsCommand(argv)],
  [['show', 'best', 'verify', 'doctor'], async () => (await import('./inspect.js')).inspectCommands],
  [['report', 'pricing'], async () => (await import('./report.js')).usageCommands],
  [['history'], async () => (await import('./history.js')).historyCommand],
  [['exec'], async () => (await import('./exec.js')).execCommand],
  [['config'], async () => (await import('./config-cmd.js')).configCommand],
  [['serve'], async () => (await import('./serve.js')).serveCommand],
  [['hook'], async () => (await import('./hook.js')).hookCommand],
  [['completion'], async () => (await import('./completion.js')).completionCommand],
  [['__refresh'], async () => (await import('./background.js')).backgroundCommand],
]

/**
 * The commands the parser needs for this argv: the one it names, or all of them when it names
 * none or an unknown one (the default `status` command, --help, completions, "did you mean").
 */
export async function commandsFor(argv: string[]): Promise<Command[]> {
  const word = commandWord(argv)
  const named = table.find(([names]) => word !== undefined && names.includes(word))
  return Promise.all((named ? [named] : table).map(([, load]) => load(argv)))
}
