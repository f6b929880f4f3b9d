import { describe, expect, it } from 'vitest'
import { exitWhenIdle } from '../../src/cli/exit-idle.js'

/** A stand-in for stdout or stderr: a pipe or terminal has a handle, a file has none. */
const stream = (o: { handle?: boolean; queued?: number } = {}) =>
  ({ writableLength: o.queued ?? 0, _handle: o.handle ? {} : null }) as unknown as NodeJS.WriteStream

function attempt(resources: string[], streams: NodeJS.WriteStream[] = [stream(), stream()]): boolean {
  let exited = false
  const said = exitWhenIdle(
    () => resources,
    () => streams,
    () => {
      exited = true
    },
  )
  expect(said).toBe(exited)
  return exited
}

describe('exitWhenIdle', () => {
  it('ends a process with nothing on its loop', () => {
    expect(attempt([])).toBe(true)
  })

  it('ends it when the only handles are those of stdout and stderr, with nothing queued', () => {
    expect(attempt(['PipeWrap'], [stream({ handle: true }), stream()])).toBe(true)
    expect(attempt(['TTYWrap', 'PipeWrap'], [stream({ handle: true }), stream({ handle: true })])).toBe(true)
  })

  it.each([
    ['a timer', ['Timeout']],
    ['a pending file request', ['FSReqCallback']],
    ['a socket', ['TCPSocketWrap', 'PipeWrap']],
    ['a child process', ['ProcessWrap']],
    ['an immediate', ['Immediate']],
  ])('leaves the exit to Node while %s is active', (_what, resources) => {
    expect(attempt(resources, [stream({ handle: true }), stream()])).toBe(false)
  })

  it('leaves it to Node while output is still queued', () => {
    expect(attempt(['PipeWrap'], [stream({ handle: true, queued: 4096 }), stream()])).toBe(false)
    expect(
      attempt(['PipeWrap', 'PipeWrap'], [stream({ handle: true }), stream({ handle: true, queued: 1 })]),
    ).toBe(false)
  })

  it('leaves it to Node when stdin has a handle too (a command may still read it)', () => {
    // stdout is a file (no handle), stderr a terminal: a second handle is stdin's.
    expect(attempt(['TTYWrap', 'PipeWrap'], [stream(), stream({ handle: true })])).toBe(false)
    expect(attempt(['PipeWrap'], [stream(), stream()])).toBe(false)
  })

  it("reads this process's own loop: a pending timer keeps it", async () => {
    let exited = false
    const timer = setTimeout(() => {}, 60_000)
    try {
      expect(exitWhenIdle(undefined, undefined, () => (exited = true))).toBe(false)
    } finally {
      clearTimeout(timer)
    }
    expect(exited).toBe(false)
  })
})
