import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { containedRealPath, joinStagePath, normalizeStagePath } from './stage-path.js';

describe('normalizeStagePath', () => {
  it('keeps plain relative paths, folders with their trailing slash, and the empty path', () => {
    expect(normalizeStagePath('')).toBe('');
    expect(normalizeStagePath('a.csv')).toBe('a.csv');
    expect(normalizeStagePath('2024/jan/a.csv.gz')).toBe('2024/jan/a.csv.gz');
    expect(normalizeStagePath('dir/')).toBe('dir/');
    expect(normalizeStagePath('100%.csv')).toBe('100%.csv');
    expect(normalizeStagePath('a%20b.csv')).toBe('a%20b.csv');
    expect(normalizeStagePath('..a/b..')).toBe('..a/b..');
  });

  it.each([
    ['..', /'\.\.' segments/],
    ['../../etc/passwd', /'\.\.' segments/],
    ['a/../../b', /'\.\.' segments/],
    ['./a', /'\.' segments/],
    ['a/./b', /'\.' segments/],
    ['/etc/passwd', /empty path segments/],
    ['a//b', /empty path segments/],
    ['a\\..\\b', /backslashes/],
    ['a\u0000b', /control characters/],
    ['a\nb', /control characters/],
    ['%2e%2e/x', /percent-encoded/],
    ['%2E%2E%2Fetc', /percent-encoded/],
    ['a%2fb', /percent-encoded/],
    ['a%5c..', /percent-encoded/],
    ['a%00', /percent-encoded/],
    ['%252e%252e', /percent-encoded/],
    ['.firn-tmp-x.csv', /reserved/],
    [`${'n'.repeat(201)}.csv`, /longer than 200 bytes/],
  ])('refuses %j', (text, why) => {
    expect(() => normalizeStagePath(text)).toThrow(CompilationError);
    expect(() => normalizeStagePath(text)).toThrow(why);
    try {
      normalizeStagePath(text);
    } catch (err) {
      expect((err as CompilationError).code).toBe('390106');
    }
  });

  it('clips a long path in its error to 100 characters', () => {
    const long = `${'x'.repeat(5000)}/../y`;
    expect(() => normalizeStagePath(long)).toThrow(new RegExp(`'${'x'.repeat(100)}…'`));
  });

  it('joins a folder prefix and a relative name, checking the result', () => {
    expect(joinStagePath('dir/', 'a.csv')).toBe('dir/a.csv');
    expect(joinStagePath('dir', 'a.csv')).toBe('dir/a.csv');
    expect(joinStagePath('', 'a.csv')).toBe('a.csv');
    expect(() => joinStagePath('dir/', '../x')).toThrow(/'\.\.' segments/);
  });
});

describe('containedRealPath', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firn-stage-path-'));
  const root = path.join(dir, 'stage');
  const outside = path.join(dir, 'outside');
  mkdirSync(path.join(root, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(root, 'sub', 'a.csv'), 'x');
  writeFileSync(path.join(outside, 'secret'), 'secret');
  symlinkSync(outside, path.join(root, 'escape'));
  symlinkSync(path.join(outside, 'secret'), path.join(root, 'secret-link'));
  symlinkSync(path.join(root, 'sub', 'a.csv'), path.join(root, 'inner-link'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers paths inside the root, existing or not', async () => {
    expect(await containedRealPath(root, 'sub/a.csv')).toBe(path.join(root, 'sub', 'a.csv'));
    expect(await containedRealPath(root, 'sub/new/b.csv')).toBe(path.join(root, 'sub', 'new', 'b.csv'));
    expect(await containedRealPath(root, 'inner-link')).toBe(path.join(root, 'inner-link'));
  });

  it('refuses a symlink (to a directory or a file) that leads out of the root', async () => {
    await expect(containedRealPath(root, 'escape/secret')).rejects.toThrow(/outside the stage/);
    await expect(containedRealPath(root, 'escape/new.csv')).rejects.toThrow(/outside the stage/);
    await expect(containedRealPath(root, 'secret-link')).rejects.toThrow(/outside the stage/);
  });

  it('refuses traversal before it touches the file system', async () => {
    await expect(containedRealPath(root, '../outside/secret')).rejects.toThrow(/'\.\.' segments/);
  });
});
