// The floor of bench/logs.mjs's "+1 MB appended" row: the least a fresh node must spend on lines
// appended to an already scanned history, beyond what a refresh that finds nothing new spends.
//
//   node bench/logs-floor.cjs idle
//   node bench/logs-floor.cjs <state index> <scratch dir> <bytes per file> <file>...
//
// It reads the scan state quotabar wrote (the index with its marks and sum, and the detail, whose
// stored hashes a real refresh checks new requests against), reads the last <bytes per file> of
// each file (the appended lines: their offsets are taken as known), parses the lines that hold a
// usage, drops repeats by message and request id, adds the rest to the index's sum per hour and
// model, and writes what a refresh must write: the index (temp file and rename), a record with
// the files' new totals appended to a detail, and the seen file (removed, then renamed onto no
// file). All of it into <scratch dir>: the real state stays as it was. There is no listing, no
// per-file mark, no check of what it reads and no lookup in the stored hashes (one binary search
// per request): a lower bound, not an implementation. It is the floor of this state's layout, an
// index holding every file's mark and the seen file each rewritten whole (over 1,600 sessions the
// index alone is 385 KB); another layout could go lower. CommonJS: an .mjs file starts slower.
'use strict'
const fs = require('node:fs')
const { join } = require('node:path')

const [index, scratch, each, ...files] = process.argv.slice(2)
if (index !== 'idle') {
  const state = JSON.parse(fs.readFileSync(index, 'utf8'))
  const detail = fs.readFileSync(index.replace(/\.json$/, '.detail'))
  const seenPath = index.replace(/\.json$/, '.seen')
  const seen = fs.existsSync(seenPath) ? fs.readFileSync(seenPath) : Buffer.alloc(0)
  const ids = new Set()
  const perFile = []
  const len = Number(each)
  for (const file of files) {
    const fd = fs.openSync(file, 'r')
    const size = fs.fstatSync(fd).size
    const buf = Buffer.allocUnsafe(Math.min(len, size))
    fs.readSync(fd, buf, 0, buf.length, size - buf.length)
    fs.closeSync(fd)
    const totals = {}
    let at = buf.indexOf(10) + 1
    while (at < buf.length) {
      const nl = buf.indexOf(10, at)
      const end = nl < 0 ? buf.length : nl
      const u = buf.indexOf('"usage"', at)
      if (u >= 0 && u < end) {
        const v = JSON.parse(buf.toString('latin1', at, end))
        const m = v.message
        const id = `${m.id}:${v.requestId}`
        if (m.usage && !ids.has(id)) {
          ids.add(id)
          const key = `${Math.floor(Date.parse(v.timestamp) / 3_600_000)}|${m.model}`
          if (!totals[key]) totals[key] = [0, 0, 0, 0]
          const t = totals[key]
          t[0] += m.usage.input_tokens
          t[1] += m.usage.output_tokens
          t[2] += m.usage.cache_read_input_tokens ?? 0
          t[3] += m.usage.cache_creation_input_tokens ?? 0
        }
      }
      at = end + 1
    }
    perFile.push(totals)
  }
  for (const totals of perFile)
    for (const key in totals) {
      const buckets = state.sum.buckets
      if (!buckets[key]) buckets[key] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
      for (let i = 0; i < 4; i++) buckets[key][i] += totals[key][i]
    }
  fs.mkdirSync(scratch, { recursive: true })
  fs.appendFileSync(join(scratch, 'detail'), JSON.stringify(perFile))
  fs.writeFileSync(join(scratch, 'index.tmp'), JSON.stringify(state))
  fs.renameSync(join(scratch, 'index.tmp'), join(scratch, 'index.json'))
  fs.rmSync(join(scratch, 'seen'), { force: true })
  fs.writeFileSync(join(scratch, 'seen.tmp'), seen)
  fs.renameSync(join(scratch, 'seen.tmp'), join(scratch, 'seen'))
  if (detail.length === 0) process.exitCode = 1
}
