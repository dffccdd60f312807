import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../storage/errors/firn-error.js';
import { HOME_LOCK_FILE_NAME, lockFirnHome } from './home-lock.js';

describe('lockFirnHome', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'firn-home-lock-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('refuses a second holder with HOME_IN_USE until the first releases', () => {
    const first = lockFirnHome(home);
    const err = (() => {
      try {
        lockFirnHome(home);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('390502');
    expect((err as StorageError).sqlState).toBe('55006');
    first.release();
    const second = lockFirnHome(home);
    second.release();
    second.release();
  });

  it('answers STORAGE_IO when the lock file cannot be opened', () => {
    mkdirSync(path.join(home, HOME_LOCK_FILE_NAME));
    expect(() => lockFirnHome(home)).toThrow(expect.objectContaining({ code: '390103', message: expect.stringMatching(/^cannot lock FIRN_HOME /) }));
  });
});
