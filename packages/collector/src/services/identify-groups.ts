import type { RejectedMessage } from '@threadline/protocol';
import { chunks } from '../repos/chunks.js';
import type { Db } from '../repos/db.js';
import { nextTurn } from '../util/yield-to-loop.js';
import { deviceOnIdentify } from './devices.js';
import type { Settled } from './ingest-identified.js';
import { GROUP_MESSAGES_MAX, type GroupJob, type JobOutcome, settleGroup } from './settle-group.js';

/**
 * Groups settled at once for one workspace of one store. While one runs,
 * arriving requests wait and go together in the next: under load a group
 * carries a few dozen, when idle a request goes alone at once. With 2, 3 or
 * 4 at once, groups were smaller and an identify cost more CPU on both sides
 * (identify probe: 1,714 identifies a second with 1; 1,442, 1,316 and 1,124;
 * ARCHITECTURE.md, "PostgreSQL: concurrent requests' identities in one transaction").
 */
const GROUPS_AT_ONCE = 1;

interface Waiting {
  job: GroupJob;
  out: { rejected: RejectedMessage[]; warnings: RejectedMessage[] };
  resolve(settled: Settled): void;
  reject(err: unknown): void;
}

interface Queue {
  waiting: Waiting[];
  running: number;
}

const queues = new WeakMap<Db, Map<string, Queue>>();

/**
 * Settles a request's messages that may change the identity graph on a
 * single-node PostgreSQL together with other requests' arriving meanwhile
 * for the same workspace (settleGroup: one transaction, two round trips
 * for the group), and answers what settleIdentified would for the request
 * alone, its rejections and warnings added to `out`. A group that fails is
 * settled again a request at a time, so one request's error is its own.
 *
 * @example
 * const { accepted, duplicates } = await settleInGroup({ ctx, items, opts }, { rejected, warnings });
 */
export function settleInGroup(job: GroupJob, out: Waiting['out']): Promise<Settled> {
  const { db } = job.ctx.database;
  const ws = job.ctx.workspace.id;
  const byWorkspace = queues.get(db) ?? new Map<string, Queue>();
  queues.set(db, byWorkspace);
  const queue = byWorkspace.get(ws) ?? { waiting: [], running: 0 };
  byWorkspace.set(ws, queue);
  const answer = new Promise<Settled>((resolve, reject) => queue.waiting.push({ job, out, resolve, reject }));
  if (queue.running < GROUPS_AT_ONCE) void drain(queue);
  return answer;
}

async function drain(queue: Queue): Promise<void> {
  queue.running++;
  try {
    while (queue.waiting.length) await runGroup(take(queue.waiting));
  } finally {
    queue.running--;
  }
}

/**
 * The next group, in arrival order: at most GROUP_MESSAGES_MAX messages, and
 * no message ID twice (a request retried while the first is in flight waits
 * for the next group, so the two are settled one after the other).
 */
function take(waiting: Waiting[]): Waiting[] {
  const group: Waiting[] = [];
  const ids = new Set<string>();
  let messages = 0;
  for (let i = 0; i < waiting.length && messages < GROUP_MESSAGES_MAX; ) {
    const mine = waiting[i]!.job.items.map((item) => item.message.messageId);
    if ((group.length && messages + mine.length > GROUP_MESSAGES_MAX) || mine.some((id) => ids.has(id))) {
      i++;
      continue;
    }
    group.push(...waiting.splice(i, 1));
    messages += mine.length;
    for (const id of mine) ids.add(id);
  }
  return group;
}

/**
 * Settles a group without waiting for any lock held elsewhere, so the queue
 * never waits behind one person's lock. When the group cannot have its locks
 * at once, or fails, nothing of it was committed: each of its requests is then
 * settled alone, as before groups, waiting for its own locks beside the
 * queue, and fails alone.
 */
async function runGroup(group: Waiting[]): Promise<void> {
  let outcomes: JobOutcome[];
  try {
    outcomes = await settleGroup(
      group.map((w) => w.job),
      false,
    );
  } catch {
    for (const w of group) void settleAlone(w);
    return;
  }
  await Promise.all(group.map((w, i) => finish(w, outcomes[i]!)));
}

async function settleAlone(w: Waiting): Promise<void> {
  try {
    const [outcome] = await settleGroup([w.job]);
    w.resolve(await answered(w.job, outcome!, w.out));
  } catch (err) {
    w.reject(err);
  }
}

async function finish(w: Waiting, outcome: JobOutcome): Promise<void> {
  await answered(w.job, outcome, w.out).then(w.resolve, w.reject);
}

/** A request's answer from its committed outcome, once what follows the commit is done: an identify's device placement. */
async function answered(job: GroupJob, outcome: JobOutcome, out: Waiting['out']): Promise<Settled> {
  for (const { item, recorded } of outcome.recorded)
    if (item.message.type === 'identify' && item.message.context?.device) await deviceOnIdentify(job.ctx, item.message.context, recorded);
  out.rejected.push(...outcome.rejected);
  out.warnings.push(...outcome.warnings);
  return { accepted: outcome.accepted, duplicates: outcome.duplicates };
}

/**
 * A request with more messages that may change the identity graph than a
 * group takes (a server's batch of identifies, or of new visitors' first
 * pages), settled on its own in parts of GROUP_MESSAGES_MAX, in order: each
 * part one transaction (settleGroup) waiting for its locks, the event loop
 * turning between parts. A failing part fails the request; the parts before
 * it stay stored, as each message's own transaction did before.
 *
 * @example
 * const { accepted, duplicates } = await settleInParts({ ctx, items, opts }, { rejected, warnings });
 */
export async function settleInParts(job: GroupJob, out: Waiting['out']): Promise<Settled> {
  const settled = { accepted: 0, duplicates: 0 };
  for (const [n, items] of chunks(job.items, GROUP_MESSAGES_MAX).entries()) {
    if (n) await nextTurn();
    const part = { ...job, items };
    const [outcome] = await settleGroup([part]);
    const answer = await answered(part, outcome!, out);
    settled.accepted += answer.accepted;
    settled.duplicates += answer.duplicates;
  }
  return settled;
}
