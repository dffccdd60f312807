/**
 * docker-compose.yml and the Dockerfile it builds keep the promises the issue makes of them
 * (issue 12, "Runtimes"), read from the files themselves: every image is pinned to a release
 * (no `latest`, no bare major), Firn's image is a Node LTS line that CI smoke-tests
 * (.ci/node-smoke.sh), MinIO has a healthcheck, the bucket setup waits for it and Firn waits
 * for the setup to complete successfully, and nothing mounts the host's source or node_modules.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const compose = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const ciRun = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');

/** The text of one top-level service's block: from `  name:` to the next service or section. */
function service(name: string): string {
  const start = compose.indexOf(`\n  ${name}:\n`);
  if (start < 0) throw new Error(`docker-compose.yml has no service ${name}`);
  const rest = compose.slice(start + 1);
  const end = rest.slice(1).search(/\n {2}\S|\n\S/);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

describe('docker-compose.yml', () => {
  it('pins every image to a release tag', () => {
    const images = [...compose.matchAll(/^\s+image:\s*(\S+)/gm)].map((m) => m[1]);
    const base = /^FROM\s+(\S+)/m.exec(dockerfile)?.[1];
    expect(images.length).toBe(2);
    for (const image of [...images, base]) expect(image, image).toMatch(/:(RELEASE\.\d{4}-\d\d-\d\dT[\d-]+Z|\d+\.\d+\.\d+-\w+)$/);
  });

  it('builds Firn on a Node LTS line that CI smoke-tests', () => {
    const major = /^FROM\s+node:(\d+)\./m.exec(dockerfile)?.[1];
    expect(major).toBeDefined();
    expect(Number(major) % 2).toBe(0);
    expect(ciRun).toMatch(new RegExp(`^smoke_major=${major}$`, 'm'));
    expect(service('firn')).toMatch(/^\s+build: \.$/m);
  });

  it('waits for a healthy MinIO, then for the bucket to be created', () => {
    expect(service('minio')).toMatch(/healthcheck:\n\s+(#.*\n\s+)?test: \["CMD", "mc", "ready", "local"\]/);
    expect(service('create-bucket')).toMatch(/depends_on:\n\s+minio:\n\s+condition: service_healthy/);
    expect(service('firn')).toMatch(/depends_on:\n\s+create-bucket:\n\s+condition: service_completed_successfully/);
  });

  it("never mounts the host's files or node_modules", () => {
    const mounts = [...compose.matchAll(/^\s+- "?([^"\n]+:\/[^"\n]*)"?$/gm)].map((m) => m[1]).filter((m) => !/^127\.0\.0\.1:\d+:\d+$/.test(m));
    expect(mounts).toEqual(['firn-home:/app/.firn']);
    expect(readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n')).toContain('node_modules');
  });
});
