import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../cache/store.js'
import type { AccountConfig } from '../model.js'
import { getDescriptor } from '../providers/descriptors.js'

/**
 * With no config file the bar shows what `accounts discover` finds. Discovery reads login files
 * and needs the full CLI, so every full-CLI run without a config (each refresh among them) writes
 * its result here and the cached render reads this one small file; until one has run, the render
 * falls back to each provider's default logins.
 */
export const discoveredPath = (cacheDir: string) => join(cacheDir, 'discovered.json')

export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

export function readDiscovered(cacheDir: string): AccountConfig[] | null {
  const text = readText(discoveredPath(cacheDir))
  let raw: unknown
  try {
    raw = text === null ? null : JSON.parse(text)
  } catch {
    return null
  }
  if (!Array.isArray(raw)) return null
  const ok = raw.every(
    (a) =>
      a !== null &&
      typeof a === 'object' &&
      typeof a.provider === 'string' &&
      typeof a.id === 'string' &&
      getDescriptor(a.provider) !== undefined,
  )
  return ok ? (raw as AccountConfig[]) : null
}

/**
 * `text` written to `path` atomically unless the file holds it already (most runs find what the
 * last one found, and the config-less hook runs on every redraw: one small read instead of a write
 * and a rename). An unwritable cache costs speed only and is reported by the render itself.
 */
export function writeIfChanged(path: string, text: string): void {
  if (readText(path) === text) return
  try {
    writeFileAtomic(path, text)
  } catch {}
}

export function writeDiscovered(cacheDir: string, accounts: AccountConfig[]): void {
  writeIfChanged(discoveredPath(cacheDir), `${JSON.stringify(accounts)}\n`)
}
