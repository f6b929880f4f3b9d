import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { fingerprintOf } from '../../src/providers/fingerprint.js'
import { sha256Hex } from '../../src/providers/sha256.js'

const nodeSha256 = (text: string) => createHash('sha256').update(text).digest('hex')

describe('sha256Hex: node:crypto without loading it', () => {
  // FIPS 180-4's examples (NIST's "SHA256.pdf"): one block, and two.
  it.each([
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ])('%j → %s', (text, hex) => expect(sha256Hex(text)).toBe(hex))

  // Every length around the padding's edges (55/56 bytes: the length still fits the last block or
  // not), several blocks, and text that is not one byte a character.
  const lengths = [1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000]
  it.each(lengths)('%i bytes equal node:crypto', (n) => {
    const text = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 37) % 95))).join('')
    expect(sha256Hex(text)).toBe(nodeSha256(text))
  })

  it.each([
    'café',
    '€uro',
    'emoji 😀 and more 😀😀',
    '\u0000nul\u0000',
    'lone \ud800 surrogate',
    'ü'.repeat(60),
  ])('%j (UTF-8) equals node:crypto', (text) => expect(sha256Hex(text)).toBe(nodeSha256(text)))

  it('equals node:crypto for a thousand token-like strings', () => {
    for (let i = 0; i < 1000; i++) {
      const text = `sk-ant-oat01-${i.toString(36).repeat((i % 17) + 1)}-${i * 7919}`
      expect(sha256Hex(text)).toBe(nodeSha256(text))
    }
  })

  it('keeps the fingerprints caches hold: the first 12 hex of the hash of secret and scope', () => {
    expect(fingerprintOf('abc')).toBe('ba7816bf8f01')
    expect(fingerprintOf('token', 'Org', null)).toBe(nodeSha256('token\0Org\0').slice(0, 12))
  })
})
