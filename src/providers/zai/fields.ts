import { z } from 'zod'
import type { AccountWith } from '../types.js'
import { accountFieldParts } from '../schema-parts.js'

/** A z.ai team id: it goes into a request header. */
const TEAM_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/
const TEAM_ID_RULE = 'an id from the z.ai team console'

/**
 * z.ai account fields: the CN platform, and a team key's organisation and project. `project` is
 * the field Gemini shares, so its team-id rule and the both-or-neither rule are the object's.
 */
export const zaiFields = z
  .object({
    project: accountFieldParts.project,
    region: accountFieldParts.region,
    organization: z
      .string()
      .regex(TEAM_ID, TEAM_ID_RULE)
      .describe("a team key's organisation (sent as Bigmodel-Organization, with project)")
      .optional(),
  })
  .superRefine((f, ctx) => {
    if (f.project !== undefined && !TEAM_ID.test(f.project))
      ctx.addIssue({ code: 'custom', path: ['project'], message: TEAM_ID_RULE })
    if (!f.organization !== !f.project)
      ctx.addIssue({
        code: 'custom',
        path: ['organization'],
        message: 'a team account needs both "organization" and "project"',
      })
  })

/** Its account as the adapter takes it: these fields typed, read once (parseAccount in ../fields.ts). */
export type ZaiAccount = AccountWith<typeof zaiFields>
