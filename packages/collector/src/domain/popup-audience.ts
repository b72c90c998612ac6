import type { PopupAudience } from '@threadline/protocol';
import type { ProfileStatus } from './status.js';

/**
 * The popup audiences a visitor belongs to (SPEC §6), from the status of the
 * profile their anonymous ID belongs to, or `undefined` for an ID the
 * collector has never seen (a first page view races the popup fetch). Only
 * the primary key or an address counts as known: an `addressable` visitor has
 * left an email or phone, so "anonymous only" popups (usually capture forms)
 * no longer ask them.
 *
 * @example
 * audiencesFor(undefined) // ['anonymous', 'everyone']
 * audiencesFor('addressable') // ['identified', 'everyone']
 */
export function audiencesFor(status: ProfileStatus | undefined): PopupAudience[] {
  return [status === undefined || status === 'anonymous' ? 'anonymous' : 'identified', 'everyone'];
}
