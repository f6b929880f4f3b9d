import { readFileSync } from 'node:fs'
import type { z } from 'zod'
import { migrateConfig } from '../accounts/migrate.js'
import type { ErrorInfo } from '../model.js'
import type { Settings } from './accounts.js'
import { fileStamp, writeCheckedConfig } from './checked.js'
import { jsonErrorOffset } from './json-error.js'
import { formatPath } from '../issue-path.js'
import { type Config, configSchema } from './schema.js'
import { closest, didYouMean, knownKeys } from './suggest.js'
import { parseTemplate, type Template } from '../render/template.js'
import { parseAccount } from '../providers/fields.js'

export type LoadResult = { ok: true; settings: Settings; config: Config } | { ok: false; error: ErrorInfo }

function configError(message: string, fix: string): ErrorInfo {
  return { kind: 'config', message, fix, httpStatus: null }
}

/** The value the issue is about, read from the parsed file (zod issues do not carry it). */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let node = raw
  for (const p of path)
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[p] : undefined
  return node
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const where = formatPath(issue.path)
  switch (issue.code) {
    case 'unrecognized_keys': {
      const named = issue.keys.map((k) => `"${k}"${didYouMean(closest(k, knownKeys()))}`)
      return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${named.join(', ')}`
    }
    case 'invalid_value': {
      const given = valueAt(raw, issue.path)
      const hint = typeof given === 'string' ? didYouMean(closest(given, issue.values.map(String))) : ''
      return `${where}: must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${hint}`
    }
    case 'invalid_type':
      return `${where}: expected ${issue.expected}`
    default:
      return `${where}: ${issue.message}`
  }
}

/** 1-based line and column of a character offset, for JSON syntax errors. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`
}

export function parseConfigText(text: string, file: string): LoadResult {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    const offset = jsonErrorOffset(text)
    if (text.startsWith('//', offset) || text.startsWith('/*', offset)) {
      // Waybar users write JSONC; quotabar rewrites this file (accounts add, discover --write), so
      // a comment would not survive: say so instead of "not valid JSON".
      const where = lineCol(text, offset)
      return {
        ok: false,
        error: configError(
          `${file}: comments are not allowed (the config is plain JSON, not JSONC; comment at ${where})`,
          `remove the comment at ${where} of ${file}; a "label" can carry a note about an account`,
        ),
      }
    }
    const at =
      text.trim() === ''
        ? ' (the file is empty)'
        : offset < 0 || offset >= text.length
          ? ' (it ends too early: truncated?)'
          : ` at ${lineCol(text, offset)}`
    return {
      ok: false,
      error: configError(`${file} is not valid JSON${at}`, `fix the JSON syntax in ${file}`),
    }
  }
  // Older and hand-written shapes (no version, an accounts map, `interval`) read as the current one.
  const migrated = migrateConfig(raw)
  if (!migrated.ok) {
    return { ok: false, error: configError(`${file}: ${migrated.message}`, `edit ${file}`) }
  }
  const parsed = configSchema.safeParse(migrated.value)
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => describeIssue(i, migrated.value))
    const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : ''
    return {
      ok: false,
      error: configError(
        `${file}: ${issues.join('; ')}${more}`,
        `edit ${file} (schema: quotabar config schema)`,
      ),
    }
  }
  const c = parsed.data
  return {
    ok: true,
    config: c,
    settings: {
      // Each account through its provider's fields object, once: adapters take them typed.
      accounts: c.accounts.map(parseAccount),
      intervalSeconds: c.refresh.intervalSeconds ?? null,
      firstFetchWaitMs: c.refresh.firstFetchWaitMs ?? 3000,
      timeoutSeconds: c.refresh.timeoutSeconds ?? 15,
      thresholds: c.thresholds,
      colors: c.colors,
      icons: c.icons,
      text: textTemplates(c),
      redact: c.privacy.redact,
      notifications: c.notifications ?? null,
      nudge: c.nudge ?? null,
      logs: c.logs ?? null,
    },
  }
}

/** The templates were checked by the schema; parsed here once, so a render only walks them. */
function textTemplates(c: Config): NonNullable<Settings['text']> {
  const parse = (text: string | undefined) => {
    const parsed = text === undefined ? null : parseTemplate(text)
    return parsed?.ok ? parsed.template : null
  }
  const byAccount: Record<string, Template> = {}
  for (const a of c.accounts) {
    const t = parse(a.format?.text)
    if (t) byAccount[`${a.provider}/${a.id}`] = t
  }
  return { global: parse(c.format?.text), byAccount }
}

/** Reads and validates the config file; a valid result is remembered for the render path. */
export function loadConfigFile(file: string, cacheDir: string): LoadResult {
  const stamp = fileStamp(file)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error'
    return { ok: false, error: configError(`cannot read ${file} (${code})`, `check the file's permissions`) }
  }
  const result = parseConfigText(text, file)
  if (result.ok && stamp) writeCheckedConfig(file, cacheDir, stamp, result.settings)
  return result
}
