import { z } from 'zod'
import type { AccountWith } from '../types.js'

/** Command account fields: the user's script and how it runs. */
export const commandFields = z.object({
  command: z
    .union([z.array(z.string().min(1)).min(1), z.string().min(1)])
    .describe('argv of the script (a string runs through /bin/sh only with shell: true)')
    .optional(),
  shell: z.boolean().describe('run a string command through /bin/sh').optional(),
  timeoutSeconds: z.number().min(1).max(120).describe('how long the script may run').default(10),
})

/** Its account as the adapter takes it: these fields typed, read once (parseAccount in ../fields.ts). */
export type CommandAccount = AccountWith<typeof commandFields>
