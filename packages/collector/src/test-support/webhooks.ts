import pino from 'pino';
import { afterEach, beforeEach } from 'vitest';
import { createWebhookWorker, type WebhookWorker } from '../services/webhook-worker.js';
import type { TestApp } from './app.js';
import { startReceiver, type Receiver } from './webhook-receiver.js';

export interface WebhookRig {
  receiver: Receiver;
  worker: WebhookWorker;
  /** Moves the worker's clock (it starts at real time and stands still, so signatures verify until it is moved). */
  advance(ms: number): void;
  /** Runs the worker until a pass finds nothing due. */
  drain(): Promise<void>;
  /** Creates an endpoint at the receiver; the receiver verifies with its secret. */
  subscribe(events?: string[]): Promise<{ id: string; secret: string }>;
  /** The endpoint's deliveries as the API lists them. */
  deliveries(endpointId: string): Promise<Array<Record<string, any>>>;
}

/** A receiver and a worker (random fixed at 0.5, so retry delays are the schedule's exact values) per test, beside `t`. */
export function useWebhookRig(t: TestApp): WebhookRig {
  const rig = {} as WebhookRig;
  let clock = 0;
  beforeEach(async () => {
    // Frozen at the real time: signatures verify (the verifier allows 5 minutes of skew) and retries are due exactly when the test says.
    clock = Date.now();
    const receiver = await startReceiver();
    const worker = createWebhookWorker({
      database: t.database,
      logger: pino({ level: 'silent' }),
      now: () => clock,
      random: () => 0.5,
    });
    Object.assign(rig, {
      receiver,
      worker,
      advance: (ms: number) => {
        clock += ms;
      },
      async drain() {
        while ((await worker.runOnce()) > 0);
      },
      async subscribe(events = ['*']) {
        const res = await t.admin('/api/webhooks', { method: 'POST', body: { url: receiver.url, events } });
        if (res.status !== 201) throw new Error(`POST /api/webhooks answered ${res.status}: ${JSON.stringify(res.body)}`);
        receiver.secret = res.body.secret;
        return res.body;
      },
      async deliveries(endpointId: string) {
        return (await t.admin(`/api/webhooks/${endpointId}/deliveries`)).body.deliveries;
      },
    } satisfies WebhookRig);
  });
  afterEach(async () => {
    await rig.receiver.close();
  });
  return rig;
}
