import { loadViews, refreshNow } from '../accounts/views.js'
import { clean, formatAge } from '../render/format.js'
import type { Account } from '../model.js'
import { holdText, type RefreshReport } from '../refresh.js'
import { meterLines, meterSummary, untilText } from '../tui/lines.js'
import { finish, GLYPHS, localTime, paint, type Style, styleFor } from '../tui/term.js'
import { type CommandContext, pickAccounts } from '../context.js'
import { UsageError } from '../model.js'
import { writeFd } from './write-fd.js'
import type { Command } from './registry.js'
import { contextFrom } from './options.js'

/**
 * `quotabar verify KEY`: one live fetch now, whatever the interval (a provider's 429 cooldown still
 * holds: asking during one only makes it longer), written to the cache like any refresh, and a
 * verdict a person can act on. Exit 0 when the account answered with its numbers, else 1.
 */

export function pickOne(ctx: CommandContext, selector: string): Account {
  const hits = pickAccounts(ctx, [selector])
  if (hits.length > 1) {
    throw new UsageError(
      `"${selector}" matches ${hits.length} accounts (${hits.map((a) => a.key).join(', ')}); name one as provider/id`,
    )
  }
  return hits[0] as Account
}

export interface Verdict {
  key: string
  ok: boolean
  /**
   * `fetched`; `busy` (another quotabar process fetched it just now); `cooldown` (a 429: not
   * asked); `cached` (inside the provider's floor or a backoff: not asked, the cache answers);
   * `locked` (another process holds the lock and fetched nothing: the cache answers).
   */
  outcome: 'fetched' | 'busy' | 'cooldown' | 'cached' | 'locked'
  kind: string | null
  message: string | null
  fix: string | null
  retryAt: string | null
  /** Where the answer came from when it is not this process's own fetch. */
  note: string | null
}

export async function runVerify(ctx: CommandContext, selector: string, style: Style) {
  const account = pickOne(ctx, selector)
  const [report] = await refreshNow(ctx, [account], 'manual')
  const view = loadViews(ctx, [account])[0]
  if (!report || !view) throw new Error(`no result for ${account.key}`)
  const verdict = judge(report, ctx.now())
  const nowMs = ctx.now().getTime()
  const g = GLYPHS
  const name = `${account.key}${view.active ? ' (active)' : ''}`
  const lines: string[] = []
  if (verdict.ok) {
    const who = [view.plan, view.email].filter(Boolean).map((x) => clean(x ?? ''))
    const note = verdict.note ? ` (${verdict.note})` : ''
    lines.push(
      `${paint(style, 'ok', g.ok)} ${name}: OK${who.length ? ` ${g.dash} ${who.join(' · ')}` : ''}${note}`,
    )
    lines.push(...meterLines(view, nowMs, style, ctx.settings.thresholds))
  } else {
    const until = verdict.retryAt
      ? `${localTime(verdict.retryAt)} (${untilText(verdict.retryAt, nowMs)})`
      : null
    const head =
      verdict.outcome === 'cooldown'
        ? `rate-limited ${g.dash} not asked: the provider asked quotabar to wait until ${until}`
        : `${verdict.kind} ${g.dash} ${clean(verdict.message ?? '')}`
    lines.push(`${paint(style, 'error', g.fail)} ${name}: ${head}`)
    if (verdict.kind === 'rate-limited' && verdict.outcome !== 'cooldown' && until)
      lines.push(`  cooldown until ${until}`)
    if (verdict.fix) lines.push(`  fix: ${clean(verdict.fix)}`)
    if (verdict.note) lines.push(`  ${verdict.note}`)
    if (view.fetchedAt && view.windows.length > 0)
      lines.push(`  last good data (${formatAge(view.ageSeconds)}): ${meterSummary(view)}`)
  }
  return { lines, exitCode: verdict.ok ? 0 : 1, verdict }
}

function judge(r: RefreshReport, now: Date): Verdict {
  const e = r.entry
  const base = { key: r.account.key, retryAt: e?.retryAt ?? null }
  if (r.hold?.why === 'cooldown') {
    return {
      ...base,
      ok: false,
      outcome: 'cooldown',
      kind: 'rate-limited',
      message: e?.error?.message ?? 'rate-limited by the provider',
      fix: 'wait until then (asking inside a 429 cooldown only makes it longer; not even --force does)',
      note: null,
    }
  }
  const outcome = r.outcome === 'not-due' ? 'cached' : r.outcome
  const note = noteOf(r, now)
  if (!e?.error && e?.snapshot)
    return { ...base, ok: true, outcome, kind: null, message: null, fix: null, retryAt: null, note }
  const err = e?.error
  return {
    ...base,
    ok: false,
    outcome,
    kind: err?.kind ?? 'error',
    message: err?.message ?? 'no data',
    fix: err?.fix ?? null,
    retryAt: err?.kind === 'rate-limited' ? base.retryAt : null,
    note,
  }
}

/** Said when the answer is not this process's own fetch just now. */
function noteOf(r: RefreshReport, now: Date): string | null {
  if (r.outcome === 'busy') return 'fetched by another quotabar process just now'
  const age = r.entry?.snapshot
    ? formatAge((now.getTime() - Date.parse(r.entry.snapshot.fetchedAt)) / 1000)
    : null
  const cached = `from the cache${age ? `, ${age}` : ''}`
  if (r.outcome === 'locked')
    return `${cached}; another quotabar process holds the lock and fetched nothing yet`
  return r.hold ? `${cached}; ${holdText(r.hold, r.account, now)}` : null
}

export const verifyCommand: Command = (y, done) =>
  y.command(
    'verify [selector]',
    'fetch one account now (ignoring the refresh interval, not a provider cooldown) and say whether it works',
    (c) =>
      c
        .positional('selector', { type: 'string', describe: 'provider/id, id or provider' })
        .option('account', {
          alias: 'a',
          type: 'string',
          requiresArg: true,
          describe: 'the account, as a flag (the same as the positional)',
        })
        .option('json', { type: 'boolean', default: false, describe: 'print the verdict as JSON' })
        .example('quotabar verify claude/work', 'ask Claude now whether the work login can read its usage'),
    async (args) => {
      const given = [args.selector, args.account]
        .flat()
        .filter((s): s is string => typeof s === 'string' && s !== '')
      if (given.length !== 1) throw new UsageError('verify takes one account: quotabar verify -a provider/id')
      const ctx = await contextFrom(args)
      const style = styleFor(ctx.env, Boolean(process.stdout.isTTY))
      const out = await runVerify(ctx, given[0] as string, style)
      const text = args.json
        ? `${JSON.stringify(out.verdict, null, 2)}\n`
        : finish(style, `${out.lines.join('\n')}\n`)
      writeFd(1, text)
      done(out.exitCode)
    },
  )
