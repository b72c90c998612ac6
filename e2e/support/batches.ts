import type { BrowserContext, Page, Route } from '@playwright/test';

/** What a spec does with the n-th (0-based) intercepted `/v1/batch` request. */
export type Answer = (route: Route, n: number) => Promise<void>;

/** Sends the request on to the collector and hands its answer back to the page. */
export const forward: Answer = async (route) => {
  const response = await route.fetch();
  await route.fulfill({ response });
};

/** Answers as an overloaded collector would. CORS headers, so the page reads a 503 rather than a network error. */
export const unavailable: Answer = (route) =>
  route.fulfill({
    status: 503,
    headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' },
    body: JSON.stringify({ error: { code: 'unavailable', message: 'down for the test' } }),
  });

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface BatchSpy {
  /** The messageIds of every intercepted request, in the order they were made. */
  readonly requests: string[][];
  /** How many intercepted requests carried this messageId. */
  copies(id: string): number;
  /** The most requests that were waiting for their answer at the same time. */
  readonly maxInflight: number;
  /** Resolves once every intercepted request has been answered (or its page is gone). */
  settled(): Promise<void>;
  /** Stops intercepting: later requests go straight to the collector. */
  stop(): Promise<void>;
}

/**
 * Intercepts `/v1/batch` on a page or a whole context, records which messages
 * each request carried, and lets `answer` decide what the page gets back.
 * A page that navigates away leaves its route unanswerable: that is expected
 * here (the specs reload mid-request), so those errors are swallowed.
 */
export async function spyOnBatches(target: Page | BrowserContext, answer: Answer = forward): Promise<BatchSpy> {
  const requests: string[][] = [];
  const pending = new Set<Promise<void>>();
  let inflight = 0;
  let maxInflight = 0;
  const pattern = '**/v1/batch';

  const handler = (route: Route) => {
    const body = route.request().postDataJSON() as { batch?: { messageId: string }[] } | null;
    const n = requests.push(body?.batch?.map((m) => m.messageId) ?? []) - 1;
    maxInflight = Math.max(maxInflight, ++inflight);
    const done = answer(route, n)
      .catch(() => undefined)
      .finally(() => {
        inflight--;
        pending.delete(done);
      });
    pending.add(done);
    return done;
  };
  await target.route(pattern, handler);

  return {
    requests,
    copies: (id) => requests.filter((ids) => ids.includes(id)).length,
    get maxInflight() {
      return maxInflight;
    },
    settled: async () => {
      while (pending.size) await Promise.all([...pending]);
    },
    stop: () => target.unroute(pattern, handler),
  };
}
