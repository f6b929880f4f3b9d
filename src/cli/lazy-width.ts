/**
 * yargs measures every help cell with `string-width` (three copies: yargs', cliui's, wrap-ansi's),
 * and even a plain command renders its help once (yargs caches it after the handler starts). Each
 * copy builds an `Intl.Segmenter` and Unicode-property regexes when it loads: about 15 ms of a
 * command's start-up for text that is almost all ASCII. scripts/build.mjs puts this wrapper in
 * front of each copy: a string of printable ASCII and the few narrow marks our help uses is as wide
 * as it is long (what every copy answers for it, test/cli/lazy-width.test.ts); anything else loads
 * the real module on first use and asks it.
 */

type StringWidth = (text: string, options?: { ambiguousIsNarrow?: boolean }) => number

/** Printable ASCII: one column each, whatever the options. */
const ASCII = /^[\u0020-\u007e]*$/
/** Plus the East Asian "ambiguous" marks our help text uses, one column unless asked to be wide. */
// · × ‘ ’ “ ” – — … →, escaped: one raw non-ASCII character makes the whole bundle a two-byte string.
const NARROW = /^[\u0020-\u007e\u00b7\u00d7\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2192]*$/

export function lazyStringWidth(load: () => StringWidth): StringWidth {
  let real: StringWidth | undefined
  return (text, options) => {
    if (
      typeof text === 'string' &&
      (ASCII.test(text) || (options?.ambiguousIsNarrow !== false && NARROW.test(text)))
    )
      return text.length
    real ??= load()
    return real(text, options)
  }
}
