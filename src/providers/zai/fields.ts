import { z } from 'zod'
import { accountFieldParts } from '../schema-parts.js'

/** z.ai account fields: the CN platform, and a team key's organisation and project. */
export const zaiFields = z.object({
  project: accountFieldParts.project,
  region: accountFieldParts.region,
  organization: z
    .string()
    .min(1)
    .describe("a team key's organisation (sent as Bigmodel-Organization, with project)")
    .optional(),
})
