import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli, waitFor } from '../helpers/cli.js'
import { makeHome, type TempHome } from '../helpers/home.js'
import { freePort, type Served, startServe } from '../helpers/serve.js'
import { hasTool, requireToolsInCi } from '../helpers/tools.js'
import { type FakeServer, startServer } from '../helpers/server.js'

/**
 * `-f prometheus` checked by the real tools: `promtool check metrics` (the classic text parser and
 * its naming lint, as node_exporter's textfile collector reads it), promtool's OpenMetrics parser
 * (through `tsdb create-blocks-from openmetrics`), and a real Prometheus server scraping
 * `quotabar serve`. Install them with scripts/install-prometheus.sh; without them those tests skip
 * (and with CI=true one test fails, naming what is missing).
 */

const PROMTOOL = hasTool('promtool')
const PROMETHEUS = hasTool('prometheus')
requireToolsInCi(
  'the OpenMetrics checks',
  { promtool: PROMTOOL, prometheus: PROMETHEUS },
  'scripts/install-prometheus.sh',
)

const USAGE = '/api/oauth/usage'
const NOW = '2026-11-22T10:00:00.000Z'
const NOW_S = Date.parse(NOW) / 1000

let server: FakeServer
let h: TempHome
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(() => h?.cleanup())

/** Two Claude accounts; the work label carries every character a label value must escape. */
function setup() {
  h = makeHome()
  const dirs = { work: join(h.home, '.claude-work'), personal: join(h.home, '.claude-personal') }
  h.claudeLogin(dirs.work, { token: 'sk-ant-oat01-prom-work-111111111111' })
  h.claudeLogin(dirs.personal, { token: 'sk-ant-oat01-prom-personal-2222222' })
  h.writeConfig({
    accounts: [
      {
        provider: 'claude',
        id: 'work',
        label: 'Team "A" \\ night\nshift',
        configDir: dirs.work,
        baseUrl: server.url,
      },
      { provider: 'claude', id: 'personal', configDir: dirs.personal, baseUrl: server.url },
    ],
  })
  server.requests.length = 0
  server.on(USAGE, (req) => {
    const work = req.headers.authorization?.includes('work')
    return {
      body: {
        five_hour: { utilization: work ? 37 : 81, resets_at: '2026-11-22T12:00:00+00:00' },
        seven_day: { utilization: work ? 12 : 64.5, resets_at: '2026-11-27T08:00:00+00:00' },
        extra_usage: {
          is_enabled: work,
          monthly_limit: 4000,
          used_credits: 763,
          currency: 'EUR',
          decimal_places: 2,
        },
      },
    }
  })
  return { ...h.env, QUOTABAR_NOW: NOW }
}

function promtool(args: string[], input?: string) {
  const r = spawnSync('promtool', args, { input, encoding: 'utf8' })
  return { code: r.status, out: `${r.stdout}${r.stderr}` }
}

describe('quotabar -f prometheus', () => {
  it('prints every account’s windows and spend, escaped labels, # EOF last', async () => {
    const env = setup()
    const r = await runCli(['-f', 'prometheus'], env)
    expect(r.code).toBe(0)
    expect(r.stdout.endsWith('\n# EOF\n')).toBe(true)
    const lines = r.stdout.split('\n')
    expect(lines).toContain(
      'quotabar_account_info{provider="claude",account="work",label="Team \\"A\\" \\\\ night\\nshift",plan="Max 5x"} 1',
    )
    expect(lines).toContain(
      'quotabar_window_used_ratio{provider="claude",account="work",window="session"} 0.37',
    )
    expect(lines).toContain(
      'quotabar_window_used_ratio{provider="claude",account="personal",window="weekly"} 0.645',
    )
    expect(lines).toContain(
      `quotabar_window_resets_timestamp_seconds{provider="claude",account="work",window="session"} ${NOW_S + 7200}`,
    )
    expect(lines).toContain(
      'quotabar_spend_amount{provider="claude",account="work",meter="extra",period="month",currency="EUR"} 7.63',
    )
    expect(lines).toContain('quotabar_account_up{provider="claude",account="personal"} 1')
    expect(server.count(USAGE)).toBe(2)
  })

  it('--output writes the file atomically, mode 0644 whatever the umask, nothing on stdout', async () => {
    const env = setup()
    const dir = join(h.home, 'textfile')
    mkdirSync(dir)
    const file = join(dir, 'quotabar.prom')
    // A private umask must not lock node_exporter out.
    const umask = process.umask(0o077)
    const r = await runCli(['-f', 'prometheus', '--output', file], env).finally(() => process.umask(umask))
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', ''])
    expect(statSync(file).mode & 0o777).toBe(0o644)
    expect(readFileSync(file, 'utf8')).toBe((await runCli(['-f', 'prometheus', '--no-refresh'], env)).stdout)
    expect(readdirSync(dir)).toEqual(['quotabar.prom'])
    const json = join(dir, 'quotabar.json')
    await runCli(['-f', 'json', '--output', json, '--no-refresh'], env)
    // The json document carries emails: private to the user.
    expect(statSync(json).mode & 0o777).toBe(0o600)
    const missing = await runCli(['-f', 'prometheus', '--output', join(h.home, 'nope', 'x.prom')], env)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/cannot write .*x\.prom: ENOENT \(does .*nope exist\?\)/)
  })

  it.skipIf(!PROMTOOL)('passes `promtool check metrics` (including a config problem)', async () => {
    const env = setup()
    const out = (await runCli(['-f', 'prometheus'], env)).stdout
    expect(promtool(['check', 'metrics'], out)).toEqual({ code: 0, out: '' })
    const demo = (await runCli(['-f', 'prometheus', '--demo'], env)).stdout
    expect(promtool(['check', 'metrics'], demo)).toEqual({ code: 0, out: '' })
    h.writeConfig('{"accounts": [ {"provider": "claude", "id": "x"} ')
    const problem = (await runCli(['-f', 'prometheus'], env)).stdout
    expect(problem).toMatch(/^quotabar_problem\{kind="config",message=".*not valid JSON.*"\} 1$/m)
    expect(promtool(['check', 'metrics'], problem)).toEqual({ code: 0, out: '' })
    // The lint is real: it does fail bad input.
    expect(promtool(['check', 'metrics'], '# TYPE x_total gauge\nx_total{a="1" 1\n').code).not.toBe(0)
  })

  it.skipIf(!PROMTOOL)('parses as strict OpenMetrics (promtool’s OpenMetrics backfill parser)', async () => {
    const env = setup()
    const out = (await runCli(['-f', 'prometheus'], env)).stdout
    // The backfill wants a timestamp on every sample; everything else is checked as scraped.
    const stamped = out.replace(/^([^#\n].*)$/gm, `$1 ${NOW_S}`)
    const file = join(h.home, 'metrics.om')
    writeFileSync(file, stamped)
    const r = promtool(['tsdb', 'create-blocks-from', 'openmetrics', file, join(h.home, 'tsdb')])
    expect(r.code, r.out).toBe(0)
    const samples = out.split('\n').filter((l) => l && !l.startsWith('#')).length
    expect(r.out).toMatch(new RegExp(`\\s${samples}\\s+${samples}\\s+${samples}\\s`))
    writeFileSync(file, stamped.replace('# EOF\n', ''))
    expect(
      promtool(['tsdb', 'create-blocks-from', 'openmetrics', file, join(h.home, 'tsdb2')]).code,
    ).not.toBe(0)
  })
})

describe.skipIf(!PROMETHEUS)('scraped by a real Prometheus server', () => {
  let served: Served | null = null
  let prom: ChildProcess | null = null
  let promLog = ''
  afterEach(async () => {
    prom?.kill('SIGKILL')
    prom = null
    await served?.stop()
    served = null
  })

  async function query(
    base: string,
    q: string,
  ): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`)
    const body = await res.json()
    return body.status === 'success' ? body.data.result : []
  }

  it('scrapes quotabar serve every second and stores the gauges with their labels and units', async () => {
    const env = setup()
    served = await startServe(['--port', '0'], env)
    await waitFor(() => server.count(USAGE) === 2, 'the first refresh')
    const port = await freePort()
    const dir = join(h.home, 'prometheus')
    mkdirSync(dir)
    const config = join(dir, 'prometheus.yml')
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: quotabar',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${served.port}']`,
        '',
      ].join('\n'),
    )
    expect(existsSync(config)).toBe(true)
    prom = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    prom.stderr?.on('data', (d) => {
      promLog += d
    })
    const base = `http://127.0.0.1:${port}`
    let ratios: Awaited<ReturnType<typeof query>> = []
    const deadline = Date.now() + 25_000
    while (ratios.length < 4 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500))
      ratios = await query(base, 'quotabar_window_used_ratio').catch(() => [])
    }
    expect(ratios.length, promLog.slice(-2000)).toBe(4)
    const got = Object.fromEntries(
      ratios.map((r) => [`${r.metric.account}/${r.metric.window}`, Number(r.value[1])]),
    )
    expect(got).toEqual({
      'work/session': 0.37,
      'work/weekly': 0.12,
      'personal/session': 0.81,
      'personal/weekly': 0.645,
    })
    expect(ratios[0]?.metric).toMatchObject({
      job: 'quotabar',
      instance: `127.0.0.1:${served.port}`,
      provider: 'claude',
    })
    const label = await query(base, 'quotabar_account_info{account="work"}')
    expect(label[0]?.metric.label).toBe('Team "A" \\ night\nshift')
    const up = await query(base, 'sum(quotabar_account_up)')
    expect(up[0]?.value[1]).toBe('2')
    // The OpenMetrics parser was used (only it knows UNIT), and the target has no scrape error.
    const meta = await (await fetch(`${base}/api/v1/metadata?metric=quotabar_window_used_ratio`)).json()
    expect(meta.data.quotabar_window_used_ratio).toEqual([
      { type: 'gauge', help: expect.stringMatching(/^Share of the quota window used/), unit: 'ratio' },
    ])
    const targets = await (await fetch(`${base}/api/v1/targets`)).json()
    expect(targets.data.activeTargets[0]).toMatchObject({ health: 'up', lastError: '' })
    // Scrapes read the cache; the refresh schedule alone decides upstream requests.
    expect(server.count(USAGE)).toBe(2)
  }, 40_000)
})
