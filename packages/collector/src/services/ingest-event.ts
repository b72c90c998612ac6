import { correctTimestamp } from '../domain/clock-skew.js';
import type { Identifier } from '../domain/identity/types.js';
import type { EventRecord } from '../repos/events.js';
import type { Identified } from './validate-batch.js';

export interface IngestOptions {
  /** Sent with the secret key: every claim in it is verified. */
  verified: boolean;
  batchSentAt?: string;
  receivedAt: number;
  /** Size of the request as sent: when it is within the per-message limit, no message in it can exceed it. */
  requestBytes?: number;
}

/**
 * A message as the event row it is stored as, under the identity it was resolved to.
 *
 * @example
 * toEvent(message, { kind: 'email', value: 'ana@example.com' }, opts, 0);
 */
export function toEvent(m: Identified, source: Identifier, opts: IngestOptions, seq: number): EventRecord {
  return {
    messageId: m.messageId,
    type: m.type,
    event: m.type === 'track' ? m.event : null,
    name: m.type === 'page' || m.type === 'screen' ? (m.name ?? null) : null,
    // A group call is kept as Segment sends it: the group's ID, and its
    // traits, which describe the group and never become the profile's.
    properties: m.type === 'group' ? { groupId: m.groupId } : m.type === 'identify' || m.type === 'alias' ? null : (m.properties ?? {}),
    traits: m.type === 'identify' || m.type === 'group' ? (m.traits ?? {}) : null,
    context: m.context ?? null,
    anonymousId: m.anonymousId ?? null,
    userId: m.userId ?? null,
    source,
    timestamp: correctTimestamp(m.timestamp, m.sentAt ?? opts.batchSentAt, opts.receivedAt),
    receivedAt: opts.receivedAt,
    seq,
  };
}
