import { DomainError, invalid } from '../domain/errors.js';
import { claimIdentifier } from '../domain/identity/claim.js';
import { type PersonKind, PERSON_KINDS } from '../domain/identity/types.js';
import { isJsonObject } from '../domain/json-object.js';
import { statusOf } from '../domain/status.js';
import { appendLog } from '../repos/contact-log.js';
import { assignIdentities, findOwners, identitiesOf, retireIdentity } from '../repos/identities.js';
import { identityTransaction, lockLiveProfile } from './identity-transaction.js';
import { updateProfile } from '../repos/profiles.js';
import type { NewLog } from './apply-plan.js';
import type { ServiceContext } from './context.js';
import { type ApiProfile, readProfile } from './profile-view.js';

/** Reads `{ email?, phone?, userId? }`, normalised like any claim (block list included); 400 naming the field. */
function parseChanges(ctx: ServiceContext, body: unknown): Array<{ kind: PersonKind; value: string }> {
  if (!isJsonObject(body)) throw invalid('body', 'must be a JSON object with email, phone or userId');
  const unknown = Object.keys(body).find((k) => !(PERSON_KINDS as readonly string[]).includes(k));
  if (unknown) throw invalid(unknown, 'is not an identifier that can be changed (email, phone, userId)');
  const changes = PERSON_KINDS.filter((k) => body[k] !== undefined).map((kind) => {
    const result = claimIdentifier(kind, body[kind], ctx.workspace.settings);
    if (!result.ok) throw invalid(kind, result.reason);
    return { kind, value: result.value };
  });
  if (!changes.length) throw invalid('body', 'give at least one of email, phone, userId');
  return changes;
}

/**
 * `PATCH /api/profiles/:id` (issue 9, Iterable's `updateEmail`): sets a
 * profile's email, phone or userId as a verified claim, the primary key
 * included. The old value is retired and kept in the log
 * (`identifier_replaced`); a value another profile owns is a 409 naming the
 * field, since moving it would take it from that person (merge them first, or
 * change theirs). All or nothing, holding the locks of the new values and
 * of the profile.
 *
 * @example
 * await updateIdentifiers(ctx, id, { email: 'new@example.com' }) // → the profile, email replaced
 */
export async function updateIdentifiers(ctx: ServiceContext, id: string, body: unknown): Promise<ApiProfile> {
  const changes = parseChanges(ctx, body);
  const ws = ctx.workspace.id;
  // The new values' locks (nobody may take them meanwhile) and the profile's (its identities change).
  const profileId = await identityTransaction(ctx, changes, [id], async (trx, locking) => {
    const record = await lockLiveProfile(ctx, trx, locking, id);
    const owners = await findOwners(trx, ws, changes);
    for (const c of changes) {
      const owner = owners.get(`${c.kind}:${c.value}`);
      if (owner && owner !== record.id)
        throw new DomainError('identifier_taken', `${c.kind}: ${c.value} belongs to another profile (${owner})`, 409, c.kind);
    }
    const current = (await identitiesOf(trx, ws, [record.id])).filter((i) => i.replacedAt === null);
    const now = ctx.now();
    const logs: NewLog[] = [];
    const ids: Partial<Record<PersonKind, string>> = {};
    for (const i of current) if (i.kind !== 'anonymousId') ids[i.kind] = i.value;
    for (const c of changes) {
      const old = ids[c.kind];
      if (old === c.value) continue;
      if (old !== undefined) await retireIdentity(trx, ws, { kind: c.kind, value: old }, now);
      await assignIdentities(trx, ws, [c], record.id, now);
      logs.push(
        old === undefined
          ? { profileId: record.id, type: 'identifier_added', at: now, details: { kind: c.kind, value: c.value, via: 'api' } }
          : { profileId: record.id, type: 'identifier_replaced', at: now, details: { kind: c.kind, old, new: c.value, via: 'api' } },
      );
      ids[c.kind] = c.value;
    }
    if (logs.length) {
      await updateProfile(trx, ws, record.id, { status: statusOf(ids, ctx.workspace.settings.primaryKey), now });
      await appendLog(trx, ws, logs);
    }
    return record.id;
  });
  return readProfile(ctx, profileId);
}
