import { describe, expect, it } from 'vitest';
import { wantsProgress } from './cli-io.js';

describe('wantsProgress', () => {
  it('draws progress when stderr is a terminal, unless FIRN_PROGRESS says always or never', () => {
    expect(wantsProgress({}, true)).toBe(true);
    expect(wantsProgress({}, false)).toBe(false);
    expect(wantsProgress({ FIRN_PROGRESS: 'always' }, false)).toBe(true);
    expect(wantsProgress({ FIRN_PROGRESS: 'ALWAYS' }, false)).toBe(true);
    expect(wantsProgress({ FIRN_PROGRESS: 'never' }, true)).toBe(false);
    expect(wantsProgress({ FIRN_PROGRESS: 'sometimes' }, false)).toBe(false);
  });
});
