/**
 * `--text TEMPLATE` and config `format.text`: the short text of one account, e.g.
 * `{icon} {label} {remaining} left · {countdown}`. Parsed once (the config's when it is validated,
 * `--text` when the arguments are read), so a render only walks an array. `{{` and `}}` are
 * literal braces. An unknown name is an error that names it: a typo must not print quietly.
 */
export const PLACEHOLDERS = [
  'label',
  'provider',
  'icon',
  'percent',
  'remaining',
  'window',
  'countdown',
  'reset',
  'spend',
  'status',
  'pace',
  'eta',
] as const

export type Placeholder = (typeof PLACEHOLDERS)[number]

/** Literal text, or `{ p }` for a placeholder. Plain JSON: the checked config stores it as it is. */
export type TemplatePart = string | { p: Placeholder }
export type Template = TemplatePart[]

const isPlaceholder = (name: string): name is Placeholder =>
  (PLACEHOLDERS as readonly string[]).includes(name)

export type ParsedTemplate = { ok: true; template: Template } | { ok: false; message: string }

export function parseTemplate(text: string): ParsedTemplate {
  const parts: Template = []
  let literal = ''
  const unknown: string[] = []
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string
    if ((ch === '{' || ch === '}') && text[i + 1] === ch) {
      literal += ch
      i++
      continue
    }
    if (ch !== '{') {
      literal += ch
      continue
    }
    const end = text.indexOf('}', i)
    if (end < 0)
      return { ok: false, message: `unclosed "{" at character ${i + 1} (write {{ for a literal brace)` }
    const name = text.slice(i + 1, end).trim()
    if (isPlaceholder(name)) {
      if (literal) parts.push(literal)
      literal = ''
      parts.push({ p: name })
    } else unknown.push(`{${name}}`)
    i = end
  }
  if (unknown.length > 0) {
    const list = PLACEHOLDERS.map((p) => `{${p}}`).join(' ')
    return {
      ok: false,
      message: `unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${list})`,
    }
  }
  if (literal) parts.push(literal)
  return { ok: true, template: parts }
}

/**
 * Fills a template. A placeholder with nothing to say is empty, and the space it leaves
 * collapses, so `{label} {countdown} {status}` never shows double or trailing spaces.
 */
export function fillTemplate(template: Template, value: (p: Placeholder) => string): string {
  let out = ''
  for (const part of template) out += typeof part === 'string' ? part : value(part.p)
  return out.replace(/\s+/g, ' ').trim()
}
