import { z } from 'zod'

/** Claude account fields: where Claude Code keeps the login on macOS. */
export const claudeFields = z.object({
  keychain: z
    .boolean()
    .describe('read the login from the macOS Keychain (security find-generic-password), read-only')
    .optional(),
})
