import type { Page } from '@playwright/test';
import { STOREFRONT } from './env.js';

/** A page of the fixture server (another origin than the collector), e.g. `fixtures/sdk.html`. */
export const storefront = (path: string) => `${STOREFRONT}/${path}`;

/** Waits until the SDK has loaded the visitor, then answers the anonymous ID. */
export function anonymousId(page: Page): Promise<string> {
  return page.evaluate(async () => {
    await window.threadline.ready();
    const id = await window.threadline.anonymousId();
    if (typeof id !== 'string') throw new Error(`no anonymous ID (${String(id)})`);
    return id;
  });
}

/** `threadline.flush()` from the page: true once the shared queue is empty. */
export function flush(page: Page): Promise<boolean> {
  return page.evaluate(async () => (await window.threadline.flush()) === true);
}

/** `threadline.track(event, properties)` from the page, as the site's own code would call it. */
export function track(page: Page, event: string, properties: Record<string, unknown> = {}): Promise<void> {
  return page.evaluate(([e, p]) => void window.threadline.track(e, p), [event, properties] as const);
}
