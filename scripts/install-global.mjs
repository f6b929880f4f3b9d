// npm run install-global: build, pack and install quotabar globally as a copy, not a link to this
// clone (which `npm install -g .` makes: moving or deleting the clone then breaks the command).
// Honours npm's own prefix settings (npm_config_prefix / --prefix) like any global install.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`quotabar needs Node >= 20.19; this is Node ${process.versions.node}`)
  process.exit(1)
}
const npm = (args) => execFileSync('npm', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
if (!existsSync(join(root, 'node_modules', 'esbuild'))) {
  console.log('installing the build tools first (npm ci)…')
  npm(['ci', '--no-audit', '--no-fund'])
}
npm(['run', '-s', 'build'])
const out = mkdtempSync(join(tmpdir(), 'quotabar-pack-'))
try {
  // The build just ran: --ignore-scripts keeps `prepare` from running it again.
  npm(['pack', '--silent', '--ignore-scripts', '--pack-destination', out])
  const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'))
  if (!tgz) throw new Error('npm pack wrote no tarball')
  // No runtime dependencies: nothing is fetched, so this works offline too.
  npm(['install', '--global', '--no-audit', '--no-fund', join(out, tgz)])
} finally {
  rmSync(out, { recursive: true, force: true })
}
console.log('installed: run `quotabar --version`; this clone can now move or go.')
