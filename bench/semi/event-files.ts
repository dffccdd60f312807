/**
 * NDJSON event files for the semi suite: <root>/semi-sf<sf>/events-NNN.ndjson, about
 * 1,000,000 events at SF 1 (scaled by sf) in EVENT_FILES files, one JSON object per line.
 *
 * Each event: {"id": n, "ts": "2024-…", "country": "DE", "user": {"id": …, "tier": "gold",
 * "name": "…"}, "amount": 12.34, "items": [{"sku": "…", "qty": 3, "price": 1.25}, …],
 * "ok": true, "tags": ["…"]} with some keys missing (country, user.tier, amount, items, tags)
 * and some JSON nulls (country, user.tier, amount). `items` is an array or missing, never null:
 * DuckDB's json_array_length answers 0 for a JSON null where Snowflake's ARRAY_SIZE answers
 * NULL, and the bench compares those answers.
 *
 * Contract: ensureEventFiles(opts) returns the file set for sf, reusing the files when
 * manifest.json there names the same generator version and sf; otherwise it deletes the
 * directory's event files and writes them again, each under a temporary name then renamed,
 * and manifest.json last, so an interrupted run is never reused. The generator is
 * deterministic (a seeded PRNG): the same sf gives byte-identical files.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

export const EVENT_GENERATOR_VERSION = 1;
export const EVENTS_PER_SF = 1_000_000;
export const EVENT_FILES = 4;
const MANIFEST = 'manifest.json';
const FILE_PREFIX = 'events-';
const LINES_PER_WRITE = 10_000;

export type EventManifest = { generator: 'firn-semi-events'; version: number; sf: number; events: number; files: { name: string; events: number; bytes: number }[] };
export type EventFileSet = { dir: string; manifest: EventManifest; reused: boolean; files: string[] };

const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'JP', 'BR', 'IN', 'NL', 'SE', 'ES', 'IT', 'CA'];
const TIERS = ['gold', 'silver', 'bronze', 'basic'];
const TAGS = ['new', 'promo', 'mobile', 'web', 'repeat', 'gift'];
const NAMES = ['ann', 'bo', 'cy', 'dana', 'eli', 'fay', 'gus', 'hal', 'ida', 'jo'];

/** mulberry32: a small, fast, seeded PRNG; next() is in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cents = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;

/** One event as a JSON line (keys in a fixed order, decimals with two digits as text). */
function eventLine(id: number, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const parts: string[] = [`"id":${id}`];
  const day = 1 + Math.floor(rnd() * 28);
  parts.push(`"ts":"2024-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}T${String(Math.floor(rnd() * 24)).padStart(2, '0')}:00:00Z"`);
  const c = rnd();
  if (c < 0.02) parts.push('"country":null');
  else if (c >= 0.04) parts.push(`"country":${JSON.stringify(pick(COUNTRIES))}`); // 2% missing
  const t = rnd();
  const tier = t < 0.03 ? ',"tier":null' : t < 0.06 ? '' : `,"tier":${JSON.stringify(pick(TIERS))}`;
  parts.push(`"user":{"id":${1 + Math.floor(rnd() * 200_000)},"name":${JSON.stringify(pick(NAMES))}${tier}}`);
  const a = rnd();
  if (a < 0.02) parts.push('"amount":null');
  else if (a >= 0.05) parts.push(`"amount":${cents(Math.floor(rnd() * 50_000))}`); // 3% missing
  if (rnd() >= 0.05) {
    const n = Math.floor(rnd() * 6);
    const items: string[] = [];
    for (let i = 0; i < n; i++) items.push(`{"sku":"S${1000 + Math.floor(rnd() * 9000)}","qty":${1 + Math.floor(rnd() * 5)},"price":${cents(50 + Math.floor(rnd() * 10_000))}}`);
    parts.push(`"items":[${items.join(',')}]`);
  }
  parts.push(`"ok":${rnd() < 0.8 ? 'true' : 'false'}`);
  if (rnd() < 0.5) parts.push(`"tags":[${Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => JSON.stringify(pick(TAGS))).join(',')}]`);
  return `{${parts.join(',')}}`;
}

function writeFile(file: string, firstId: number, count: number, seed: number): number {
  const rnd = prng(seed);
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  try {
    for (let start = 0; start < count; start += LINES_PER_WRITE) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(count, start + LINES_PER_WRITE); i++) lines.push(eventLine(firstId + i, rnd));
      const buf = Buffer.from(`${lines.join('\n')}\n`);
      writeSync(fd, buf);
      bytes += buf.length;
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return bytes;
}

export function ensureEventFiles(opts: { sf: number; root: string; log?: (line: string) => void }): EventFileSet {
  const dir = path.join(opts.root, `semi-sf${opts.sf}`);
  const manifestFile = path.join(dir, MANIFEST);
  if (existsSync(manifestFile)) {
    const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as EventManifest;
    if (m.generator === 'firn-semi-events' && m.version === EVENT_GENERATOR_VERSION && m.sf === opts.sf && m.files.every((f) => existsSync(path.join(dir, f.name)))) {
      return { dir, manifest: m, reused: true, files: m.files.map((f) => path.join(dir, f.name)) };
    }
  }
  mkdirSync(dir, { recursive: true });
  rmSync(manifestFile, { force: true });
  for (const f of readdirSync(dir)) if (f.startsWith(FILE_PREFIX)) rmSync(path.join(dir, f), { force: true });
  const events = Math.max(EVENT_FILES, Math.round(EVENTS_PER_SF * opts.sf));
  const files: EventManifest['files'] = [];
  let id = 1;
  for (let f = 0; f < EVENT_FILES; f++) {
    const count = Math.floor(events / EVENT_FILES) + (f < events % EVENT_FILES ? 1 : 0);
    const name = `${FILE_PREFIX}${String(f).padStart(3, '0')}.ndjson`;
    opts.log?.(`semi: writing ${name} (${count} events)`);
    const bytes = writeFile(path.join(dir, name), id, count, 0x5e3a1 + f);
    files.push({ name, events: count, bytes });
    id += count;
  }
  const manifest: EventManifest = { generator: 'firn-semi-events', version: EVENT_GENERATOR_VERSION, sf: opts.sf, events, files };
  writeFileSync(`${manifestFile}.tmp`, `${JSON.stringify(manifest)}\n`);
  renameSync(`${manifestFile}.tmp`, manifestFile);
  return { dir, manifest, reused: false, files: files.map((f) => path.join(dir, f.name)) };
}
