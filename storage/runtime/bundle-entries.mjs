// Bundles the server's entry and the entries of its threads, each into one ES module that
// replaces tsc's output in place (dist/services/server/main.js, dist/warehouse/worker/
// warehouse-worker.js, ...). Run by `npm run build` after tsc.
//
// Why: Node's ES module loader spends most of a thread's start resolving, reading and linking
// its modules one by one (URL parsing, package.json lookups, stat and realpath, a file read per
// module), not running them. A warehouse worker imports ~390 modules (235 of ours, the rest
// mostly apache-arrow's): it took ~500 ms and ~650 ms of CPU to start, and ~230 ms and ~250 ms
// bundled; the server itself loads ~550. That is the latency of every server start and warehouse resume, and most
// of the test suite's restarts.
//
// Contract: a bundle behaves as the module graph it replaces. Paths computed from a module's
// own import.meta.url (thread entries, the page's folder, package.json) keep pointing where
// they did: in each bundled source, import.meta.url is rewritten to the URL of that module's
// tsc output (relative to the bundle, so the tree can move). Packages that load files beside
// their own code (piscina's worker, parquet-wasm's wasm, better-sqlite3's native addon) or
// that load lazily (the S3 SDK) stay external and are imported from node_modules as before.
// Everything else of ours is not bundled: tests import the TypeScript sources, and the other
// modules of dist/ (the CLI, the bench) load module by module as tsc wrote them.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = path.join(root, 'dist');

/** Each entry's source; its bundle is written where tsc wrote its JavaScript. */
const ENTRIES = ['services/server/main.ts', 'warehouse/worker/warehouse-worker.ts', 'services/sql/parse-worker.ts', 'services/catalog/wal-checkpoint-thread.ts'];

const EXTERNAL = ['piscina', 'parquet-wasm', 'better-sqlite3', '@aws-sdk/*', '@smithy/*'];

/** Where tsc writes a source's JavaScript. */
const distFile = (source) => path.join(dist, path.relative(root, source)).replace(/\.ts$/, '.js').replace(/\.cts$/, '.cjs');

/** Rewrites import.meta.url in our sources to the URL of their tsc output, relative to `outfile`. */
const ownModuleUrls = (outfile) => ({
  name: 'own-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.c?ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (args.path.includes(`${path.sep}node_modules${path.sep}`) || !text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
      const rel = path.relative(path.dirname(outfile), distFile(args.path)).split(path.sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'ts' };
    });
  },
});

await Promise.all(
  ENTRIES.map((entry) => {
    const outfile = distFile(path.join(root, entry));
    return build({
      entryPoints: [path.join(root, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: EXTERNAL,
      sourcemap: true,
      // CommonJS packages inside an ES module bundle call require() for Node's built-ins.
      banner: { js: "import { createRequire as firnCreateRequire } from 'node:module'; const require = firnCreateRequire(import.meta.url);" },
      plugins: [ownModuleUrls(outfile)],
      logLevel: 'warning',
    });
  }),
);
