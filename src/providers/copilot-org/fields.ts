import { z } from 'zod'
import { accountFieldParts } from '../schema-parts.js'

/** Copilot org account fields: the organisation whose seats and premium requests are shown. */
export const copilotOrgFields = z.object({
  hostname: accountFieldParts.hostname,
  org: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/, 'a GitHub organisation login')
    .describe('organisation')
    .optional(),
})
