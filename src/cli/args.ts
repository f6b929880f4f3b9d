import type { Env } from '../config/paths.js'
import { isIconStyle } from '../render/icons.js'
import { isFormat } from '../render/index.js'
import { parseTemplate } from '../render/template.js'
import type { StatusRequest } from '../status.js'

/** Short options that take a value; `-ftmux` and `-f=tmux` mean `-f tmux` to both parsers. */
const SHORT_WITH_VALUE = new Set(['-f', '-a'])

/** Splits `-ftmux` / `-f=tmux` into `-f tmux`, so the fast path and yargs read argv alike. */
export function splitShortValues(argv: string[]): string[] {
  const out: string[] = []
  for (const [i, arg] of argv.entries()) {
    if (arg === '--') return out.concat(argv.slice(i))
    const flag = arg.slice(0, 2)
    if (arg.length > 2 && SHORT_WITH_VALUE.has(flag)) out.push(flag, arg.slice(arg[2] === '=' ? 3 : 2))
    else out.push(arg)
  }
  return out
}

/** Options of the top-level parser that take a value (the command word comes after it). */
const GLOBAL_WITH_VALUE = new Set(['--config'])

/**
 * The first word of argv that is not an option or an option's value, if any: the command the
 * full CLI registers (registry.ts) and the part of full.cjs's code cache it uses (code-cache.ts).
 */
export function commandWord(argv: string[]): string | undefined {
  return argv[commandIndex(argv)]
}

/** Where that word is in argv (argv.length when there is none). */
export function commandIndex(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (GLOBAL_WITH_VALUE.has(a)) i++
    else if (!a.startsWith('-')) return i
  }
  return argv.length
}

/** Returns null for anything that is not a plain status call; the full parser handles (and explains) it. */
export function parseFast(rawArgv: string[], env: Env = process.env): StatusRequest | null {
  const argv = splitShortValues(rawArgv)
  const req: StatusRequest = { format: 'plain', selectors: [], window: 'auto', demo: false, refresh: true }
  let i = argv[0] === 'status' ? 1 : 0
  for (; i < argv.length; i++) {
    const arg = argv[i] as string
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const name = eq > 0 ? arg.slice(0, eq) : arg
    const value = () => (eq > 0 ? arg.slice(eq + 1) : argv[++i])
    if (name === '--demo' && eq < 0) req.demo = true
    else if (name === '--no-refresh' && eq < 0) req.refresh = false
    else if (name === '--redact' && eq < 0) req.redact = true
    else if (name === '-f' || name === '--format') {
      const v = value()
      if (v === undefined || !isFormat(v)) return null
      req.format = v
    } else if (name === '-a' || name === '--account') {
      const v = value()
      if (!v) return null
      req.selectors.push(v)
    } else if (name === '--window') {
      const v = value()
      if (!v) return null
      req.window = v
    } else if (name === '--text') {
      const v = value()
      if (v === undefined) return null
      req.text = parseTemplate(v)
    } else if (name === '--icons') {
      const v = value()
      if (v === undefined || !isIconStyle(v)) return null
      req.icons = v
    } else if (name === '--config') {
      const v = value()
      if (!v) return null
      req.config = v
    } else return null
  }
  // An i3blocks click (BLOCK_BUTTON=N; "" on timer runs) may refresh first: the full CLI applies it.
  if (req.format === 'i3blocks' && env.BLOCK_BUTTON) return null
  return req
}

/**
 * `hook claude-statusline [--no-color] [--config F]`: Claude Code runs it on every status-line
 * redraw, so the bin serves it from a small bundle of its own. Anything else → the full CLI.
 */
export function parseHook(argv: string[]): { color: boolean; config: string | undefined } | null {
  if (argv[0] !== 'hook' || argv[1] !== 'claude-statusline') return null
  const req = { color: true, config: undefined as string | undefined }
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--no-color') req.color = false
    else if (arg === '--color') req.color = true
    else if (arg === '--config' && argv[i + 1]) req.config = argv[++i]
    else if (arg.startsWith('--config=') && arg.length > 9) req.config = arg.slice(9)
    else return null
  }
  return req
}

/**
 * `__refresh --token T [--config F] KEY..`, exactly as spawnRefresh (io.ts) writes it: the bin
 * runs it from its own bundle without yargs. Anything else → the full CLI.
 */
export function parseBackground(
  argv: string[],
): { token: string; config: string | undefined; keys: string[] } | null {
  if (argv[0] !== '__refresh' || argv[1] !== '--token' || !argv[2]) return null
  let i = 3
  let config: string | undefined
  if (argv[i] === '--config') {
    config = argv[i + 1]
    if (!config) return null
    i += 2
  }
  const keys = argv.slice(i)
  return keys.every((k) => !k.startsWith('-')) ? { token: argv[2], config, keys } : null
}
