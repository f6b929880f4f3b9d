import { readdirSync, statSync } from 'node:fs'
import { readLoginFile } from './login-files.js'
import type { LookFs } from './types.js'

/** The real machine behind LookFs: stat, list and small reads, every failure an empty answer. */

const stat = (path: string) => {
  try {
    return statSync(path)
  } catch {
    return null
  }
}

export const machineFs: LookFs = {
  exists: (path) => stat(path) !== null,
  isDir: (path) => stat(path)?.isDirectory() ?? false,
  isFile: (path) => stat(path)?.isFile() ?? false,
  list(dir) {
    try {
      return readdirSync(dir)
    } catch {
      return []
    }
  },
  readText(path, maxBytes) {
    try {
      return readLoginFile(path, maxBytes)
    } catch {
      return null
    }
  },
}
