import { lstatSync, readFileSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../cache/store.js'
import type { Env } from '../config/paths.js'
import { resolveTimeZone } from './periods.js'

/**
 * The process zone's IANA name as Intl resolves it, remembered in the cache dir. Asking Intl
 * builds a DateTimeFormat, about 10 ms: most of what `report` does itself, for one word of its
 * header. ICU takes the name from $TZ, else from where /etc/localtime points (or, for a copied
 * file, which zone file it matches), so the record is keyed by $TZ, /etc/localtime's real path or
 * its identity (inode, size, mtime), and Node's ICU and tz versions: any change resolves it anew.
 * Without /etc/localtime (not Linux or macOS) nothing is remembered.
 */
export function localZoneName(cacheDir: string, env: Env): string {
  const key = zoneKey(env)
  if (key === null) return resolveTimeZone(null)
  const file = join(cacheDir, 'local-zone.json')
  try {
    const record: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (record && typeof record === 'object' && 'key' in record && 'name' in record) {
      if (record.key === key && typeof record.name === 'string' && record.name) return record.name
    }
  } catch {}
  const name = resolveTimeZone(null)
  try {
    writeFileAtomic(file, `${JSON.stringify({ key, name })}\n`)
  } catch {
    // Only speed is lost: the next report asks Intl again.
  }
  return name
}

const LOCALTIME = '/etc/localtime'

function zoneKey(env: Env): string | null {
  let local: string
  try {
    const st = lstatSync(LOCALTIME)
    local = st.isSymbolicLink()
      ? `link ${realpathSync(LOCALTIME)}`
      : `file ${st.ino} ${st.size} ${st.mtimeMs}`
  } catch {
    return null
  }
  return [process.versions.icu, process.versions.tz, `TZ=${env.TZ ?? ''}`, local].join('|')
}
