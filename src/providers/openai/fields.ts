import { z } from 'zod'
import { accountFieldParts, queryId } from '../schema-parts.js'

/** OpenAI account fields: one admin key can back several accounts, one per project or API key. */
export const openaiFields = z.object({
  projectId: queryId('proj_abc123').describe('limit to one project').optional(),
  apiKeyId: accountFieldParts.apiKeyId,
})
