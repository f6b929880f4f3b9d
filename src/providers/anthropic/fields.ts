import { z } from 'zod'
import { accountFieldParts } from '../schema-parts.js'

/** Anthropic account fields: limit the admin key's report to one API key or workspace. */
export const anthropicFields = z.object({
  apiKeyId: accountFieldParts.apiKeyId,
  workspaceId: z.string().min(1).describe('limit to one workspace').optional(),
})
