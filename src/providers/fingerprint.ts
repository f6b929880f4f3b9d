import { sha256Hex } from './sha256.js'

/**
 * The one short hash of a login (never the secret): the cache keeps it and drops old numbers when
 * it changes, `doctor` shows its start, discovery compares two variables' keys with it. `scope`
 * (an organisation, a filter) makes one key behind two accounts two logins.
 */
export function fingerprintOf(secret: string, ...scope: (string | null)[]): string {
  // Not node:crypto: the hook and discovery hash one login each, and loading it costs more.
  return sha256Hex([secret, ...scope.map((s) => s ?? '')].join('\0')).slice(0, 12)
}
