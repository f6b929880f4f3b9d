import { z } from 'zod'
import { accountFieldParts } from '../schema-parts.js'

/** claude-web account fields: the organisation (a uuid); without it, the first with chat. */
export const claudeWebFields = z.object({ org: accountFieldParts.org })
