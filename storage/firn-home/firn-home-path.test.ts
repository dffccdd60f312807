import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InternalError } from '../errors/firn-error.js';
import { firnHomePath } from './firn-home-path.js';

describe('firnHomePath', () => {
  const home = path.resolve('/srv/firn-home');

  it('returns paths inside FIRN_HOME, and FIRN_HOME itself', () => {
    expect(firnHomePath(home)).toBe(home);
    expect(firnHomePath(home, 'catalog.sqlite')).toBe(path.join(home, 'catalog.sqlite'));
    expect(firnHomePath(home, 'cache', 'warehouse-7', 'w0')).toBe(path.join(home, 'cache', 'warehouse-7', 'w0'));
    expect(firnHomePath(home, 'cache/./x/../y')).toBe(path.join(home, 'cache', 'y'));
    expect(firnHomePath(home, path.join(home, 'data'))).toBe(path.join(home, 'data'));
    expect(firnHomePath(home, '..firn-not-a-parent')).toBe(path.join(home, '..firn-not-a-parent'));
  });

  it('throws InternalError for anything outside FIRN_HOME', () => {
    for (const segments of [
      ['..'],
      ['cache', '../../escaped'],
      ['cache', '..', '..', 'escaped'],
      ['/etc/passwd'],
      [`${home}-sibling`],
      [path.dirname(home)],
    ]) {
      expect(() => firnHomePath(home, ...segments), segments.join(' ')).toThrow(InternalError);
      expect(() => firnHomePath(home, ...segments)).toThrow(/only writes its own files under FIRN_HOME/);
    }
  });

  it('throws InternalError for a NUL character or an empty home', () => {
    expect(() => firnHomePath(home, 'cache', 'a\0b')).toThrow(InternalError);
    expect(() => firnHomePath('', 'cache')).toThrow(InternalError);
  });
});
