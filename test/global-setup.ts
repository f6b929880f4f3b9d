import { execFileSync } from 'node:child_process'

/** E2E tests spawn the built binary: build it once before the run. */
export default function setup() {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' })
}
