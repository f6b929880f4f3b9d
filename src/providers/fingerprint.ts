/**
 * The one short hash of a login (never the secret): the cache keeps it and drops old numbers when
 * it changes, `doctor` shows its start, discovery compares two variables' keys with it. `scope`
 * (an organisation, a filter) makes one key behind two accounts two logins.
 */
export function fingerprintOf(secret: string, ...scope: (string | null)[]): string {
  // node:crypto is fetched on the first hash: modules that merely import this (the hook, accounts
  // list through the credential readers) do not load it for nothing.
  return process
    .getBuiltinModule('node:crypto')
    .createHash('sha256')
    .update([secret, ...scope.map((s) => s ?? '')].join('\0'))
    .digest('hex')
    .slice(0, 12)
}
