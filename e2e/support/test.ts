import { test as base, expect } from '@playwright/test';
import type { Client } from '@threadline/sdk';

/** The script-tag global as a page sees it: before the SDK loads, every method answers a promise. */
type ThreadlineGlobal = { [K in keyof Client]: (...args: Parameters<Client[K]>) => ReturnType<Client[K]> | Promise<unknown> } & {
  init(options: Record<string, unknown>): void;
};

declare global {
  interface Window {
    threadline: ThreadlineGlobal;
  }
}

/**
 * Playwright's `test`, failing any test whose pages threw an uncaught error or
 * left a promise rejection unhandled (SPEC §8: the host page never breaks).
 * `pageErrors` is there for specs that want to look at them earlier.
 */
export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      context.on('weberror', (e) => errors.push(`${e.page()?.url() ?? '?'}: ${e.error().message}`));
      await use(errors);
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
