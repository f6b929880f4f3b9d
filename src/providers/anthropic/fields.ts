import { z } from 'zod'
import { accountFieldParts, queryId } from '../schema-parts.js'

/** Anthropic account fields: limit the admin key's report to one API key or workspace. */
export const anthropicFields = z.object({
  apiKeyId: accountFieldParts.apiKeyId,
  workspaceId: queryId('wrkspc_01Jw…').describe('limit to one workspace').optional(),
})
