/**
 * SHA-256 (FIPS 180-4) of a string's UTF-8 bytes, as lowercase hex: what
 * `createHash('sha256').update(text).digest('hex')` returns, without node:crypto. Loading that
 * module loads the stream machinery under it, ~3-5 ms of a Claude Code status-line redraw
 * (measured) for a hash of a few dozen bytes, which this takes microseconds for.
 * test/providers/sha256.test.ts holds it equal to node:crypto's.
 */
export function sha256Hex(text: string): string {
  const k = roundConstants()
  const data = Buffer.from(text, 'utf8')
  // The message, a 1 bit, zeros, and its length in bits as a 64-bit big-endian number.
  const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64)
  padded.set(data)
  padded[data.length] = 0x80
  const view = new DataView(padded.buffer)
  const bits = data.length * 8
  view.setUint32(padded.length - 8, Math.floor(bits / 2 ** 32))
  view.setUint32(padded.length - 4, bits >>> 0)
  const h = initialHash()
  const w = new Int32Array(64)
  for (let at = 0; at < padded.length; at += 64) {
    for (let t = 0; t < 16; t++) w[t] = view.getInt32(at + t * 4)
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!
      const y = w[t - 2]!
      const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)
      const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10)
      w[t] = w[t - 16]! + s0 + w[t - 7]! + s1
    }
    let [a, b, c, d, e, f, g, hh] = [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!]
    for (let t = 0; t < 64; t++) {
      const ch = (e & f) ^ (~e & g)
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ch + k[t]! + w[t]!) | 0
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0
      hh = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    // An Int32Array stores each sum modulo 2^32.
    const next = [a, b, c, d, e, f, g, hh]
    for (let i = 0; i < 8; i++) h[i] = h[i]! + next[i]!
  }
  let hex = ''
  for (const word of h) hex += (word >>> 0).toString(16).padStart(8, '0')
  return hex
}

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n))

/** The first `count` primes. */
function primes(count: number): number[] {
  const out: number[] = []
  for (let n = 2; out.length < count; n++) if (out.every((p) => n % p !== 0)) out.push(n)
  return out
}

/** The first 32 bits of a number's fractional part. */
const fraction32 = (x: number) => Math.floor((x - Math.floor(x)) * 2 ** 32) | 0

let constants: Int32Array | undefined
/** K: the fractional parts of the cube roots of the first 64 primes (FIPS 180-4 §4.2.2). */
function roundConstants(): Int32Array {
  constants ??= Int32Array.from(primes(64), (p) => fraction32(Math.cbrt(p)))
  return constants
}

/** H(0): the fractional parts of the square roots of the first 8 primes (FIPS 180-4 §5.3.3). */
const initialHash = () => Int32Array.from(primes(8), (p) => fraction32(Math.sqrt(p)))
