import { z } from 'zod'
import { resolvePaths } from '../config/paths.js'
import { configSchema } from '../config/schema.js'
import { accountProblems } from '../accounts/usable.js'
import { loadContextSync } from '../context-load.js'
import { writeFd } from './write-fd.js'
import type { Command } from './registry.js'
import { optionalString } from './options.js'

const ACTIONS = {
  path: 'print the config file path quotabar uses',
  check: 'validate the config file and count its accounts',
  schema: 'print the JSON Schema of the config file (for editors)',
} as const

/** `quotabar config path|check|schema`; alone, the list of those. */
export const configCommand: Command = (y, done) =>
  y.command(
    'config [action]',
    'config file helpers: path | check | schema (JSON Schema for editors)',
    (c) => c.positional('action', { choices: Object.keys(ACTIONS) as (keyof typeof ACTIONS)[] }),
    (args) => {
      const config = optionalString(args.config)
      if (!args.action) {
        const rows = Object.entries(ACTIONS).map(
          ([name, what]) => `  quotabar config ${name.padEnd(7)} ${what}`,
        )
        writeFd(1, `${['Usage: quotabar config <action>', '', ...rows].join('\n')}\n`)
      } else if (args.action === 'path') writeFd(1, `${resolvePaths(process.env, config).configFile}\n`)
      else if (args.action === 'schema') {
        writeFd(1, `${JSON.stringify(z.toJSONSchema(configSchema, { io: 'input' }), null, 2)}\n`)
      } else {
        const ctx = loadContextSync(process.env, config)
        const where = ctx.configFile ? `${ctx.configFile}: valid` : 'no config file: using the default logins'
        const problems = ctx.settings.accounts.flatMap((a) =>
          accountProblems(a, ctx.env, ctx.paths.home).map((p) => `  ${a.provider}/${a.id}: ${p}`),
        )
        if (problems.length > 0) {
          writeFd(1, `${where} JSON, but ${problems.length} problem(s) stop accounts from working:\n`)
          writeFd(1, `${problems.join('\n')}\n`)
          done(1)
          return
        }
        writeFd(1, `${where}, ${ctx.settings.accounts.length} account(s)\n`)
      }
      done(0)
    },
  )
