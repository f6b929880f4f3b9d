import type { ErrorInfo } from '../../model.js'
import type { FetchContext, FetchResult, ProviderAdapter } from '../types.js'
import { commandLine } from './descriptor.js'
import type { CommandAccount } from './fields.js'
import { parseOutput } from './output.js'
import { runCommand } from './run.js'
import { fingerprintOf } from '../fingerprint.js'

const configError = (message: string, fix: string): ErrorInfo => ({
  kind: 'config',
  message,
  fix,
  httpStatus: null,
})

export const commandAdapter = {
  id: 'command',
  async fetchUsage(account: CommandAccount, ctx: FetchContext): Promise<FetchResult> {
    const line = commandLine(account, ctx.env)
    if (!line) {
      return {
        ok: false,
        fingerprint: null,
        error: configError(
          `${account.key} has no "command"`,
          'add "command": ["/path/to/script"] to the account in config.json',
        ),
      }
    }
    // Another command is another source: its old numbers must not carry over.
    const fp = fingerprintOf(JSON.stringify(line))
    const seconds = account.timeoutSeconds
    const name = `the command of ${account.key}`
    const run = await runCommand(line.argv, name, {
      // The script learns which account it reports for, so one script can serve several.
      env: { ...ctx.env, QUOTABAR_ACCOUNT: account.key },
      cwd: ctx.home,
      timeoutMs: seconds * 1000,
    })
    if (!run.ok) return { ok: false, error: run.error, fingerprint: fp }
    const out = parseOutput(run.stdout, ctx.now().toISOString())
    if (!out.ok) {
      return {
        ok: false,
        fingerprint: fp,
        error: {
          kind: 'schema',
          message: `${name} ${out.message}`,
          fix: 'see examples/command-provider.sh for the expected output',
          httpStatus: null,
        },
      }
    }
    return { ok: true, snapshot: out.snapshot, fingerprint: fp }
  },
} satisfies ProviderAdapter<CommandAccount>
