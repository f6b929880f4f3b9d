import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { localZoneName } from '../../src/logs/local-zone.js'
import { resolveTimeZone } from '../../src/logs/periods.js'

const saved = process.env.TZ
let dir: string | undefined
afterEach(() => {
  process.env.TZ = saved
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

const record = (d: string) => join(d, 'local-zone.json')
const remembers = existsSync('/etc/localtime')

describe('localZoneName: the process zone name, remembered by what ICU derives it from', () => {
  it("is Intl's name, and the record holds it", () => {
    dir = mkdtempSync(join(tmpdir(), 'quotabar-zone-'))
    process.env.TZ = 'Asia/Kathmandu'
    expect(localZoneName(dir, process.env)).toBe(resolveTimeZone(null))
    if (remembers) expect(JSON.parse(readFileSync(record(dir), 'utf8')).name).toBe(resolveTimeZone(null))
  })

  it.runIf(remembers)('a record for other inputs is ignored: another TZ resolves anew', () => {
    dir = mkdtempSync(join(tmpdir(), 'quotabar-zone-'))
    process.env.TZ = 'Europe/Berlin'
    expect(localZoneName(dir, process.env)).toBe('Europe/Berlin')
    process.env.TZ = 'America/New_York'
    expect(localZoneName(dir, process.env)).toBe('America/New_York')
    writeFileSync(record(dir), JSON.stringify({ key: 'someone else', name: 'Mars/Olympus' }))
    expect(localZoneName(dir, process.env)).toBe('America/New_York')
    writeFileSync(record(dir), 'not json')
    expect(localZoneName(dir, process.env)).toBe('America/New_York')
  })

  it.runIf(remembers)('the same inputs read the record, without asking Intl', () => {
    dir = mkdtempSync(join(tmpdir(), 'quotabar-zone-'))
    process.env.TZ = 'UTC'
    localZoneName(dir, process.env)
    const written = JSON.parse(readFileSync(record(dir), 'utf8'))
    writeFileSync(record(dir), JSON.stringify({ ...written, name: 'Recorded/Name' }))
    expect(localZoneName(dir, process.env)).toBe('Recorded/Name')
  })
})
