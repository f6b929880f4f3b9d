/**
 * Where a zod issue is, as a reader writes it: `accounts[1].provider`. Its own module because
 * every boundary parser names the field (the config, HTTP bodies, credential files) and none of
 * them should load the config schema to say so.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p)
  return out || '(top level)'
}
