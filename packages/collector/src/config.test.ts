import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_IMPORT_MAX_BYTES,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  loadConfig,
} from './config.js';

describe('loadConfig', () => {
  it('caps CSV imports at 1 GiB unless THREADLINE_IMPORT_MAX_BYTES says otherwise', () => {
    expect(loadConfig({}).importMaxBytes).toBe(DEFAULT_IMPORT_MAX_BYTES);
    expect(DEFAULT_IMPORT_MAX_BYTES).toBe(1024 ** 3);
    expect(loadConfig({ THREADLINE_IMPORT_MAX_BYTES: '5000' }).importMaxBytes).toBe(5000);
  });

  it.each(['0', '-1', '1.5', 'lots'])('refuses THREADLINE_IMPORT_MAX_BYTES=%s, naming the variable', (value) => {
    expect(() => loadConfig({ THREADLINE_IMPORT_MAX_BYTES: value })).toThrow(/THREADLINE_IMPORT_MAX_BYTES/);
  });

  it('defaults the body time limit, the connection cap and the shutdown grace, and reads them from the environment', () => {
    expect(loadConfig({})).toMatchObject({
      bodyTimeoutMs: DEFAULT_BODY_TIMEOUT_MS,
      maxConnections: DEFAULT_MAX_CONNECTIONS,
      shutdownTimeoutMs: DEFAULT_SHUTDOWN_TIMEOUT_MS,
    });
    expect(
      loadConfig({ THREADLINE_BODY_TIMEOUT_MS: '0', THREADLINE_MAX_CONNECTIONS: '50', THREADLINE_SHUTDOWN_TIMEOUT_MS: '5000' }),
    ).toMatchObject({ bodyTimeoutMs: 0, maxConnections: 50, shutdownTimeoutMs: 5000 });
  });

  it.each([
    ['THREADLINE_BODY_TIMEOUT_MS', '-1'],
    ['THREADLINE_BODY_TIMEOUT_MS', '2.5'],
    ['THREADLINE_MAX_CONNECTIONS', '0'],
    ['THREADLINE_MAX_CONNECTIONS', 'many'],
    ['THREADLINE_SHUTDOWN_TIMEOUT_MS', '0'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('runs one process unless THREADLINE_PROCESSES says more, and more only on PostgreSQL', () => {
    expect(loadConfig({})).toMatchObject({ processes: 1, cacheTtlMs: 5000 });
    const pgUrl = 'postgres://u:p@127.0.0.1/db';
    expect(loadConfig({ THREADLINE_PROCESSES: '3', THREADLINE_DB: pgUrl, THREADLINE_CACHE_TTL_MS: '60000' })).toMatchObject({
      processes: 3,
      cacheTtlMs: 60000,
    });
    // SQLite has one writer: refused at boot, naming both variables.
    expect(() => loadConfig({ THREADLINE_PROCESSES: '2', THREADLINE_DB: './data/x.db' })).toThrow(/THREADLINE_PROCESSES.*THREADLINE_DB/);
    expect(() => loadConfig({ THREADLINE_PROCESSES: '0', THREADLINE_DB: pgUrl })).toThrow('THREADLINE_PROCESSES');
  });

  it('holds 10 PostgreSQL connections a process unless THREADLINE_DB_POOL says otherwise', () => {
    expect(loadConfig({}).dbPool).toBe(10);
    expect(loadConfig({ THREADLINE_DB_POOL: '4' }).dbPool).toBe(4);
    expect(() => loadConfig({ THREADLINE_DB_POOL: '0' })).toThrow('THREADLINE_DB_POOL');
    expect(() => loadConfig({ THREADLINE_DB_POOL: 'lots' })).toThrow('THREADLINE_DB_POOL');
  });
});
