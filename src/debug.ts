/** `DEBUG=quotabar` writes timestamped diagnostics to stderr; stdout stays output only. */
// Read at each call, not at load: `--verbose` turns it on after the bundle has loaded.
export const debugEnabled = (): boolean => /(^|,)\s*quotabar\b/.test(process.env.DEBUG ?? '')
const t0 = Date.now()

export function debug(message: string): void {
  if (debugEnabled()) process.stderr.write(`quotabar +${Date.now() - t0}ms ${message}\n`)
}
