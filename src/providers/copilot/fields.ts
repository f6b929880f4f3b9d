import { z } from 'zod'
import type { AccountWith } from '../types.js'
import { accountFieldParts } from '../schema-parts.js'

/** Copilot account fields: which gh login, on which GitHub host. */
export const copilotFields = z.object({
  githubUser: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'a GitHub login such as "octocat"')
    .describe('gh login to use')
    .optional(),
  hostname: accountFieldParts.hostname,
})

/** Its account as the adapter takes it: these fields typed, read once (parseAccount in ../fields.ts). */
export type CopilotAccount = AccountWith<typeof copilotFields>
