import { z } from 'zod'
import { configSchema } from './schema.js'

/**
 * "did you mean `configDir`?" for a key or provider the schema does not know. Only runs for a
 * config that failed to validate, so building the JSON Schema here costs nothing on a good day.
 */

/** Edit distance, capped: anything past `max` is "too far" and comes back as max + 1. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost)
    }
    prev = row
  }
  return prev[b.length] as number
}

/** The closest candidate within a couple of edits (case counts as no edit), else null. */
export function closest(word: string, candidates: Iterable<string>): string | null {
  const lower = word.toLowerCase()
  let best: string | null = null
  let bestScore = Math.min(2, Math.floor(word.length / 3))
  for (const c of candidates) {
    if (c === word) return null
    const score = distance(lower, c.toLowerCase(), bestScore)
    if (score <= bestScore && (best === null || score < bestScore)) {
      best = c
      bestScore = score
    }
  }
  return best
}

let keys: Set<string> | undefined

/** Every property name the config schema knows, at any depth. */
export function knownKeys(): Set<string> {
  if (keys) return keys
  const found = new Set<string>()
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk)
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'properties' && v && typeof v === 'object')
          for (const name of Object.keys(v)) found.add(name)
        walk(v)
      }
    }
  }
  walk(z.toJSONSchema(configSchema, { io: 'input' }))
  keys = found
  return found
}

export const didYouMean = (suggestion: string | null) =>
  suggestion ? ` (did you mean "${suggestion}"?)` : ''
