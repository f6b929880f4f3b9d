import { type Diagnosis, diagnose } from '../accounts/diagnose.js'
import { clean, formatAge } from '../render/format.js'
import { untilText } from '../tui/lines.js'
import { finish, GLYPHS, localTime, paint, type Style, styleFor } from '../tui/term.js'
import { pickAccounts } from '../context.js'
import { writeFd } from './write-fd.js'
import type { Command } from './registry.js'
import { contextFrom, selectorsOf, withJson, withSelection } from './options.js'

/**
 * `quotabar doctor [SEL..]`: per account, where the login was found (a fingerprint, never the
 * secret), its expiry and scopes, one live request to the endpoint, the cooldown, the cache age
 * and the last error with its fix. Exit 1 when any account is unusable.
 */

type Mark = 'ok' | 'fail' | 'warn' | 'info'

const SOON_MS = 15 * 60_000

export function formatDiagnosis(d: Diagnosis, nowMs: number, style: Style): string[] {
  const g = GLYPHS
  const sym: Record<Mark, string> = {
    ok: paint(style, 'ok', g.ok),
    fail: paint(style, 'error', g.fail),
    warn: paint(style, 'warning', g.warn),
    info: paint(style, 'dim', g.info),
  }
  const lines: string[] = []
  const row = (mark: Mark, name: string, text: string) =>
    lines.push(`  ${sym[mark]} ${name.padEnd(10)}  ${text}`)
  const more = (text: string) => lines.push(`  ${' '.repeat(14)}${text}`)
  const who = [d.label !== d.key.split('/')[1] ? d.label : '', d.plan, d.email].filter(Boolean)
  const marks = [d.active ? 'active' : ''].filter(Boolean)
  lines.push(paint(style, 'bold', [d.key, ...who.map((x) => clean(x ?? '')), ...marks].join(' · ')))

  const c = d.credential
  if (c.found === null) row('info', 'credential', c.note ?? 'read by the provider')
  else if (c.found)
    row(c.problem ? 'warn' : 'ok', 'credential', [c.source, c.fingerprint].filter(Boolean).join(' · '))
  else row('fail', 'credential', `not found${c.source ? ` (${c.source})` : ''}`)
  if (c.expiresAt) {
    const at = Date.parse(c.expiresAt)
    const when = `${localTime(c.expiresAt)} (${at > nowMs ? untilText(c.expiresAt, nowMs) : 'passed'})`
    const renewable = c.note?.includes('in memory')
    const mark: Mark = at <= nowMs ? (renewable ? 'info' : 'fail') : at - nowMs < SOON_MS ? 'warn' : 'ok'
    row(mark, 'expires', `${when}${c.note ? ` · ${c.note}` : ''}`)
  }
  if (c.scopes) row(c.scopesOk === false ? 'fail' : 'ok', 'scopes', c.scopes.join(' '))
  if (c.problem) {
    row('fail', 'login', `${c.problem.kind}: ${clean(c.problem.message)}`)
    if (c.problem.fix) more(`fix: ${clean(c.problem.fix)}`)
  }

  const e = d.endpoint
  if (e.state === 'ok') row('ok', 'endpoint', `answered: ${clean(e.summary)}`)
  else if (e.state === 'skipped') row('info', 'endpoint', e.why)
  else if (e.state === 'cooldown') {
    row(
      'warn',
      'endpoint',
      `rate-limited by the provider: quotabar waits${e.until ? ` until ${localTime(e.until)} (${untilText(e.until, nowMs)})` : ''}`,
    )
  } else {
    const what = {
      unreachable: 'unreachable',
      refused: 'refused',
      'not-asked': 'not asked',
      failed: 'failed',
    }[e.state]
    row(e.state === 'not-asked' ? 'info' : 'fail', 'endpoint', `${what}: ${clean(e.error.message)}`)
    if (e.error.fix && e.error.message !== c.problem?.message) more(`fix: ${clean(e.error.fix)}`)
  }
  if (d.cooldownUntil && e.state !== 'cooldown')
    row('warn', 'cooldown', `until ${localTime(d.cooldownUntil)} (${untilText(d.cooldownUntil, nowMs)})`)
  row('info', 'cache', `${d.status} · ${formatAge(d.ageSeconds)}`)
  const shown = [c.problem?.message, 'error' in e ? e.error.message : undefined]
  if (d.lastError && !shown.includes(d.lastError.message)) {
    row('warn', 'last error', `${d.lastError.kind}: ${clean(d.lastError.message)}`)
    if (d.lastError.fix) more(`fix: ${clean(d.lastError.fix)}`)
  }
  return lines
}

export function summaryLine(ds: Diagnosis[], style: Style): string {
  const g = GLYPHS
  const bad = ds.filter((d) => !d.usable)
  if (bad.length === 0)
    return `${paint(style, 'ok', g.ok)} ${ds.length} account${ds.length === 1 ? '' : 's'} usable`
  return `${paint(style, 'error', g.fail)} ${bad.length} of ${ds.length} unusable: ${bad.map((d) => d.key).join(', ')}`
}

export const doctorCommand: Command = (y, done) =>
  y.command(
    'doctor [accounts..]',
    'check every account: login, expiry, scopes, one live request, cooldown, cache, last error',
    (c) =>
      withJson(withSelection(c), 'print the findings as JSON')
        .option('offline', {
          type: 'boolean',
          default: false,
          describe: 'no network: skip the live request and judge by the cache',
        })
        .example('quotabar doctor', 'every account, with one live request each')
        .example('quotabar doctor claude --offline', 'the Claude accounts, from the files and the cache only')
        .epilogue(
          'The live request is the provider fetch itself, as `quotabar refresh` makes it (a provider cooldown still holds); its result goes to the cache. Secrets are never printed: a fingerprint (sha256:…) tells two logins apart. Exit 1 when any account is unusable.',
        ),
    async (args) => {
      const ctx = await contextFrom(args)
      const accounts = pickAccounts(ctx, selectorsOf(args))
      const found = await diagnose(ctx, accounts, !args.offline)
      const code = found.every((d) => d.usable) ? 0 : 1
      if (args.json) {
        writeFd(1, `${JSON.stringify({ ok: code === 0, accounts: found }, null, 2)}\n`)
      } else {
        const style = styleFor(ctx.env, Boolean(process.stdout.isTTY))
        const nowMs = ctx.now().getTime()
        const blocks = found.map((d) => formatDiagnosis(d, nowMs, style).join('\n'))
        writeFd(1, finish(style, `${blocks.join('\n\n')}\n\n${summaryLine(found, style)}\n`))
      }
      done(code)
    },
  )
