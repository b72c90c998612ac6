/** The webhook worker's settings from the environment (README "Webhooks"); each fails at boot naming its variable. */
export interface WebhookConfig {
  /** THREADLINE_WEBHOOK_TIMEOUT_MS: wait for a receiver's answer (15 s). */
  timeoutMs: number;
  /** THREADLINE_WEBHOOK_LEASE_MS: how long a claimed delivery is held; after a crash it is sent again once this runs out (60 s). */
  leaseMs: number;
  /** THREADLINE_WEBHOOK_POLL_MS: pause between looks at the outbox when nothing was due (1 s). */
  pollMs: number;
}

function ms(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name}: must be a whole number of milliseconds, got "${raw}"`);
  return n;
}

/**
 * Reads the worker's settings.
 *
 * @example
 * loadWebhookConfig({ THREADLINE_WEBHOOK_POLL_MS: '200' }) // → { timeoutMs: 15000, leaseMs: 60000, pollMs: 200 }
 */
export function loadWebhookConfig(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const timeoutMs = ms(env, 'THREADLINE_WEBHOOK_TIMEOUT_MS', 15_000);
  const leaseMs = ms(env, 'THREADLINE_WEBHOOK_LEASE_MS', 60_000);
  if (leaseMs <= timeoutMs) throw new Error('THREADLINE_WEBHOOK_LEASE_MS: must be longer than THREADLINE_WEBHOOK_TIMEOUT_MS');
  return { timeoutMs, leaseMs, pollMs: ms(env, 'THREADLINE_WEBHOOK_POLL_MS', 1_000) };
}
