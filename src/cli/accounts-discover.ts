import { type Discovery, discoverAccounts } from '../accounts/discover.js'
import { editConfig, type RawAccount } from '../accounts/write.js'
import type { Env } from '../config/paths.js'
import type { AccountConfig } from '../model.js'
import { redactEmail } from '../render/format.js'
import { formatTable, tildify } from './accounts-format.js'
import { loadContext } from '../context.js'
import { writeFd } from './write-fd.js'
import type { Command } from './registry.js'
import { optionalString, REDACT_DESCRIPTION } from './options.js'

/** `accounts discover [--write]`: the logins on this machine against the config; --write adds the new ones. */

/** A validated config entry as the typed shape discovery compares against. */
function toAccountConfig(raw: RawAccount): AccountConfig | null {
  const { provider, id } = raw
  return typeof provider === 'string' && typeof id === 'string' ? { ...raw, provider, id } : null
}

function humanReport(d: Discovery, home: string, file: string, written: string[] | null): string {
  const lines: string[] = []
  if (d.findings.length === 0) lines.push('no logins found on this machine')
  else {
    const rows = d.findings.map((f) => [
      f.state,
      f.key,
      tildify(f.source, home),
      f.email ?? '',
      f.sameAs ? `same login as ${f.sameAs}` : '',
    ])
    lines.push(formatTable(rows).replace(/ +$/gm, ''))
  }
  for (const s of d.skipped) lines.push(`skipped ${s.source}: ${s.reason}`)
  const fresh = d.findings.filter((f) => f.state === 'new')
  const where = tildify(file, home)
  if (written !== null) {
    lines.push(written.length ? `added ${written.join(', ')} to ${where}` : `nothing new to add to ${where}`)
  } else if (fresh.length) {
    lines.push(
      `would add ${fresh.map((f) => f.key).join(', ')} to ${where}: run \`quotabar accounts discover --write\``,
    )
  } else lines.push(`every login is in ${where} already`)
  return `${lines.join('\n')}\n`
}

function jsonReport(d: Discovery, file: string, written: string[] | null): string {
  const doc = {
    configFile: file,
    findings: d.findings,
    skipped: d.skipped,
    wouldAdd: d.findings.filter((f) => f.state === 'new').map((f) => f.account),
    written,
  }
  return `${JSON.stringify(doc, null, 2)}\n`
}

function redacted(d: Discovery): Discovery {
  return { ...d, findings: d.findings.map((f) => ({ ...f, email: f.email && redactEmail(f.email) })) }
}

async function writeNew(env: Env, home: string, configFile: string, cacheDir: string): Promise<Discovery> {
  // Discovered again under the lock, against the file as it is now: a concurrent add is not undone.
  const out = await editConfig({ configFile, cacheDir }, (accounts) => {
    const existing = accounts.map(toAccountConfig).filter((a): a is AccountConfig => a !== null)
    const found = discoverAccounts(existing, env, home)
    const fresh = found.findings.filter((f) => f.state === 'new')
    for (const f of fresh) accounts.push({ ...f.account })
    return { result: found, unchanged: fresh.length === 0 }
  })
  return out.result
}

export const discoverSubcommand: Command = (y, done) =>
  y.command(
    'discover',
    'find the logins on this machine (Claude/Codex/Gemini dirs, Cursor, gh users, API-key variables)',
    (c) =>
      c
        .option('write', { type: 'boolean', default: false, describe: 'add the new ones to the config file' })
        .option('json', { type: 'boolean', default: false, describe: 'print JSON' })
        .option('redact', { type: 'boolean', default: false, describe: REDACT_DESCRIPTION }),
    async (args) => {
      const ctx = await loadContext(process.env, optionalString(args.config))
      const { home, configFile, cacheDir } = ctx.paths
      const existing = ctx.configFile ? ctx.settings.accounts : []
      let found = discoverAccounts(existing, ctx.env, home)
      let written: string[] | null = null
      if (args.write) {
        found = await writeNew(ctx.env, home, configFile, cacheDir)
        written = found.findings.filter((f) => f.state === 'new').map((f) => f.key)
      }
      if (args.redact || ctx.settings.redact) found = redacted(found)
      writeFd(
        1,
        args.json ? jsonReport(found, configFile, written) : humanReport(found, home, configFile, written),
      )
      done(0)
    },
  )
