// Bundles the notebook page (page/*.ts, apache-arrow, chart.js) with esbuild into dist/page,
// which the server serves at / (services/server/page-routes.ts). Run by `npm run build`, so
// `npm install` (prepare) builds it: nothing is fetched at runtime, the page works offline.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '..', 'dist', 'page');
await mkdir(out, { recursive: true });
await build({
  entryPoints: { app: path.join(here, 'main.ts') },
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  outdir: out,
  logLevel: 'warning',
});
await build({ entryPoints: { app: path.join(here, 'app.css') }, bundle: true, minify: true, outdir: out, logLevel: 'warning' });
for (const file of ['index.html', 'favicon.svg']) await copyFile(path.join(here, file), path.join(out, file));
