import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LoadError } from '../../storage/errors/firn-error.js';
import { decompress } from './read-source-file.js';

describe('decompress', () => {
  const text = Buffer.from('id,name\n1,a\n');
  it('gunzips gzip bytes under AUTO and GZIP, passes plain bytes under AUTO and NONE', async () => {
    expect(Buffer.from(await decompress(gzipSync(text), 'AUTO', 'f.csv.gz')).toString()).toBe(text.toString());
    expect(Buffer.from(await decompress(gzipSync(text), 'GZIP', 'f.csv.gz')).toString()).toBe(text.toString());
    expect(Buffer.from(await decompress(text, 'AUTO', 'f.csv')).toString()).toBe(text.toString());
    const gz = gzipSync(text);
    expect(await decompress(gz, 'NONE', 'f.gz')).toBe(gz);
  });

  it('refuses plain bytes under GZIP, corrupt gzip, and a gzip that expands past the cap', async () => {
    await expect(decompress(text, 'GZIP', 'f.csv')).rejects.toThrow(/is not gzip compressed/);
    const broken = gzipSync(text).subarray(0, 12);
    await expect(decompress(broken, 'AUTO', 'f.csv.gz')).rejects.toThrow(LoadError);
    const bomb = gzipSync(Buffer.alloc(1 << 20));
    await expect(decompress(bomb, 'AUTO', 'bomb.gz', 1000)).rejects.toThrow(/decompresses to more than 1000 bytes/);
  });
});
