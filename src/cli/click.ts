import type { Arguments } from 'yargs'
import { readEntry } from '../cache/store.js'
import { debug } from '../debug.js'
import { applyClick, describeClick, parseButton } from '../live/click-action.js'
import { afterRefresh } from '../live/new-data.js'
import { nudgeBars } from '../live/nudge.js'
import { holdText, refreshAccounts } from '../refresh.js'
import { busyWaitMs, type CommandContext, loadContext, pickAccounts, refreshDeps } from '../context.js'
import { UsageError } from '../model.js'
import { writeFd } from './write-fd.js'
import { accountOption, optionalString } from './options.js'
import type { Command } from './registry.js'

const HELP = `Buttons: 1 / left and 5 / down (scroll) show the next account in the short text, 4 / up
the previous one (the cycle includes "the most constrained"); 3 / right cycles the window that
drives the numbers (auto, then each window the accounts report); 2 / middle refreshes now
(never below the provider's minimum interval: inside it the cache answers).
The choice is kept in $XDG_STATE_HOME/quotabar/view.json: every render and every bar shows it.
Then the bars in config "nudge" are woken, so an interval bar redraws at once
("nudge": {"waybarSignal": N} with N = the module's "signal").
  Waybar    "on-click": "quotabar click 2", "on-click-right": "quotabar click 3"
  polybar   click-middle = quotabar click 2
            click-right = quotabar click 3
  i3blocks  nothing to add: a click re-runs quotabar -f i3blocks with BLOCK_BUTTON set
  swaybar   nothing to add: quotabar watch -f i3bar reads the clicks on its stdin
(A Waybar or polybar module has no short text, so 1 changes nothing there.)`

/** `quotabar click BUTTON`: applies the button, then (middle) refreshes, then nudges the bars. */
export async function runClick(
  ctx: CommandContext,
  button: number,
  selectors: string[],
  opts: { nudge: boolean },
): Promise<string> {
  const accounts = pickAccounts(ctx, selectors)
  const entries = accounts.map((a) => readEntry(ctx.paths.cacheDir, a.key))
  const result = applyClick(
    button,
    accounts.map((a) => a.key),
    entries,
    ctx.paths.stateDir,
  )
  if (result.action === 'refresh') {
    const reports = await refreshAccounts(accounts, refreshDeps(ctx), {
      mode: 'manual',
      waitForBusyMs: busyWaitMs(ctx),
    })
    await afterRefresh(reports, ctx, opts)
    const fetched = reports.filter((r) => r.outcome === 'fetched').length
    // Inside the provider's floor or a cooldown a click asks nothing: say when it may.
    const held = reports.flatMap((r) =>
      r.hold ? [`${r.account.key}: ${holdText(r.hold, r.account, ctx.now())}`] : [],
    )
    return [`refreshed ${fetched} of ${reports.length} account(s)`, ...held].join('; ')
  }
  if (opts.nudge && result.action !== 'none') await nudgeBars(ctx.settings.nudge, { env: ctx.env })
  return describeClick(result)
}

/**
 * i3blocks re-runs the block's command with BLOCK_BUTTON=N after a click (and BLOCK_BUTTON="" on
 * timer runs; i3blocks 1.4 block.c child_setup_env). The bin hands such calls to this CLI (args.ts),
 * and this middleware applies the click before the status command renders, so the click's
 * result is what the block shows. Never fatal: the bar still gets its line.
 */
async function applyBlockButton(argv: Arguments): Promise<void> {
  const button = parseButton(process.env.BLOCK_BUTTON ?? '')
  const command = argv._[0]
  if (button === null || argv.format !== 'i3blocks' || (command !== undefined && command !== 'status')) return
  try {
    const selectors = Array.isArray(argv.account) ? argv.account.filter((s) => typeof s === 'string') : []
    await runClick(await loadContext(process.env, optionalString(argv.config)), button, selectors, {
      nudge: false,
    })
  } catch (err) {
    debug(`BLOCK_BUTTON=${process.env.BLOCK_BUTTON}: ${err instanceof Error ? err.message : String(err)}`)
  }
}

export const clickCommand: Command = (y, done) =>
  y
    .command(
      'click <button>',
      'what a bar click does: next account (1, 4, 5), next window (3), refresh now (2)',
      (c) =>
        c
          .positional('button', {
            type: 'string',
            demandOption: true,
            describe: '1-5 or left|middle|right|up|down',
          })
          .option(
            'account',
            accountOption('the accounts the bar shows (provider/id, id or provider); repeatable'),
          )
          .epilogue(HELP),
      async (args) => {
        const button = parseButton(args.button)
        if (button === null)
          throw new UsageError(`unknown button "${args.button}": use 1-5 or left, middle, right, up, down`)
        const line = await runClick(
          await loadContext(process.env, optionalString(args.config)),
          button,
          args.account,
          {
            nudge: true,
          },
        )
        writeFd(1, `${line}\n`)
        done(0)
      },
    )
    .middleware(applyBlockButton)
