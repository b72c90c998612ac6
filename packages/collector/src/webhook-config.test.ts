import { describe, expect, it } from 'vitest';
import { loadWebhookConfig } from './webhook-config.js';

describe('webhook worker settings', () => {
  it('defaults to a 15 s timeout, a 60 s lease and a 1 s poll', () => {
    expect(loadWebhookConfig({})).toEqual({ timeoutMs: 15_000, leaseMs: 60_000, pollMs: 1_000 });
  });

  it('refuses a value that is not a whole number of milliseconds, naming the variable', () => {
    expect(() => loadWebhookConfig({ THREADLINE_WEBHOOK_POLL_MS: 'soon' })).toThrow('THREADLINE_WEBHOOK_POLL_MS');
    expect(() => loadWebhookConfig({ THREADLINE_WEBHOOK_TIMEOUT_MS: '0' })).toThrow('THREADLINE_WEBHOOK_TIMEOUT_MS');
  });

  it('refuses a lease not longer than the timeout, which would let a slow receiver get a second copy', () => {
    expect(() => loadWebhookConfig({ THREADLINE_WEBHOOK_TIMEOUT_MS: '5000', THREADLINE_WEBHOOK_LEASE_MS: '5000' })).toThrow(
      'THREADLINE_WEBHOOK_LEASE_MS',
    );
  });
});
