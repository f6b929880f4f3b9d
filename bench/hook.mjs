// Claude Code's status-line hook (issue 14): `quotabar hook claude-statusline` vs
// `ccusage statusline` (the dev dependency, its defaults), the same Claude Code input on stdin,
// wall time of the whole process, medians of interleaved runs in the same minimal environment.
// Target <= 0.8x. Skipped with a line when ccusage is not installed (npm ci installs it).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { against, bin, f1, interleave, minimalEnv, root, timeSync, writeClaudeLogin } from './lib.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 40)
const TARGET = 0.8
const ccusage = join(root, 'node_modules', 'ccusage', 'dist', 'index.js')

export async function benchHook() {
  if (!existsSync(ccusage)) {
    return { ok: true, lines: ['hook vs ccusage statusline: SKIPPED (ccusage not installed: npm ci)'] }
  }
  const home = mkdtempSync(join(tmpdir(), 'quotabar-bench-hook-'))
  try {
    const env = minimalEnv(home)
    // The default Claude login (~/.claude), as Claude Code runs the hook for it.
    const claudeDir = join(home, '.claude')
    writeClaudeLogin(claudeDir, 'default')
    mkdirSync(join(claudeDir, 'projects'), { recursive: true })
    const fixture = JSON.parse(
      readFileSync(join(root, 'test/fixtures/claude-statusline/statusline-rate-limits.json'), 'utf8'),
    )
    const input = JSON.stringify({
      ...fixture,
      transcript_path: join(claudeDir, 'projects', 'bench', `${fixture.session_id}.jsonl`),
      cwd: home,
      workspace: { current_dir: home, project_dir: home },
    })
    const options = { env, input }
    const ours = () => timeSync(process.execPath, [bin, 'hook', 'claude-statusline'], options)
    const theirs = () => timeSync(process.execPath, [ccusage, 'statusline'], options)
    const line = ours().out.trim()
    const peer = theirs().out.trim()
    if (!line || !peer)
      throw new Error(`no status line: ours ${JSON.stringify(line)}, ccusage ${JSON.stringify(peer)}`)
    const [mine, other] = interleave(RUNS, 2, [() => ours().ms, () => theirs().ms])
    const ratio = mine / other
    return {
      ok: ratio <= TARGET,
      lines: [
        `hook claude-statusline ${f1(mine)} ms vs ccusage statusline ${f1(other)} ms, same stdin -> ${against(ratio, TARGET)}`,
      ],
    }
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { ok, lines } = await benchHook()
  for (const l of lines) console.log(l)
  process.exitCode = ok ? 0 : 1
}
