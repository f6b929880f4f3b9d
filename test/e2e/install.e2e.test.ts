import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, lstatSync, mkdirSync, renameSync, symlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeHome, type TempHome } from '../helpers/home.js'

const repo = join(import.meta.dirname, '..', '..')
const { version } = JSON.parse(
  execFileSync('git', ['show', 'HEAD:package.json'], { cwd: repo, encoding: 'utf8' }),
)

let h: TempHome | undefined
afterEach(() => {
  h?.cleanup()
  h = undefined
})

/** A clone of the tracked files (what a user's `git clone` has), with this checkout's dev tools. */
function cloneInto(dir: string): void {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8' }).split('\0')
  for (const f of files.filter(Boolean)) {
    if (!existsSync(join(repo, f))) continue
    mkdirSync(dirname(join(dir, f)), { recursive: true })
    cpSync(join(repo, f), join(dir, f))
  }
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'))
}

describe('npm run install-global', () => {
  it('installs a copy that keeps working after the clone moves', () => {
    h = makeHome()
    const clone = join(h.home, 'src', 'quotabar')
    const prefix = join(h.home, 'prefix')
    cloneInto(clone)
    // npm's own prefix setting, offline: the package has no runtime dependency to fetch.
    const env = {
      ...h.env,
      npm_config_prefix: prefix,
      npm_config_offline: 'true',
      npm_config_update_notifier: 'false',
    }
    const install = spawnSync('npm', ['run', '-s', 'install-global'], { cwd: clone, env, encoding: 'utf8' })
    expect(install.stderr).not.toMatch(/Error|ERR!/)
    expect(install.status).toBe(0)
    const installed = join(prefix, 'lib', 'node_modules', 'quotabar')
    expect(lstatSync(installed).isSymbolicLink()).toBe(false)

    renameSync(join(h.home, 'src'), join(h.home, 'moved'))
    const bin = join(prefix, 'bin', 'quotabar')
    const run = (args: string[]) => spawnSync(bin, args, { cwd: h!.home, env: h!.env, encoding: 'utf8' })
    expect(run(['--version']).stdout).toBe(`${version}\n`)
    const bar = run(['--demo', '-f', 'waybar'])
    expect(bar.status).toBe(0)
    expect(JSON.parse(bar.stdout).text).toContain('work')
    expect(run(['accounts', 'list']).status).not.toBeNull()
  }, 120_000)
})

describe('the build on a clone without npm ci', () => {
  it('says to run npm ci instead of a stack trace', () => {
    h = makeHome()
    const clone = join(h.home, 'bare')
    cloneInto(clone)
    execFileSync('rm', [join(clone, 'node_modules')])
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: clone, env: h.env, encoding: 'utf8' })
    expect(r.status).toBe(1)
    expect(r.stderr).toBe(
      'quotabar: the build needs esbuild, a dev dependency: run `npm ci` first (or `npm run install-global`)\n',
    )
  })
})
