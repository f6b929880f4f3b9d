import { z } from 'zod'
import { HttpError, postJson, withOrigin } from '../../http.js'

/**
 * Access-token refresh with gemini-cli's public installed-app client (providers spec §2.2).
 * Google refresh tokens do not rotate, so redeeming one does not log the CLI out. The new
 * access token lives in memory for one fetch: it is never written to oauth_creds.json or cached.
 */

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token'
// Hard-coded in gemini-cli packages/core/src/code_assist/oauth2.ts; Google treats an
// installed-app client secret as non-secret.
const CLIENT_ID = '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com'
const CLIENT_SECRET = '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'

/** Refresh a few minutes early, as google-auth-library does, so a token never dies mid-fetch. */
export const REFRESH_MARGIN_MS = 5 * 60_000

// The response carries no refresh_token: the old one stays valid.
const tokenSchema = z.object({
  access_token: z.string().min(1),
  id_token: z.string().nullish(),
})

export interface RefreshedToken {
  accessToken: string
  idToken: string | null
}

export async function refreshAccessToken(
  refreshToken: string,
  opts: { baseUrl: string | undefined; timeoutMs: number; secrets: string[] },
): Promise<RefreshedToken> {
  const body = new URLSearchParams({
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    refresh_token: refreshToken,
    grant_type: 'refresh_token',
  })
  try {
    const { data } = await postJson(withOrigin(GOOGLE_TOKEN_URL, opts.baseUrl), tokenSchema, {
      headers: { accept: 'application/json' },
      body,
      timeoutMs: opts.timeoutMs,
      secrets: [refreshToken, ...opts.secrets],
    })
    return { accessToken: data.access_token, idToken: data.id_token ?? null }
  } catch (err) {
    if (!(err instanceof HttpError)) throw err
    // 400 invalid_grant: expired or revoked (also Workspace re-auth policies). Any other 4xx
    // (invalid_client, unauthorized_client) also needs a fresh login, not a retry.
    const status = err.status ?? 0
    if (status >= 400 && status < 500 && status !== 429) {
      const why =
        err.providerMessage === 'invalid_grant'
          ? 'the saved Gemini login was expired or revoked (invalid_grant)'
          : `Google refused to refresh the Gemini login (${err.providerMessage ?? `HTTP ${status}`})`
      throw new HttpError('auth', why, status, null, err.providerMessage)
    }
    throw err
  }
}
