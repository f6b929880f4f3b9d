/**
 * The scan state's index (state.ts) holds a read mark per log file, thousands of them, and a
 * refresh that read a few files writes it again. Stringifying every mark cost such a refresh about
 * 2 ms for 1,600 transcripts; this takes the text the index was loaded from instead, cuts out the
 * entries of the files that changed or went, and adds the new ones.
 *
 * The text is what JSON.stringify wrote: `{"v":…,"gen":…,"files":{"<path>":{<mark>},…},"sum":{…}}`,
 * every value of a mark a number, a boolean or the head (`<n>:<hash>`). So an entry is found by
 * its key followed by `:{` where an entry may start (the first, or after a comma: inside a JSON
 * string every quote is escaped, and a mark's own keys are followed by a value, never by `{`), and
 * it ends at the first `}` after that. Anything else (a text written by hand, say) gives null: the
 * caller stringifies every mark, as before.
 */

/** The `files` object of an index's text, between its braces; null if the text is not shaped so. */
function filesRegion(text: string): { from: number; to: number } | null {
  const open = text.indexOf('"files":{')
  // The sum comes last, and no JSON string holds an unescaped quote: this is the files' end.
  const close = text.lastIndexOf('},"sum":')
  if (open < 0 || close < open + 9) return null
  return { from: open + 9, to: close }
}

/**
 * The `files` object of `text` (an index as loaded) without the entries of `drop` and with the
 * entries `fresh` (each `"<path>":{<mark>}`, already JSON) after the others; null when the text is
 * not shaped as expected or an entry to drop is not in it.
 */
export function splicedMarks(text: string, drop: readonly string[], fresh: readonly string[]): string | null {
  const region = filesRegion(text)
  if (!region) return null
  const { from, to } = region
  const spans: [number, number][] = []
  for (const path of drop) {
    const key = `${JSON.stringify(path)}:{`
    let at = text.indexOf(key, from)
    while (at >= 0 && at < to && at !== from && text.charCodeAt(at - 1) !== 44 /* , */)
      at = text.indexOf(key, at + 1)
    if (at < 0 || at >= to) return null
    const end = text.indexOf('}', at + key.length) + 1
    // The entry must end where the next begins or the object closes.
    if (end === 0 || end > to || (end < to && text.charCodeAt(end) !== 44)) return null
    spans.push([at, end])
  }
  spans.sort((a, b) => a[0] - b[0])
  const parts: string[] = []
  let at = from
  for (const [start, end] of spans) {
    if (start < at) return null // the same entry twice
    keep(parts, text, at, start)
    at = end
  }
  keep(parts, text, at, to)
  for (const f of fresh) parts.push(f)
  return `{${parts.join(',')}}`
}

/** Entries `text[from, to)` without the commas at either end (those went with a cut-out entry). */
function keep(parts: string[], text: string, from: number, to: number): void {
  let a = from
  let b = to
  if (a < b && text.charCodeAt(a) === 44) a++
  if (a < b && text.charCodeAt(b - 1) === 44) b--
  if (a < b) parts.push(text.slice(a, b))
}
