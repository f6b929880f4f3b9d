import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import type { Reply } from './server.js'

/**
 * Secrets planted in fixtures and credentials, then looked for in every form a leak takes: raw,
 * URL-encoded (a form body or query echoed back), base64 and base64url (a Basic header, a JWT
 * part, a blob). Planted secrets carry `+ / =` so the URL-encoded form differs from the raw one.
 * Used by every provider's tests and the e2e tests that spawn the CLI.
 */

export const FORMS = ['raw', 'url-encoded', 'base64', 'base64url'] as const

export interface SecretForm {
  form: (typeof FORMS)[number]
  text: string
}

export function secretForms(secret: string): SecretForm[] {
  const b64 = Buffer.from(secret).toString('base64')
  const forms: SecretForm[] = [
    { form: 'raw', text: secret },
    { form: 'url-encoded', text: encodeURIComponent(secret) },
    { form: 'base64', text: b64 },
    { form: 'base64url', text: Buffer.from(secret).toString('base64url') },
  ]
  // A base64 form without its padding is what a leak usually looks like inside a longer blob.
  return forms.map((f) => (f.form === 'base64' ? { ...f, text: b64.replace(/=+$/, '') } : f))
}

/** A secret with the characters that URL-encoding changes, shaped like a provider's own. */
export const plantSecret = (prefix: string, tag: string) => `${prefix}PLANT+${tag}/0123456789abcdef=`

/**
 * A provider error that echoes the request, as some token endpoints and proxies do: every form
 * of every secret in the JSON error message, and in a form-encoded copy of the request. Pass the
 * secrets the request carried (a server can only echo what it got); scan for all of them.
 */
export function echoingReply(secrets: string[], status = 400, only?: SecretForm['form']): Reply {
  // `only`: one form per reply, for a long secret whose forms would not all fit in a message.
  const forms = (s: string) => secretForms(s).filter((f) => !only || f.form === only)
  const echoed = secrets.flatMap((s) => forms(s).map((f) => f.text)).join(' ')
  const form = new URLSearchParams(secrets.map((s, i) => [`secret${i}`, s])).toString()
  return {
    status,
    body: { error: { message: `bad request: ${echoed} (request: ${form})`, code: 'invalid_request' } },
  }
}

/** Every file under the given directories (missing ones are empty), path → content. */
export function filesUnder(dirs: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (dir: string) => {
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      return
    }
    for (const n of names) {
      const p = join(dir, n)
      if (statSync(p).isDirectory()) walk(p)
      else out[p] = readFileSync(p, 'latin1')
    }
  }
  for (const d of dirs) walk(d)
  return out
}

/** A run this long of any form is a leak: a message cut at 300 characters still gives it away. */
export const LEAK_RUN = 20

const leaks = (form: string, text: string) => {
  const run = Math.min(LEAK_RUN, form.length)
  for (let i = 0; i + run <= form.length; i++) if (text.includes(form.slice(i, i + run))) return true
  return false
}

/** `where: form of secret` for every form of every secret found (whole or in part) in the texts. */
export function findSecrets(secrets: string[], texts: Record<string, string>): string[] {
  const found: string[] = []
  for (const [where, text] of Object.entries(texts)) {
    for (const s of secrets) {
      for (const f of secretForms(s)) {
        if (f.text.length >= 8 && leaks(f.text, text)) found.push(`${where}: ${f.form} of ${s.slice(0, 6)}…`)
      }
    }
  }
  return found
}

/**
 * Fails naming each leak. `texts` are outputs (stdout, stderr, a fetch result); `dirs` are the
 * directories quotabar writes (cache, state, config), scanned file by file.
 */
export function expectNoSecrets(
  secrets: string[],
  where: { texts?: Record<string, string>; dirs?: string[] },
): void {
  // The scan itself must be able to fail: a planted secret must be findable in its own forms.
  for (const s of secrets)
    expect(
      findSecrets([s], {
        probe: secretForms(s)
          .map((f) => f.text)
          .join('\n'),
      }),
    ).toHaveLength(4)
  const texts = { ...(where.texts ?? {}), ...filesUnder(where.dirs ?? []) }
  expect(findSecrets(secrets, texts)).toEqual([])
}

/**
 * Other tools' credential files, made read-only (0400) and stamped (inode, mtime, ctime, size,
 * bytes) so a test can prove quotabar never opened them for writing: a rewrite of the same bytes
 * moves mtime and ctime, a temp file + rename changes the inode, a chmod moves ctime, and opening
 * a 0400 file for writing fails for any user but root.
 */
export function guardCredentials(files: string[]): { expectUntouched(): void } {
  for (const f of files) chmodSync(f, 0o400)
  const stamp = (f: string) => {
    const s = statSync(f, { bigint: true })
    return {
      ino: s.ino,
      mtime: s.mtimeNs,
      ctime: s.ctimeNs,
      size: s.size,
      mode: s.mode,
      bytes: readFileSync(f),
    }
  }
  const before = files.map(stamp)
  return {
    expectUntouched() {
      files.forEach((f, i) => {
        expect({ file: f, ...stamp(f) }).toEqual({ file: f, ...before[i] })
      })
    },
  }
}
