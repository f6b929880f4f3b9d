import { z } from 'zod'
import { accountFieldParts } from '../schema-parts.js'

/** Gemini account fields: the Cloud project for Standard/Enterprise licences. */
export const geminiFields = z.object({ project: accountFieldParts.project })
