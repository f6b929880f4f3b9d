import { z } from 'zod'
import type { AccountWith } from '../types.js'
import { accountFieldParts } from '../schema-parts.js'

/** Gemini account fields: the Cloud project for Standard/Enterprise licences. */
export const geminiFields = z.object({ project: accountFieldParts.project })

/** Its account as the adapter takes it: these fields typed, read once (parseAccount in ../fields.ts). */
export type GeminiAccount = AccountWith<typeof geminiFields>
