import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressLine } from './progress-line.js';

function sink() {
  const out = { text: '' };
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      out.text += chunk.toString();
      callback();
    },
  });
  return { out, stream };
}

describe('ProgressLine', () => {
  it('redraws one line in place and erases it; clearing with nothing drawn writes nothing', () => {
    const { out, stream } = sink();
    const line = new ProgressLine(stream);
    line.clear();
    expect(out.text).toBe('');
    line.draw('Running 0.5 s');
    line.draw('Running 1.0 s');
    line.clear();
    line.clear();
    expect(out.text).toBe('\rRunning 0.5 s\x1b[K\rRunning 1.0 s\x1b[K\r\x1b[K');
  });

  it('cuts a text wider than the terminal so it never wraps', () => {
    const { out, stream } = sink();
    const line = new ProgressLine(stream, () => 10);
    line.draw('0123456789abc');
    line.draw('short');
    expect(out.text).toBe('\r012345678\x1b[K\rshort\x1b[K');
  });
});
