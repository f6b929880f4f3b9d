import { z } from 'zod'
import type { AccountWith } from '../types.js'
import { accountFieldParts } from '../schema-parts.js'

/** MiniMax account fields: the CN platform, and which plan's remains to read. */
export const minimaxFields = z.object({
  region: accountFieldParts.region,
  plan: z.enum(['coding', 'token']).describe("which plan's remains to read (default coding)").optional(),
})

/** Its account as the adapter takes it: these fields typed, read once (parseAccount in ../fields.ts). */
export type MinimaxAccount = AccountWith<typeof minimaxFields>
