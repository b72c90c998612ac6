import { invalid } from '../../domain/errors.js';
import type { ProfileStatus } from '../../repos/profiles.js';

export const STATUSES: readonly ProfileStatus[] = ['anonymous', 'addressable', 'identified'];

/** A `limit` query parameter: a whole number from 1 to `max`, `fallback` when absent. */
export function limitParam(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalid('limit', `must be a whole number from 1 to ${max}`);
  return n;
}

/** A `status` query parameter: one live profile status, or none. */
export function statusParam(raw: string | undefined): ProfileStatus | undefined {
  if (raw !== undefined && !STATUSES.includes(raw as ProfileStatus)) throw invalid('status', `must be one of ${STATUSES.join(', ')}`);
  return raw as ProfileStatus | undefined;
}
