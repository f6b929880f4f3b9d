import { UsageError } from '../model.js'
import { writeFd } from './write-fd.js'

/**
 * `--api-key-stdin`: the key piped in (`pass show x | quotabar accounts add ...`), or typed at a
 * hidden prompt when stdin is a terminal. It never goes through argv (visible in `ps`) or a file.
 */

const MAX_BYTES = 16 * 1024

function fromPipe(stdin: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    stdin.setEncoding('utf8')
    stdin.on('data', (chunk: string) => {
      text += chunk
      if (text.length > MAX_BYTES) {
        stdin.destroy()
        reject(new UsageError('--api-key-stdin: more than 16 KiB on stdin; expected one key'))
      }
    })
    stdin.on('end', () => resolve(text))
    stdin.on('error', reject)
  })
}

/** Reads a line with echo off; Ctrl-C or Ctrl-D with nothing typed cancels. */
function fromTerminal(stdin: NodeJS.ReadStream, prompt: string): Promise<string> {
  writeFd(2, prompt)
  return new Promise((resolve, reject) => {
    let text = ''
    const finish = (err: Error | null) => {
      stdin.setRawMode(false)
      stdin.pause()
      stdin.off('data', onData)
      writeFd(2, '\n')
      if (err) reject(err)
      else resolve(text)
    }
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || (ch === '\u0004' && text)) return finish(null)
        if (ch === '\u0003' || ch === '\u0004') return finish(new UsageError('cancelled: no key entered'))
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1)
        else text += ch
      }
    }
    stdin.setEncoding('utf8')
    stdin.setRawMode(true)
    stdin.on('data', onData)
    stdin.resume()
  })
}

export async function readSecretFromStdin(what: string, stdin = process.stdin): Promise<string> {
  const raw = stdin.isTTY
    ? await fromTerminal(stdin, `API key for ${what} (input hidden): `)
    : await fromPipe(stdin)
  const secret = raw.trim()
  if (!secret) throw new UsageError('--api-key-stdin: no key on stdin')
  if (/\s/.test(secret)) {
    throw new UsageError(
      '--api-key-stdin: expected one key on one line (the input has spaces or several lines)',
    )
  }
  return secret
}
