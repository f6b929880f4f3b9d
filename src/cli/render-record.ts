import type * as Fs from 'node:fs'
import type { Env } from '../config/paths.js'
import { pathStamp } from './render-memo.js'

/**
 * What a render read (./render-memo.ts): the bin hands fast.cjs a `node:fs` and an environment
 * that note every file looked at and every variable read, so nothing the line depends on can be
 * left out of its memo. Anything beyond a read taints the run, and a tainted run leaves no memo.
 * Only while `active` (the render and its memo's search); the side bundles fast.cjs loads for
 * other commands get Node's own `require` (fast.ts's nodeRequire) and never see the record.
 */
export class RenderRecord {
  readonly inputs = new Map<string, string>()
  readonly env = new Map<string, string | undefined>()
  tainted: string | null = null
  active = false
  /**
   * While the memo's span is searched (renders at later instants: ./memo-save.ts), reads are
   * answered as the render itself was answered: the memo is of the files as stamped, and a
   * search of six renders then costs no file system calls.
   */
  replaying = false
  readonly answers = new Map<string, { value: unknown } | { error: unknown }>()

  taint(why: string): void {
    if (this.active) this.tainted ??= why
  }

  /** Called before `path` is read: the stamp then is older than what is read, never newer. */
  see(path: unknown): void {
    if (!this.active) return
    if (typeof path !== 'string') this.taint('a read by descriptor or URL')
    else if (!this.inputs.has(path)) this.inputs.set(path, pathStamp(path))
  }

  note(name: string, value: string | undefined): void {
    if (this.active && !this.env.has(name)) this.env.set(name, value)
  }
}

/** Reads by path: each is stamped first. */
const READS = [
  'readFileSync',
  'statSync',
  'lstatSync',
  'existsSync',
  'accessSync',
  'readdirSync',
  'realpathSync',
] as const
/** Calls on a descriptor opened (and stamped) above, or that change nothing. */
const NEUTRAL = new Set(['readSync', 'fstatSync', 'closeSync'])

type FsModule = typeof Fs

/** `node:fs` for the bundle: reads stamp their path, writes (other than stdout) taint the run. */
export function recordingFs(record: RenderRecord, fs: FsModule): FsModule {
  const own: Record<string, unknown> = {}
  for (const name of READS) {
    const real = fs[name] as (...args: unknown[]) => unknown
    own[name] = (path: unknown, ...rest: unknown[]) => {
      record.see(path)
      if (!record.active || typeof path !== 'string') return real(path, ...rest)
      return answered(record, `${name}\0${path}\0${JSON.stringify(rest)}`, () => real(path, ...rest))
    }
  }
  own.openSync = (path: unknown, flags?: unknown, ...rest: unknown[]) => {
    if (flags !== undefined && flags !== 'r') record.taint('a file opened for writing')
    record.see(path)
    return (fs.openSync as (...args: unknown[]) => number)(path, flags, ...rest)
  }
  own.writeSync = (fd: number, ...rest: unknown[]) => {
    if (fd !== 1) record.taint('a write other than the line')
    return (fs.writeSync as (...args: unknown[]) => number)(fd, ...rest)
  }
  return new Proxy(fs, {
    get(target, name) {
      if (typeof name === 'string' && name in own) return own[name]
      const value = Reflect.get(target, name)
      if (!record.active || typeof value !== 'function' || (typeof name === 'string' && NEUTRAL.has(name)))
        return value
      return (...args: unknown[]) => {
        record.taint(`fs.${String(name)}`)
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
}

/**
 * A read's answer, kept for the replay: text, stats, yes or no, and failures (rethrown as they
 * were). A buffer or a list is not kept: its reader might change it.
 */
function answered(record: RenderRecord, key: string, read: () => unknown): unknown {
  const kept = record.answers.get(key)
  if (record.replaying && kept) {
    if ('error' in kept) throw kept.error
    return kept.value
  }
  try {
    const value = read()
    if (!Buffer.isBuffer(value) && !Array.isArray(value)) record.answers.set(key, { value })
    return value
  } catch (error) {
    record.answers.set(key, { error })
    throw error
  }
}

/** The environment for the bundle: each variable read is noted with its value; listing it taints. */
export function recordingEnv(record: RenderRecord, env: Env): Env {
  const note = (name: string) => record.note(name, env[name])
  return new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') note(name)
      return Reflect.get(target, name)
    },
    has(target, name) {
      if (typeof name === 'string') note(name)
      return Reflect.has(target, name)
    },
    ownKeys(target) {
      record.taint('the environment listed')
      return Reflect.ownKeys(target)
    },
    set(target, name, value) {
      record.taint('the environment changed')
      return Reflect.set(target, name, value)
    },
    deleteProperty(target, name) {
      record.taint('the environment changed')
      return Reflect.deleteProperty(target, name)
    },
  })
}

/** The `require` the bin gives fast.cjs: its `node:fs` recording, its `child_process` tainting. */
export function recordingRequire(record: RenderRecord, real: NodeRequire): (id: string) => unknown {
  let fs: FsModule | undefined
  return (id) => {
    if (id === 'node:fs' || id === 'fs') {
      fs ??= recordingFs(record, real('node:fs') as FsModule)
      return fs
    }
    if (id === 'node:child_process' || id === 'child_process') record.taint('a process started')
    return real(id)
  }
}
