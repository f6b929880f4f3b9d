import { z } from 'zod'
import type { AccountWith } from '../types.js'
import { accountFieldParts } from '../schema-parts.js'

/**
 * Copilot org account fields: the organisation whose seats and premium requests are shown. `org`
 * is the field claude-web shares (optional there), so "required" is this object's rule.
 */
export const copilotOrgFields = z
  .object({
    hostname: accountFieldParts.hostname,
    org: accountFieldParts.org,
  })
  .superRefine((f, ctx) => {
    if (f.org === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['org'],
        message: 'copilot-org accounts need "org": the organisation login, e.g. "acme"',
      })
  })

/** Its account as the adapter takes it: these fields typed, read once (parseAccount in ../fields.ts). */
export type CopilotOrgAccount = AccountWith<typeof copilotOrgFields>
