import { z } from 'zod'
import type { AccountWith } from '../types.js'
import { accountFieldParts, queryId } from '../schema-parts.js'

/** Anthropic account fields: limit the admin key's report to one API key or workspace. */
export const anthropicFields = z.object({
  apiKeyId: accountFieldParts.apiKeyId,
  workspaceId: queryId('wrkspc_01Jw…').describe('limit to one workspace').optional(),
})

/** Its account as the adapter takes it: these fields typed, read once (parseAccount in ../fields.ts). */
export type AnthropicAccount = AccountWith<typeof anthropicFields>
