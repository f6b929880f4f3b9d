import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isNormalAbsolute, joinPath } from '../../src/config/paths.js'

// joinPath skips path.join's string work on the render path: it must return what join returns.
const BASES = [
  '/',
  '/a',
  '/a/',
  '/a//b',
  '/a/./b',
  '/a/..',
  '/a/...',
  'a/b',
  '',
  '.',
  '/a/.h',
  '//a',
  '/a/b.',
]
const NAMES = [
  ['x'],
  ['x', 'y.json'],
  [''],
  ['.'],
  ['..'],
  ['/x'],
  ['x/'],
  ['.h'],
  ['a', '', 'b'],
  [],
  ['...'],
]

describe('joinPath and isNormalAbsolute', () => {
  it.each(BASES.flatMap((b) => NAMES.map((n) => [b, n] as const)))('join(%j, ...%j)', (base, names) => {
    expect(joinPath(base, ...names)).toBe(join(base, ...names))
  })

  it.each(BASES)('%j is normal only when resolve keeps it', (p) => {
    if (isNormalAbsolute(p)) expect(resolve(p)).toBe(p)
  })

  it('a plain absolute path is normal; slashes, dots and relative paths are not', () => {
    expect(['/home/u/.claude', '/a/.h', '/a/b.'].every(isNormalAbsolute)).toBe(true)
    expect(['/', '/a/', '//a', '/a/./b', '/a/..', 'a/b', ''].some(isNormalAbsolute)).toBe(false)
  })
})
