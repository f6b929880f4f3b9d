import { join } from 'node:path'
import type { Argv } from 'yargs'
import { clockFrom } from '../config/paths.js'
import { ICON_STYLES } from '../render/icons.js'
import { type Format, formats } from '../render/index.js'
import { PLACEHOLDERS, parseTemplate } from '../render/template.js'
import { writeOutputFile } from '../serve/output-file.js'
import { runStatus } from '../status.js'
import { validateConfig } from '../context-load.js'
import { spawnRefresh } from './io.js'
import { writeFd } from './write-fd.js'
import { accountOption, optionalString, REDACT_DESCRIPTION } from './options.js'
import type { Command } from './registry.js'

/** The bin sits next to this bundle; the detached refresh runs through it. */
const binPath = () => join(__dirname, 'quotabar.cjs')

export function statusOptions(y: Argv) {
  return y
    .option('format', {
      alias: 'f',
      choices: formats,
      default: 'plain' as Format,
      requiresArg: true,
      describe: 'output format',
    })
    .option('account', accountOption())
    .option('window', {
      type: 'string',
      default: 'auto',
      requiresArg: true,
      describe:
        'window that drives the short text: auto (most constrained), session, weekly, weekly:<model>, ...',
    })
    .option('demo', {
      type: 'boolean',
      default: false,
      describe: 'render built-in sample accounts; no files, no network',
    })
    .option('refresh', {
      type: 'boolean',
      default: true,
      describe: 'refresh stale accounts in the background (--no-refresh: print the cache only)',
    })
    .option('redact', {
      type: 'boolean',
      default: false,
      describe: REDACT_DESCRIPTION,
    })
    .option('text', {
      type: 'string',
      describe: `the short text per account, e.g. '{label} {remaining} left': ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`,
    })
    .option('icons', { choices: ICON_STYLES, describe: 'glyphs in text and tooltip (config "icons")' })
}

export const statusCommand: Command = (y, done) =>
  y.command(
    ['status', '$0'],
    'render accounts once (default command)',
    (c) =>
      statusOptions(c).option('output', {
        type: 'string',
        describe: 'write to FILE atomically instead of stdout (e.g. a node_exporter textfile: -f prometheus)',
      }),
    (args) => {
      const out = runStatus(
        {
          format: args.format,
          selectors: args.account,
          window: args.window,
          demo: args.demo,
          config: optionalString(args.config),
          refresh: args.refresh,
          redact: args.redact,
          text: args.text === undefined ? undefined : parseTemplate(args.text),
          icons: args.icons,
        },
        {
          env: process.env,
          now: clockFrom(process.env),
          validateConfig: () => validateConfig,
          startRefresh: (keys, token, configFile) => spawnRefresh(binPath(), keys, token, configFile),
          warn: (line) => writeFd(2, `quotabar: ${line}\n`),
        },
      )
      if (args.output) writeOutputFile(args.output, args.format, `${out.text}\n`)
      else writeFd(1, `${out.text}\n`)
      done(out.exitCode)
    },
  )
