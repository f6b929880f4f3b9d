/**
 * The part of gh's `hosts.yml` that names accounts: hosts at the top level, each with a `users:`
 * map (gh 2.40+, one entry per `gh auth login`) and `user:` (the active one). gh writes this file
 * with a YAML encoder in block style, so a line-based reader of that subset is enough; tokens
 * (`oauth_token:`) are skipped, never read into memory beyond the line being looked at.
 *
 *     github.com:
 *         users:
 *             alice:
 *                 oauth_token: gho_…
 *             bob: {}
 *         git_protocol: https
 *         user: alice
 */

export interface GhHost {
  host: string
  /** Logins in the order gh lists them; the active user alone for pre-2.40 files. */
  users: string[]
  active: string | null
}

interface Line {
  indent: number
  key: string
  value: string
}

/** `key: value` with an optional quoted key; null for comments, list items and anything else. */
function parseLine(raw: string): Line | null {
  const text = raw.replace(/\s+#.*$/, '').trimEnd()
  // A plain key may hold ':' not followed by a space (`ghe.local:8443`).
  const m = /^( *)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"-](?:[^:]|:(?=\S))*?):(?:\s+(.*))?$/.exec(text)
  if (!m) return null
  return { indent: (m[1] ?? '').length, key: unquote(m[2] ?? ''), value: unquote(m[3] ?? '') }
}

function unquote(s: string): string {
  const t = s.trim()
  if (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t.at(-1) === t[0]) return t.slice(1, -1)
  return t
}

export function parseGhHosts(text: string): GhHost[] {
  const hosts: GhHost[] = []
  let host: GhHost | null = null
  let hostIndent = -1
  let usersIndent = -1
  let userIndent = -1
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue
    const line = parseLine(raw)
    if (!line) continue
    if (line.indent === 0) {
      host = { host: line.key, users: [], active: null }
      hosts.push(host)
      hostIndent = -1
      usersIndent = -1
      userIndent = -1
      continue
    }
    if (!host) continue
    if (hostIndent < 0) hostIndent = line.indent
    if (usersIndent >= 0 && line.indent > usersIndent) {
      // The first deeper line fixes the users' indent; deeper still is a user's own settings.
      if (userIndent < 0) userIndent = line.indent
      if (line.indent === userIndent && !host.users.includes(line.key)) host.users.push(line.key)
      continue
    }
    usersIndent = -1
    userIndent = -1
    if (line.indent !== hostIndent) continue
    if (line.key === 'users' && (line.value === '' || line.value === '{}')) usersIndent = line.indent
    else if (line.key === 'user' && line.value) host.active = line.value
  }
  for (const h of hosts) if (h.active && !h.users.includes(h.active)) h.users.unshift(h.active)
  return hosts
}

/** gh's active login for `host` (the `user:` key), host names compared without case. */
export function activeGhUser(hostsYml: string, host: string): string | null {
  const h = parseGhHosts(hostsYml).find((x) => x.host.toLowerCase() === host.toLowerCase())
  return h?.active ?? null
}
