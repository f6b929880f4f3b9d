import { createHash } from 'node:crypto'

/**
 * The one short hash of a login (never the secret): the cache keeps it and drops old numbers when
 * it changes, `doctor` shows its start, discovery compares two variables' keys with it. `scope`
 * (an organisation, a filter) makes one key behind two accounts two logins.
 */
export function fingerprintOf(secret: string, ...scope: (string | null)[]): string {
  return createHash('sha256')
    .update([secret, ...scope.map((s) => s ?? '')].join('\0'))
    .digest('hex')
    .slice(0, 12)
}
