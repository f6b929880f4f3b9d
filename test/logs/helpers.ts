import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type AccountUsage, type LogDeps, scanAccount } from '../../src/logs/local.js'
import { statePath } from '../../src/logs/state.js'
import { loadPricing } from '../../src/logs/pricing.js'
import { COST, REQUESTS, type Totals, tokensOf, UNPRICED } from '../../src/logs/totals.js'
import type { Account } from '../../src/providers/types.js'

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'logs')

/** A temp dir holding a copy of one fixture tree (`claude`, `codex`, `opencode`). */
export function tempCopy(fixture?: string): { dir: string; cacheDir: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'quotabar-logs-'))
  const dir = join(root, 'data')
  if (fixture) cpSync(join(FIXTURES, fixture), dir, { recursive: true })
  return { dir, cacheDir: join(root, 'cache'), cleanup: () => rmSync(root, { recursive: true, force: true }) }
}

export function accountOf(provider: string, configDir: string, id = 'test'): Account {
  return { provider, id, configDir, key: `${provider}/${id}`, label: id, refreshSeconds: 300 }
}

export const HAIKU = 'claude-haiku-4-5-20251001'

/** A Claude usage line: request `n` (its own id and key), 100 tokens in and 10 out, at `ts`. */
export const haikuLine = (n: number, ts = '2026-08-12T10:00:00.000Z') =>
  `${JSON.stringify({ type: 'assistant', timestamp: ts, requestId: `req_${n}`, message: { id: `msg_${n}`, model: HAIKU, usage: { input_tokens: 100, output_tokens: 10 } } })}\n`

/**
 * One Claude project (`projects/-p` under `t.dir`) holding `files` (name → text), with its
 * account's state path and a scan of it at `now`.
 */
export function oneProject(t: { dir: string; cacheDir: string }, files: Record<string, string>, now: string) {
  const dir = join(t.dir, 'projects', '-p')
  mkdirSync(dir, { recursive: true })
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  const account = accountOf('claude', t.dir)
  return {
    dir,
    index: statePath(t.cacheDir, account.key),
    run: (since = 0) => scan(account, t.cacheDir, now, since),
  }
}

/** Scans with the bundled prices; `since` 0 reads every file whatever its mtime. */
export async function scan(
  account: Account,
  cacheDir: string,
  now: string,
  since = 0,
  tuning: Pick<LogDeps, 'checkpointBytes' | 'spillAfter' | 'sortedMax' | 'leaveBodies'> = {},
): Promise<AccountUsage> {
  const usage = await scanAccount(
    account,
    {
      env: {},
      home: '/nonexistent-home',
      cacheDir,
      now: new Date(now),
      pricing: loadPricing(null),
      ...tuning,
    },
    since,
  )
  if (!usage) throw new Error('no logs found')
  return usage
}

/** Totals per model over the whole usage. */
export function byModel(
  usage: AccountUsage,
): Record<string, { cost: number; tokens: number; requests: number; unpriced: number }> {
  const out: Record<string, Totals> = {}
  for (const models of usage.slots.values()) {
    for (const [model, t] of models) {
      const cur = out[model] ?? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
      for (let i = 0; i < 8; i++) cur[i] = (cur[i] ?? 0) + (t[i] ?? 0)
      out[model] = cur
    }
  }
  return Object.fromEntries(
    Object.entries(out).map(([m, t]) => [
      m,
      {
        cost: Number((t[COST] ?? 0).toFixed(9)),
        tokens: tokensOf(t),
        requests: t[REQUESTS] ?? 0,
        unpriced: t[UNPRICED] ?? 0,
      },
    ]),
  )
}

/** One record of a scan's detail file (src/logs/state-log.ts), its parts apart. */
export interface DetailRecord {
  magic: string
  rec: Record<string, unknown> & { files: Record<string, Record<string, unknown>>; pre?: { bl: number } }
  bodies: Buffer
  hashes: Buffer
}

export function readDetail(bytes: Buffer): DetailRecord[] {
  const out: DetailRecord[] = []
  for (let at = 0; at < bytes.length; ) {
    const magic = bytes.toString('latin1', at, at + 4)
    const jsonLen = bytes.readUInt32LE(at + 4)
    const count = bytes.readUInt32LE(at + 8)
    const bodyLen = magic === 'QBL1' ? 0 : bytes.readUInt32LE(at + 12)
    const rec = JSON.parse(bytes.toString('utf8', at + 16, at + 16 + jsonLen))
    const bodyAt = at + 16 + jsonLen
    const hashAt = bodyAt + bodyLen
    out.push({
      magic,
      rec,
      bodies: bytes.subarray(bodyAt, hashAt),
      hashes: bytes.subarray(hashAt, hashAt + count * 8),
    })
    at = hashAt + count * 8
  }
  return out
}

/** Records back into a detail file's bytes (JSON and bodies padded to 8 bytes, as written). */
export function writeDetail(records: readonly DetailRecord[]): Buffer {
  const padded = (b: Buffer) => {
    const out = Buffer.alloc(Math.ceil(b.length / 8) * 8, 0x20)
    b.copy(out)
    return out
  }
  const parts: Buffer[] = []
  for (const r of records) {
    const json = padded(Buffer.from(JSON.stringify(r.rec)))
    const bodies = r.magic === 'QBL1' ? Buffer.alloc(0) : padded(r.bodies)
    const head = Buffer.alloc(16)
    head.write(r.magic, 0, 'latin1')
    head.writeUInt32LE(json.length, 4)
    head.writeUInt32LE(r.hashes.length / 8, 8)
    if (r.magic !== 'QBL1') head.writeUInt32LE(bodies.length, 12)
    parts.push(head, json, bodies, r.hashes)
  }
  return Buffer.concat(parts)
}

/**
 * Each file entry of a current ('QBL3') record with its bytes: its totals' JSON and its sidechain
 * requests' JSON (null when it has none), in the order the bodies hold them.
 */
export function entriesOf(
  r: DetailRecord,
): { path: string; e: Record<string, unknown>; body: Buffer | null; sides: Buffer | null }[] {
  let at = r.rec.pre?.bl ?? 0
  const take = (n: unknown) => {
    if (typeof n !== 'number') return null
    const b = r.bodies.subarray(at, at + n)
    at += n
    return b
  }
  return Object.entries(r.rec.files).map(([path, e]) => {
    const body = take(e.bl)
    const sides = e.bl === undefined ? null : take(e.sl)
    return { path, e, body, sides }
  })
}

/** A current detail rewritten as version 2 wrote it ('QBL2'): sidechain requests whole in the JSON (`s`). */
export function asVersion2(bytes: Buffer): Buffer {
  return writeDetail(
    readDetail(bytes).map((r) => {
      const pre = r.rec.pre ? [r.bodies.subarray(0, r.rec.pre.bl)] : []
      const bodies: Buffer[] = [...pre]
      for (const { e, body, sides } of entriesOf(r)) {
        if (body) bodies.push(body)
        if (sides) e.s = JSON.parse(sides.toString('utf8'))
        delete e.sl
        delete e.sm
        delete e.sq
      }
      return { ...r, magic: 'QBL2', bodies: Buffer.concat(bodies) }
    }),
  )
}
