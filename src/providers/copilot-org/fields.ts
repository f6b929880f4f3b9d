import { z } from 'zod'
import { accountFieldParts } from '../schema-parts.js'

/** Copilot org account fields: the organisation whose seats and premium requests are shown. */
export const copilotOrgFields = z.object({
  hostname: accountFieldParts.hostname,
  org: accountFieldParts.org,
})
