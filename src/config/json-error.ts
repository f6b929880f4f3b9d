/**
 * Node 20's JSON.parse names the bad token but not where it is, which is what a person editing a
 * config file needs. This scanner walks the same grammar and returns the offset of the first
 * character that cannot continue valid JSON (text.length for "ends too early"), or -1 if valid.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++
  }
  const fail = (): never => {
    throw i
  }
  const expect = (ch: string) => (text[i] === ch ? i++ : fail())
  const string = () => {
    expect('"')
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail()
      i += text[i] === '\\' ? 2 : 1
    }
    expect('"')
  }
  const value = (): void => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      ws()
      if (text[i] === '}') {
        i++
        return
      }
      for (;;) {
        ws()
        string()
        ws()
        expect(':')
        value()
        ws()
        if (text[i] !== ',') break
        i++
      }
      expect('}')
      return
    }
    if (c === '[') {
      i++
      ws()
      if (text[i] === ']') {
        i++
        return
      }
      for (;;) {
        value()
        ws()
        if (text[i] !== ',') break
        i++
      }
      expect(']')
      return
    }
    if (c === '"') {
      string()
      return
    }
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400))
    if (!m) fail()
    i += (m as RegExpExecArray)[0].length
  }
  try {
    value()
    ws()
    return i < text.length ? i : -1
  } catch (at) {
    return typeof at === 'number' ? at : 0
  }
}
