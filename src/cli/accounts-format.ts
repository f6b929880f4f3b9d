import type { CredentialSource } from '../accounts/list.js'
import { tildify } from '../accounts/sources.js'

export { tildify }

/** Text helpers shared by the `accounts` subcommands. */

export function describeSource(c: CredentialSource, home: string): string {
  switch (c.kind) {
    case 'config-dir':
      return `${tildify(c.detail, home)}${c.present ? '' : ' (missing)'}`
    case 'env':
      return `$${c.detail}${c.present ? '' : ' (not set)'}`
    case 'command':
      return `command: ${c.detail}`
    case 'stored':
      return `stored key (${tildify(c.detail, home)})`
    case 'gh':
      return `gh ${c.detail}`
    case 'provider-default':
      return tildify(c.detail, home)
    default:
      return c.kind satisfies never
  }
}

/** Columns padded to their widest cell; the last column is never padded. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '))
    .join('\n')
}
