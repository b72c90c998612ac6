import type { ContactInput } from '../domain/import/contact.js';
import { readContact, rejectedRow, type ImportItem, type ReadRow } from '../domain/import/read-row.js';
import { DomainError } from '../domain/errors.js';
import { identitiesOf } from '../repos/identities.js';
import type { ServiceContext } from './context.js';
import { liveProfile } from './profile-view.js';

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * A row naming a profile by GUID (a re-imported profile report) is about
 * that profile: its current identifiers fill the kinds the row leaves empty,
 * so the identity rules land the row on it (a merged-away GUID lands on its
 * survivor). A profile with no person identifier is matched by its anonymous
 * ID. Answers undefined for a GUID no live profile has.
 */
async function ofProfile(ctx: ServiceContext, contact: ContactInput): Promise<{ contact: ContactInput; anonymousId?: string } | undefined> {
  const record = await liveProfile(ctx, contact.profileId!).catch((err) => {
    if (err instanceof DomainError && err.status === 404) return undefined;
    throw err;
  });
  if (!record) return undefined;
  const held = (await identitiesOf(ctx.database.db, ctx.workspace.id, [record.id])).filter((i) => i.replacedAt === null);
  const filled: ContactInput = { ...contact };
  for (const kind of ['userId', 'email', 'phone'] as const) {
    const value = held.find((i) => i.kind === kind)?.value;
    if (blank(filled[kind]) && value) filled[kind] = value;
  }
  // Matched by its anonymous ID only when it holds no person identifier: otherwise those decide, as on identify.
  const personal = held.some((i) => i.kind !== 'anonymousId');
  return { contact: filled, anonymousId: personal ? undefined : held.find((i) => i.kind === 'anonymousId')?.value };
}

/**
 * Reads one import row into a verified claim and the opt-outs it carries
 * (readContact); a row naming a profile by GUID is read against that
 * profile's identifiers first. A row read already (on the CSV thread) is
 * taken as it is.
 *
 * @example
 * await readImportRow(ctx, importItem(1, { email: 'ana@example.com', traits: {}, optOuts: [{ channel: 'email', field: 'email_opt_out' }] }))
 */
export async function readImportRow(ctx: ServiceContext, item: ImportItem): Promise<ReadRow> {
  const { row } = item;
  if ('read' in item) return item.read;
  if ('rejection' in item) return rejectedRow(row, item.rejection);
  let contact = item.contact;
  let anonymousId: string | undefined;
  if (contact.profileId !== undefined) {
    const found = await ofProfile(ctx, contact);
    if (!found) return rejectedRow(row, { field: 'id', reason: 'no profile has this id (a GUID from a profile report)' });
    ({ contact, anonymousId } = found);
  }
  return readContact(row, contact, ctx.workspace.settings, anonymousId);
}
