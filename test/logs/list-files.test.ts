import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { listFiles } from '../../src/logs/jsonl.js'

// listFiles walks the log directories itself (readdirSync's `recursive` option costs ~10 µs an
// entry in JavaScript); it must list what that option listed, in its order.
let root: string | undefined
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true })
  root = undefined
})

const jsonl = (n: string) => n.endsWith('.jsonl')

/** What listFiles returned before: the option's listing, kept names that are files (links followed). */
function reference(dir: string, keep: (n: string) => boolean): string[] {
  const isFile = (p: string) => {
    try {
      return statSync(p).isFile()
    } catch {
      return false
    }
  }
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((n) => (keep(n) ? join(dir, n) : ''))
    .filter((p) => p !== '' && isFile(p))
}

function tree(): string {
  root = mkdtempSync(join(tmpdir(), 'quotabar-list-'))
  const top = join(root, 'tree')
  const file = (p: string, text = '{}\n') => {
    mkdirSync(join(top, p, '..'), { recursive: true })
    writeFileSync(join(top, p), text)
  }
  for (let p = 0; p < 4; p++) {
    for (let s = 0; s < 3; s++) {
      file(`-home-dev-p${p}/s${s}.jsonl`)
      file(`-home-dev-p${p}/s${s}/subagents/agent-${s}.jsonl`)
      file(`-home-dev-p${p}/s${s}/tool-results/out.txt`)
    }
  }
  file('-home-dev-p0/notes.md')
  // A directory whose name ends in .jsonl: entered, never listed itself.
  file('odd.jsonl/inner.jsonl')
  // Links to a file and to a directory outside the tree are followed; a dangling one is not.
  writeFileSync(join(root, 'linked.jsonl'), '{}\n')
  mkdirSync(join(root, 'elsewhere'))
  writeFileSync(join(root, 'elsewhere', 'far.jsonl'), '{}\n')
  symlinkSync(join(root, 'linked.jsonl'), join(top, '-home-dev-p1', 'link.jsonl'))
  symlinkSync(join(root, 'elsewhere'), join(top, '-home-dev-p2', 'away'))
  symlinkSync(join(root, 'missing.jsonl'), join(top, '-home-dev-p3', 'dangling.jsonl'))
  return top
}

describe('listFiles', () => {
  it("lists what readdirSync's recursive option listed, in the same order", () => {
    const top = tree()
    const listed = listFiles(top, jsonl).map((f) => f.path)
    expect(listed).toEqual(reference(top, jsonl))
    expect(listed).toContain(join(top, '-home-dev-p2', 'away', 'far.jsonl'))
    expect(listed).toContain(join(top, '-home-dev-p1', 'link.jsonl'))
    expect(listed).toContain(join(top, 'odd.jsonl', 'inner.jsonl'))
    expect(listed).not.toContain(join(top, 'odd.jsonl'))
    expect(listed.some((p) => p.endsWith('dangling.jsonl') || p.endsWith('.md'))).toBe(false)
    expect(listed).toHaveLength(4 * 3 * 2 + 3)
  })

  it('hands `keep` the path below the root, and gives each file its stats', () => {
    const top = tree()
    const seen: string[] = []
    const listed = listFiles(`${top}/`, (n) => {
      seen.push(n)
      return n.startsWith(join('-home-dev-p0', 's1')) && jsonl(n)
    })
    expect(listed.map((f) => f.path)).toEqual([
      join(top, '-home-dev-p0', 's1.jsonl'),
      join(top, '-home-dev-p0', 's1', 'subagents', 'agent-1.jsonl'),
    ])
    expect(seen).toContain(join('-home-dev-p0', 's1', 'tool-results', 'out.txt'))
    expect(seen).not.toContain('-home-dev-p0')
    for (const f of listed) expect(f.st.size).toBe(3)
  })

  it('lists a relative root as join did', () => {
    const top = tree()
    const cwd = process.cwd()
    try {
      process.chdir(top)
      expect(listFiles('.', jsonl).map((f) => f.path)).toEqual(reference('.', jsonl))
      process.chdir(join(top, '..'))
      expect(listFiles('tree/', jsonl).map((f) => f.path)).toEqual(reference('tree/', jsonl))
    } finally {
      process.chdir(cwd)
    }
  })

  it('lists nothing for a missing root', () => {
    expect(listFiles(join(tmpdir(), 'quotabar-no-such-dir', 'projects'), jsonl)).toEqual([])
  })

  it('enters a link to an ancestor once instead of following it to the kernel limit', () => {
    const top = tree()
    const plain = listFiles(top, jsonl).map((f) => f.path)
    const up = join(top, '-home-dev-p0', 'up')
    symlinkSync('..', up)
    const listed = listFiles(top, jsonl).map((f) => f.path)
    // The option listed every transcript again per hop, 40 hops deep.
    expect(reference(top, jsonl).length).toBeGreaterThan(20 * listed.length)
    // Once as it is, once through the link (less what the link to `elsewhere` showed already).
    expect(listed.filter((p) => !p.startsWith(up))).toEqual(plain)
    const again = listed.filter((p) => p.startsWith(up)).map((p) => join(top, p.slice(up.length)))
    expect(again).toEqual(plain.filter((p) => !p.endsWith('far.jsonl')))
  })

  it.skipIf(process.getuid?.() === 0)('leaves out a directory it cannot read, not the whole listing', () => {
    // (Root reads any directory: then only the case below runs.) The option failed the whole listing.
    const top = tree()
    chmodSync(join(top, '-home-dev-p3'), 0)
    try {
      const listed = listFiles(top, jsonl).map((f) => f.path)
      expect(listed.some((p) => p.includes('-home-dev-p3'))).toBe(false)
      expect(listed).toHaveLength(3 * 3 * 2 + 3)
    } finally {
      chmodSync(join(top, '-home-dev-p3'), 0o755)
    }
  })

  it('leaves out a directory gone before it is read, and lists the rest', () => {
    // The directory goes away once listed and before it is read (keep is called as the walk
    // goes, breadth first): its read fails as an unreadable one's would, also for root.
    const top = tree()
    writeFileSync(join(top, 'first.jsonl'), '{}\n')
    const gone = join(top, '-home-dev-p3')
    const listed = listFiles(top, (n) => {
      if (n === 'first.jsonl') rmSync(gone, { recursive: true })
      return jsonl(n)
    }).map((f) => f.path)
    expect(listed.some((p) => p.startsWith(gone))).toBe(false)
    expect(listed).toContain(join(top, 'first.jsonl'))
    expect(listed).toHaveLength(3 * 3 * 2 + 4)
  })
})
