// CommonJS bundles: the small bin that serves cached renders, and the ones it loads only when it
// must (the full CLI with yargs, the hook, the detached refresh, and zod for them). CommonJS because an ESM
// entry costs ~15% more start-up.
import { createHash } from 'node:crypto'
import { chmodSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

// On a fresh clone without `npm ci`, say what to do instead of an import stack trace.
const { build } = await import('esbuild').catch(() => {
  console.error(
    'quotabar: the build needs esbuild, a dev dependency: run `npm ci` first (or `npm run install-global`)',
  )
  process.exit(1)
})

// The version is baked in: reading package.json at run time finds the wrong file (or none) once installed.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const VERSION = { __QUOTABAR_VERSION__: JSON.stringify(version) }

// Every copy of string-width goes behind src/cli/lazy-width.ts, which loads it only for text that
// is not plain ASCII: building its Unicode tables at load cost each yargs command ~15 ms.
const lazyWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined
      const real = await b.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        importer: args.importer,
        pluginData: 'real',
      })
      return real.errors.length > 0 ? real : { path: real.path, namespace: 'lazy-width' }
    })
    b.onLoad({ filter: /.*/, namespace: 'lazy-width' }, (args) => ({
      contents: `import { lazyStringWidth } from ${JSON.stringify(fileURLToPath(new URL('../src/cli/lazy-width.ts', import.meta.url)))}
export default lazyStringWidth(() => require(${JSON.stringify(args.path)}).default)`,
      resolveDir: dirname(args.path),
      loader: 'ts',
    }))
  },
}

// The CommonJS wrapper around fast.cjs and the side bundles (src/cli/bin-cache.ts, code-cache.ts check it).
const BIN_WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {'
const BIN_WRAPPER_TAIL = '})'

// Two pieces of bundled yargs that do work quotabar never uses, removed by exact text (the build
// fails if a yargs update moves them). Every --help and error text stays byte-identical.
const YARGS_CUTS = [
  // A new instance guesses its version from the nearest package.json above the working directory
  // (listing each directory up to / and building a failed-assertion error when there is none);
  // main.ts sets the version itself right after.
  [/yargs-factory\.js$/, '        yargs.help();\n        yargs.version();\n', '        yargs.help();\n'],
  // After a command's handler starts, yargs renders that command's whole help and keeps it, for
  // printing it should the handler fail later. main.ts's fail handler reports failures itself and
  // no command asks for the help afterwards, so it was rendered for nothing (string widths, wrapping).
  [
    /command\.js$/,
    '            if (!isDefaultCommand) {\n                yargs.getInternalMethods().getUsageInstance().cacheHelpMessage();\n            }\n',
    '',
  ],
]
const yargsCuts = {
  name: 'yargs-cuts',
  setup(b) {
    b.onLoad({ filter: /yargs[\\/]build[\\/]lib[\\/](yargs-factory|command)\.js$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8')
      for (const [file, cut, keep] of YARGS_CUTS) {
        if (!file.test(args.path)) continue
        if (!text.includes(cut))
          throw new Error(`${args.path} changed; update YARGS_CUTS in scripts/build.mjs`)
        text = text.replace(cut, keep)
      }
      return { contents: text, loader: 'js' }
    })
  },
}

// zod's translations of its messages (a third of its code): quotabar never calls z.config with
// a locale, so z.locales is left empty and English, which zod registers by itself, stays.
const noZodLocales = {
  name: 'no-zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: 'zod-locales', namespace: 'no-zod-locales' }
        : undefined,
    )
    b.onLoad({ filter: /.*/, namespace: 'no-zod-locales' }, () => ({ contents: 'export {}', loader: 'js' }))
  },
}

const common = {
  plugins: [lazyWidth, yargsCuts, noZodLocales],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  // yargs (ESM) calls createRequire(import.meta.url), which is empty in a CommonJS bundle.
  define: { 'import.meta.url': '__importMetaUrl', ...VERSION },
  banner: { js: 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
}

// The side bundles are the CommonJS wrapper function too: src/cli/code-cache.ts compiles them as read.
// Only full.cjs has yargs, the one user of the import.meta.url shim (node:url at start-up).
const side = { ...common, banner: { js: BIN_WRAPPER_HEAD }, footer: { js: BIN_WRAPPER_TAIL }, minify: true }
// zod is a bundle of its own (dist/zod.cjs, below) that the other side bundles require when a
// module that builds a schema first loads (src/cli/code-cache.ts serves that require): a run
// that needs no schema (`report`, `refresh` on a checked config, a redraw of the hook, a detached
// refresh whose hand checks vouch for the reply) does not read, deserialise and instantiate zod.
const withoutZod = { external: ['zod'] }
await build({
  ...side,
  ...withoutZod,
  banner: { js: `${BIN_WRAPPER_HEAD}${common.banner.js}` },
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/full.cjs',
})
// Claude Code's status-line hook runs on every redraw: its own bundle, without yargs. Nor zod:
// it validates only a config file not yet checked and logins discovery has not seen.
await build({ ...side, ...withoutZod, entryPoints: ['src/cli/hook.ts'], outfile: 'dist/hook.cjs' })
// The detached refresh a render starts: the bin parses its argv, so no yargs. Nor zod, but for a
// reply its hand checks leave to a schema, or a log line to read.
await build({ ...side, ...withoutZod, entryPoints: ['src/cli/background.ts'], outfile: 'dist/refresh.cjs' })
await build({
  ...side,
  stdin: {
    contents: "export { z } from 'zod'",
    resolveDir: fileURLToPath(new URL('..', import.meta.url)),
    loader: 'js',
  },
  outfile: 'dist/zod.cjs',
})
const SIDE_BUNDLES = ['full.cjs', 'hook.cjs', 'refresh.cjs', 'zod.cjs']

// One raw non-ASCII character (esbuild escapes strings, not regular-expression literals) makes
// V8 read a whole bundle as a two-byte string: twice the memory and a slower start. Escape it.
for (const name of SIDE_BUNDLES) {
  const text = readFileSync(`dist/${name}`, 'latin1')
  const at = text.search(/[^\x00-\x7f]/)
  if (name !== 'full.cjs' && text.includes('__importMetaUrl'))
    throw new Error(`dist/${name} uses import.meta.url: give it the shim full.cjs has`)
  if (at >= 0)
    throw new Error(
      `dist/${name}: non-ASCII near ${JSON.stringify(text.slice(at - 40, at + 10))}; write it as \\uXXXX`,
    )
}

// fast.cjs loads those through V8's code cache (src/cli/code-cache.ts), keyed by their hashes.
const hashOf = (name) =>
  createHash('sha256')
    .update(readFileSync(`dist/${name}`))
    .digest('hex')
    .slice(0, 16)
const bundles = Object.fromEntries(SIDE_BUNDLES.map((name) => [name, hashOf(name)]))

// The dispatcher and cached render. It has no ESM dependency, so it skips the import.meta shim
// (node:url costs start-up time). The file is the CommonJS wrapper function itself, which the bin
// compiles as it is (src/cli/bin-cache.ts): wrapping the text at run time would copy it.
await build({
  ...common,
  define: { ...VERSION, __QUOTABAR_BUNDLES__: JSON.stringify(bundles) },
  entryPoints: ['src/cli/fast.ts'],
  outfile: 'dist/fast.cjs',
  banner: { js: BIN_WRAPPER_HEAD },
  footer: { js: BIN_WRAPPER_TAIL },
  minify: true,
})
// The bin: loads fast.cjs through its own code cache (src/cli/bin-cache.ts), keyed by its hash.
await build({
  ...common,
  define: { ...VERSION, __QUOTABAR_FAST__: JSON.stringify(hashOf('fast.cjs')) },
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/quotabar.cjs',
  banner: { js: '#!/usr/bin/env node' },
  minify: true,
})
// Runnable as ./dist/quotabar.cjs from a clone, as an install makes it.
chmodSync('dist/quotabar.cjs', 0o755)
