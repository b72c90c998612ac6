import { describe, expect, it } from 'vitest';
import { DEFAULT_IMPORT_MAX_BYTES, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('caps CSV imports at 1 GiB unless THREADLINE_IMPORT_MAX_BYTES says otherwise', () => {
    expect(loadConfig({}).importMaxBytes).toBe(DEFAULT_IMPORT_MAX_BYTES);
    expect(DEFAULT_IMPORT_MAX_BYTES).toBe(1024 ** 3);
    expect(loadConfig({ THREADLINE_IMPORT_MAX_BYTES: '5000' }).importMaxBytes).toBe(5000);
  });

  it.each(['0', '-1', '1.5', 'lots'])('refuses THREADLINE_IMPORT_MAX_BYTES=%s, naming the variable', (value) => {
    expect(() => loadConfig({ THREADLINE_IMPORT_MAX_BYTES: value })).toThrow(/THREADLINE_IMPORT_MAX_BYTES/);
  });
});
