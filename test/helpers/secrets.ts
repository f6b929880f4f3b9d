import { chmodSync, chownSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { expect } from 'vitest'
import type { RunAs } from './cli.js'
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

/** The unprivileged user a test run as root drops to, so that file modes bind again. */
export const NOBODY: RunAs = { uid: 65534, gid: 65534 }

/** Every file and directory under `dir` (and itself) to `user`, for a run as that user. */
function chownTree(dir: string, user: RunAs): void {
  chownSync(dir, user.uid, user.gid)
  for (const n of readdirSync(dir)) {
    const p = join(dir, n)
    if (lstatSync(p).isDirectory()) chownTree(p, user)
    else chownSync(p, user.uid, user.gid)
  }
}

/**
 * Other tools' credential files, stamped (inode, mtime, ctime, size, mode, bytes) so a test can
 * prove quotabar never wrote them: a rewrite of the same bytes moves mtime and ctime, a temp
 * file + rename changes the inode, a chmod moves ctime. Opening one for writing and closing it
 * unwritten moves nothing, so the files are also made unwritable for the commands: 0400 stops
 * their owner, but not root, which tests here and in CI run as. With `runAs` (a test run as root
 * only), the HOME tree goes to that user for the commands to run as, while the credential files
 * and their directories stay root's (0444, 0755): every open for writing, every rename or new
 * file next to them fails with EACCES, and the test sees the command's failure.
 */
export function guardCredentials(
  files: string[],
  runAs?: { home: string; user: RunAs },
): { expectUntouched(): void } {
  if (runAs) {
    chownTree(runAs.home, runAs.user)
    for (const f of files) {
      for (const [p, mode] of [
        [f, 0o444],
        [dirname(f), 0o755],
      ] as const) {
        chownSync(p, 0, 0)
        chmodSync(p, mode)
      }
    }
  } else for (const f of files) chmodSync(f, 0o400)
  const stamp = (f: string) => {
    const s = statSync(f, { bigint: true })
    return {
      ino: s.ino,
      mtime: s.mtimeNs,
      ctime: s.ctimeNs,
      size: s.size,
      mode: s.mode,
      uid: s.uid,
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
