import { z } from 'zod'
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
