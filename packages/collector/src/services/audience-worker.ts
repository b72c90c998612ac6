import type { Logger } from 'pino';
import type { Database } from '../db/connection.js';
import { getWorkspace } from '../repos/workspaces.js';
import { workspaceIds } from '../repos/audience-dirty.js';
import { settleAudiences, type PassResult } from './audience-pass.js';

export interface AudienceWorkerDeps {
  database: Database;
  logger: Logger;
  now: () => number;
  newId: () => string;
  /** Time between passes; the delay between a change (or a window closing) and its announcement is at most this plus a pass. */
  intervalMs: number;
}

export interface AudienceWorker {
  /** One pass over every workspace now; answers the totals. */
  runOnce(): Promise<PassResult>;
  start(): void;
  /** Stops scheduling and waits for a pass in flight. */
  stop(): Promise<void>;
}

/**
 * The background worker that keeps saved segments' membership and triggers
 * current (SPEC §5, §9): a pass every `intervalMs`, never two at once in
 * this process. Clock and IDs are injected, so tests drive it by hand.
 *
 * @example
 * const worker = createAudienceWorker({ database, logger, now: Date.now, newId: randomUUID, intervalMs: 1000 }); worker.start();
 */
export function createAudienceWorker(deps: AudienceWorkerDeps): AudienceWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<PassResult> | undefined;
  let stopped = true;

  const pass = async (): Promise<PassResult> => {
    const total: PassResult = { checked: 0, announced: 0, expired: 0 };
    for (const id of await workspaceIds(deps.database.db)) {
      const workspace = await getWorkspace(deps.database.db, id);
      if (!workspace) continue;
      const r = await settleAudiences({ database: deps.database, workspace, now: deps.now, newId: deps.newId });
      total.checked += r.checked;
      total.announced += r.announced;
      total.expired += r.expired;
    }
    return total;
  };
  const runOnce = () => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((err) => deps.logger.error({ err }, 'audience pass failed'))
        .finally(schedule);
    }, deps.intervalMs);
    timer.unref();
  };
  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}
