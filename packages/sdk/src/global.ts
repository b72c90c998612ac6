import { createClient } from './client.js';
import type { FormsInit } from './plugins/forms/script-tag.js';
import type { PopupsInit } from './plugins/popups/script-tag.js';
import type { Client, ClientDeps, ClientOptions } from './types.js';
import { createLogger } from './util/logger.js';

/** A call recorded before the SDK was ready: method, arguments, Date.now() of the call, the stub's resolver. */
type Call = [method: string, args: ArrayLike<unknown>, time: number, resolve?: (value: unknown) => void];

/** `init`'s options: the client's, and the script tag's switches for opt-in features. */
export type InitOptions = ClientOptions & FormsInit & PopupsInit;

/** The `threadline` global of the script tag (SPEC §9); before `init`, calls are kept and return promises. */
export type ThreadlineGlobal = { [K in keyof Client]: (...args: Parameters<Client[K]>) => ReturnType<Client[K]> | Promise<unknown> } & {
  init(options: InitOptions): void;
  q?: Call[];
};

const METHODS = ['track', 'page', 'identify', 'alias', 'reset', 'flush', 'ready', 'anonymousId', 'consent', 'registerDevice'] as const;

/**
 * Defines the `threadline` global on `win`, taking over the snippet's stub in
 * place (a page may hold a reference to it) and replaying its calls in order
 * with their original times. A second copy of the SDK finds it and returns.
 * @example installGlobal(window).init({ writeKey: 'wk_123', host: 'https://collect.example.com' });
 */
export function installGlobal(
  win: { threadline?: Partial<ThreadlineGlobal> },
  create: (options: InitOptions, deps: ClientDeps) => Client = createClient,
): ThreadlineGlobal {
  const g = (win.threadline ??= {}) as Partial<ThreadlineGlobal>;
  if (g.init && !g.q) return g as ThreadlineGlobal;
  const stubbed = g.q ?? [];
  const waiting: Call[] = [];
  let client: Client | undefined;
  // While a recorded call replays, the client's clock reads the time it was made.
  let replayAt: number | undefined;
  const now = () => replayAt ?? Date.now();

  const run = ([method, args, time, resolve]: Call) => {
    replayAt = time;
    try {
      const c = client!;
      // A stub from another SDK version may have recorded a method this one lacks: settle it, replay the rest.
      const fn = c[method as keyof Client] as ((...a: unknown[]) => unknown) | undefined;
      // A page awaiting the stub's anonymousId() wants the ID, which may still be loading.
      resolve?.(method === 'anonymousId' ? c.ready().then(c.anonymousId) : fn?.(...Array.from(args)));
    } finally {
      replayAt = undefined;
    }
  };

  g.init = (options) => {
    if (client) return createLogger(options?.debug)('init called twice; the first configuration stays');
    client = create(options, { now });
    waiting.splice(0).forEach(run);
  };
  for (const m of METHODS) {
    g[m] = ((...args: unknown[]) =>
      client
        ? (client[m] as (...a: unknown[]) => unknown)(...args)
        : new Promise((resolve) => waiting.push([m, args, Date.now(), resolve]))) as never;
  }
  delete g.q;
  for (const call of stubbed) {
    if (call[0] === 'init') call[3]?.(g.init(call[1][0] as InitOptions));
    else if (client) run(call);
    else waiting.push(call);
  }
  return g as ThreadlineGlobal;
}
