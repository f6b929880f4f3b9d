import { z } from 'zod'
import type { AccountWith } from '../types.js'
import { accountFieldParts, queryId } from '../schema-parts.js'

/** OpenAI account fields: one admin key can back several accounts, one per project or API key. */
export const openaiFields = z.object({
  projectId: queryId('proj_abc123').describe('limit to one project').optional(),
  apiKeyId: accountFieldParts.apiKeyId,
})

/** Its account as the adapter takes it: these fields typed, read once (parseAccount in ../fields.ts). */
export type OpenAiAccount = AccountWith<typeof openaiFields>
