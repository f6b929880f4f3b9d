import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { configSchema } from '../../src/config/schema.js'

describe('schema/config.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (run `npm run schema` after changing it)', () => {
    const file = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../schema/config.schema.json'), 'utf8'),
    )
    expect(file).toEqual(z.toJSONSchema(configSchema, { io: 'input' }))
  })

  it('accepts the example config', () => {
    const example = JSON.parse(readFileSync(join(import.meta.dirname, '../../examples/config.json'), 'utf8'))
    expect(configSchema.safeParse(example).success).toBe(true)
  })
})
