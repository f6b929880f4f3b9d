import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/** The README's bar snippets are the example files themselves: what users copy is what is tested. */

const root = join(import.meta.dirname, '..', '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const snippets = [...readme.matchAll(/<!-- (examples\/[^ ]+) -->\n```[a-z]*\n([\s\S]*?)```\n/g)].map((m) => ({
  file: m[1] as string,
  body: m[2] as string,
}))
const barFiles = [
  'examples/waybar/config.jsonc',
  'examples/waybar/style.css',
  ...readdirSync(join(root, 'examples'))
    .filter((f) => /\.(conf|ini)$/.test(f))
    .map((f) => `examples/${f}`),
]

describe('README bar snippets', () => {
  it('every bar example is in the README', () => {
    expect(snippets.map((s) => s.file).sort()).toEqual([...barFiles].sort())
  })
  it.each(snippets)('$file is the file, byte for byte', ({ file, body }) => {
    expect(body).toBe(readFileSync(join(root, file), 'utf8'))
  })
})
