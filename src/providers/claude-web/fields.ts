import { z } from 'zod'
import type { AccountWith } from '../types.js'
import { accountFieldParts } from '../schema-parts.js'

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * claude-web account fields: the organisation (a uuid); without it, the first with chat. `org` is
 * the field copilot-org shares (a GitHub login there), so the uuid rule is this object's.
 */
export const claudeWebFields = z.object({ org: accountFieldParts.org }).superRefine((f, ctx) => {
  if (f.org !== undefined && !UUID.test(f.org))
    ctx.addIssue({ code: 'custom', path: ['org'], message: 'an organisation uuid' })
})

/** Its account as the adapter takes it: these fields typed, read once (parseAccount in ../fields.ts). */
export type ClaudeWebAccount = AccountWith<typeof claudeWebFields>
