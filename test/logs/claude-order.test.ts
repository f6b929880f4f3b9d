import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { statePath } from '../../src/logs/state.js'
import { accountOf, asVersion2, byModel, entriesOf, readDetail, scan, tempCopy } from './helpers.js'

// A sidechain replay of a main-thread message (same message id) is dropped and the main-thread
// line counted, whichever is read first: the same file, another file, or an earlier refresh.
const NOW = '2026-08-12T12:00:00.000Z'
const HAIKU = 'claude-haiku-4-5-20251001'

/** A usage line on haiku (cost input·1e-6 + output·5e-6). */
function line(o: { msg: string; req: string | null; input: number; output: number; side?: boolean }): string {
  return `${JSON.stringify({
    type: 'assistant',
    isSidechain: o.side ?? false,
    sessionId: 's',
    timestamp: '2026-08-12T10:00:00.000Z',
    ...(o.req ? { requestId: o.req } : {}),
    message: { id: o.msg, model: HAIKU, usage: { input_tokens: o.input, output_tokens: o.output } },
  })}\n`
}
const main = line({ msg: 'msg_X', req: 'req_main', input: 1000, output: 200 })
const replay = line({ msg: 'msg_X', req: 'req_replay', input: 1000, output: 200, side: true })
const other = line({ msg: 'msg_Y', req: 'req_y', input: 300, output: 10 })
// The main thread alone: msg_X 1200 tokens ($0.002) and msg_Y 310 tokens ($0.00035).
const ALONE = { [HAIKU]: { cost: 0.00235, tokens: 1510, requests: 2, unpriced: 0 } }
// One more main-thread request (100 tokens), and the totals with it.
const more = line({ msg: 'msg_W', req: 'req_w', input: 100, output: 0 })
const WITH_MORE = { [HAIKU]: { cost: 0.00245, tokens: 1610, requests: 3, unpriced: 0 } }

let t: ReturnType<typeof tempCopy> | undefined
afterEach(() => t?.cleanup())

function home(files: Record<string, string>) {
  t = tempCopy()
  const projects = join(t.dir, 'projects')
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(dirname(join(projects, name)), { recursive: true })
    writeFileSync(join(projects, name), body)
  }
  const account = accountOf('claude', t.dir)
  const cacheDir = t.cacheDir
  const detail = statePath(cacheDir, account.key).replace(/\.json$/, '.detail')
  return { projects, detail, run: () => scan(account, cacheDir, NOW) }
}

/** The main thread's other message and a sub-agent's replay of msg_X, scanned once; `append` adds to the main thread. */
async function replayScanned() {
  const h = home({ '-p/s.jsonl': other, '-p/s/subagents/agent-1.jsonl': replay })
  await h.run()
  return { ...h, append: (text: string) => appendFileSync(join(h.projects, '-p/s.jsonl'), text) }
}

/** A refresh that read `files` files and took the replay back: the totals it sums, one replay skipped. */
function takenBack(u: Awaited<ReturnType<typeof scan>>, totals: ReturnType<typeof byModel>, files = 1) {
  expect(u.stats).toMatchObject({ filesRead: files })
  expect(byModel(u)).toEqual(totals)
  expect(u.reasons).toEqual({ 'sidechain-replay': 1 })
}

describe('Claude transcripts: the main-thread line wins whatever the order', () => {
  it('a replay before its main-thread line in the same file', async () => {
    const u = await home({ '-p/s.jsonl': replay + main + other }).run()
    expect(byModel(u)).toEqual(ALONE)
    expect(u.reasons).toEqual({ 'sidechain-replay': 1 })
  })

  it('a replay in a file read before the main thread', async () => {
    const u = await home({ '-a/other-session.jsonl': replay, '-b/s.jsonl': main + other }).run()
    expect(byModel(u)).toEqual(ALONE)
    expect(u.reasons).toEqual({ 'sidechain-replay': 1 })
  })

  it('a sidechain copy with the same request key but a smaller usage, read first', async () => {
    const copy = line({ msg: 'msg_X', req: 'req_main', input: 1000, output: 8, side: true })
    const u = await home({ '-a/s.jsonl': copy, '-b/s.jsonl': main + other }).run()
    expect(byModel(u)).toEqual(ALONE)
    expect(u.reasons).toEqual({ duplicate: 1 })
  })

  it('the replay seen in one refresh, the main-thread line appended before the next', async () => {
    const h = home({ '-p/s.jsonl': other, '-p/s/subagents/agent-1.jsonl': replay })
    const first = await h.run()
    // Nothing says yet that it is a replay: it counts.
    expect(byModel(first)[HAIKU]).toMatchObject({ requests: 2, tokens: 1510 })
    appendFileSync(join(h.projects, '-p/s.jsonl'), main)
    const second = await h.run()
    expect(second.stats).toMatchObject({ filesRead: 1 })
    expect(byModel(second)).toEqual(ALONE)
    expect(second.reasons).toEqual({ 'sidechain-replay': 1 })
    // Remembered as such: a third refresh reads nothing and agrees.
    const third = await h.run()
    expect(third.stats).toMatchObject({ filesRead: 0, changed: false })
    expect(byModel(third)).toEqual(ALONE)
  })

  it('a replay taken back in a file the refresh did not read stays taken back when the state is read again', async () => {
    const h = await replayScanned()
    h.append(main)
    expect(byModel(await h.run())).toEqual(ALONE)
    // The next refresh with something to read loads the sub-agent's totals from the detail.
    h.append(more)
    takenBack(await h.run(), WITH_MORE)
  })

  it('a replay chunk that grew across refreshes is taken back whole', async () => {
    const chunk = (output: number) =>
      line({ msg: 'msg_X', req: 'req_replay', input: 1000, output, side: true })
    const h = home({ '-p/s.jsonl': other, '-p/s/subagents/agent-1.jsonl': chunk(8) })
    await h.run()
    appendFileSync(join(h.projects, '-p/s/subagents/agent-1.jsonl'), chunk(500))
    expect(byModel(await h.run())[HAIKU]).toMatchObject({ requests: 2, tokens: 1810 })
    appendFileSync(join(h.projects, '-p/s.jsonl'), main)
    expect(byModel(await h.run())).toEqual(ALONE)
  })

  it('a sub-agent file read on with unrelated lines keeps its replay revocable', async () => {
    // Nine requests after the replay push it out of the file's recent ones: the refresh in
    // between touches no sidechain request (their index is never built), and the replay must
    // come through it as it was, still to be taken back later.
    const small = (n: number) => line({ msg: `msg_Z${n}`, req: `req_z${n}`, input: 10, output: 0 })
    const sub = '-p/s/subagents/agent-1.jsonl'
    const after = Array.from({ length: 9 }, (_, n) => small(n)).join('')
    const h = home({ '-p/s.jsonl': other, [sub]: replay + after })
    expect(byModel(await h.run())[HAIKU]).toMatchObject({ requests: 11, tokens: 1600 })
    appendFileSync(join(h.projects, sub), small(9))
    const between = await h.run()
    expect(between.stats).toMatchObject({ filesRead: 1 })
    expect(byModel(between)[HAIKU]).toMatchObject({ requests: 12, tokens: 1610 })
    appendFileSync(join(h.projects, '-p/s.jsonl'), main)
    const u = await h.run()
    expect(byModel(u)[HAIKU]).toMatchObject({ requests: 12, tokens: 1610 })
    expect(u.reasons).toEqual({ 'sidechain-replay': 1 })
    expect(byModel(await h.run())).toEqual(byModel(u))
  })

  it('a sidechain message of its own stays counted after later main-thread lines', async () => {
    const own = line({ msg: 'msg_Z', req: 'req_z', input: 50, output: 10, side: true })
    const u = await home({ '-p/s.jsonl': main, '-p/s/subagents/agent-1.jsonl': own + replay }).run()
    expect(byModel(u)[HAIKU]).toMatchObject({ requests: 2, tokens: 1260 })
    expect(u.reasons).toEqual({ 'sidechain-replay': 1 })
  })

  it('a sub-agent’s requests stay bytes in the detail until a line takes one back', async () => {
    const h = await replayScanned()
    // What every scan reads of them is their hashes; the requests themselves are the bytes after the totals.
    const base = readDetail(readFileSync(h.detail))[0]
    if (!base) throw new Error('no record')
    const sub = entriesOf(base).find((x) => x.path.endsWith('agent-1.jsonl'))
    if (!sub) throw new Error('no entry for the sub-agent file')
    expect(base.magic).toBe('QBL3')
    expect(sub.e.s).toBeUndefined()
    const [ids, keys] = [sub.e.sm as number[], sub.e.sq as number[]]
    expect(ids).toHaveLength(1)
    expect(keys).toHaveLength(1)
    expect(JSON.parse(String(sub.sides))).toMatchObject([{ m: ids[0], k: keys[0] }])
    // A refresh that reads an unrelated line leaves them as they were, and they can still be taken back.
    h.append(more)
    expect(byModel(await h.run())[HAIKU]).toMatchObject({ requests: 3, tokens: 1610 })
    h.append(main)
    takenBack(await h.run(), WITH_MORE)
  })

  it('a detail version 2 wrote (requests whole in its JSON) is read on, and its replay still taken back', async () => {
    const h = await replayScanned()
    writeFileSync(h.detail, asVersion2(readFileSync(h.detail)))
    expect(readDetail(readFileSync(h.detail)).map((r) => r.magic)).toEqual(['QBL2'])
    h.append(main)
    takenBack(await h.run(), ALONE)
    expect(byModel(await h.run())).toEqual(ALONE)
  })

  it('damaged requests, asked for: everything is read again, the sums right', async () => {
    const h = await replayScanned()
    // Same length, so the record still reads; only the requests' own check can tell.
    const bytes = readFileSync(h.detail, 'latin1')
    expect(bytes).toContain('[{"m":')
    writeFileSync(h.detail, bytes.replace('[{"m":', '[{"n":'), 'latin1')
    h.append(main)
    takenBack(await h.run(), ALONE, 2)
    expect(byModel(await h.run())).toEqual(ALONE)
  })
})
