import type { ErrorInfo } from '../model.js'
import { fingerprintOf } from './fingerprint.js'
import type { CredentialInfo } from './types.js'

/** The pieces every adapter's `inspect` (doctor) builds its answer from. */

/** `sha256:1a2b3c4d` of a token or key: tells two logins apart, reveals nothing. */
export const credentialFingerprint = (secret: string) => `sha256:${fingerprintOf(secret).slice(0, 8)}`

export const NOTHING_KNOWN: CredentialInfo = {
  found: null,
  source: null,
  fingerprint: null,
  expiresAt: null,
  scopes: null,
  email: null,
  plan: null,
  problem: null,
  note: null,
}

export const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** A reader's failure: `credentials` means nothing usable was found; anything else, a login was. */
export function failedCredential(error: ErrorInfo, source: string | null): CredentialInfo {
  return { ...NOTHING_KNOWN, found: error.kind !== 'credentials', source, problem: error }
}
