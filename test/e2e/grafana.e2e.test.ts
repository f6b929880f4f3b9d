import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeHome, type TempHome } from '../helpers/home.js'
import { type Served, startServe } from '../helpers/serve.js'

/** examples/grafana/quotabar.json may only query what `quotabar serve` really exports. */

const DASHBOARD = join(import.meta.dirname, '../../examples/grafana/quotabar.json')

interface Panel {
  title: string
  type: string
  datasource: { uid: string }
  targets?: { expr: string }[]
}

let h: TempHome
let served: Served | undefined
afterEach(async () => {
  await served?.stop()
  served = undefined
  h?.cleanup()
})

describe('Grafana dashboard example', () => {
  it('every query names a metric that quotabar serve exports, and the forecast is on it', async () => {
    const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      panels: Panel[]
      templating: { list: { query: { query: string } }[] }
    }
    h = makeHome()
    served = await startServe(['--demo', '--port', '0'], h.env)
    const metrics = await (await fetch(`${served.url}/metrics`)).text()
    const exported = new Set([...metrics.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]))
    expect(exported.size).toBeGreaterThan(10)

    const queries = [
      ...dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
      ...dash.templating.list.map((v) => v.query.query),
    ]
    expect(queries.length).toBeGreaterThan(8)
    const named = new Set<string>()
    for (const q of queries) {
      const names = [...q.matchAll(/\bquotabar_[a-z_]+\b/g)].map((m) => m[0])
      expect(names, q).not.toEqual([])
      for (const n of names) {
        expect(exported.has(n), `${n} (in ${q}) is not exported by quotabar serve`).toBe(true)
        named.add(n)
      }
    }
    for (const n of [
      'quotabar_window_used_ratio',
      'quotabar_window_pace_delta_ratio',
      'quotabar_window_projected_percent',
      'quotabar_window_exhausts_timestamp_seconds',
    ])
      expect(named.has(n), n).toBe(true)
    // Imports anywhere: every panel reads the data source chosen at import.
    for (const p of dash.panels) expect(p.datasource.uid, p.title).toBe(`\${DS_PROMETHEUS}`)
  })
})
