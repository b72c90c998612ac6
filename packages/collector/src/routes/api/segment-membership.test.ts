import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useTestApp } from '../../test-support/app.js';
import { HOUR, MINUTE, memberIds, outbox, saveSegment, suppressAddress, workspaceIdOf } from '../../test-support/audience.js';
import { testDatabases } from '../../test-support/databases.js';
import { identify, logOf, profileOf, track } from '../../test-support/identity.js';
import { importBulk } from '../../test-support/imports.js';

vi.mock('../../repos/outbox.js', async () => ({ appendOutbox: (await import('../../test-support/audience.js')).recordOutbox }));

const databases = await testDatabases();

const CART = { all: [{ event: 'Product Added', within: { hours: 4 } }, { not: { event: 'Order Completed', within: { hours: 4 } } }] };

describe.each(databases)('live segment membership on $name', (store) => {
  const t = useTestApp(store);
  beforeEach(() => {
    outbox.length = 0;
  });
  const announced = (type: string) => outbox.filter((e) => e.type === type).map((e) => e.data);
  const storedRows = async (segmentId: string) =>
    (await t.database.db.selectFrom('segment_members').select('profile_id').where('segment_id', '=', segmentId).execute()).map(
      (r) => r.profile_id,
    );

  it('starts from the members at creation, unannounced, and stores them', async () => {
    await track(t, 'v-1', 'Product Added');
    const id = await saveSegment(t, CART);
    const visitor = (await profileOf(t, 'anonymousId', 'v-1'))!;
    expect(await storedRows(id)).toEqual([visitor.id]);
    expect(await memberIds(t, id)).toEqual([visitor.id]);
    expect(outbox.filter((e) => e.type.startsWith('segment.'))).toEqual([]);
  });

  it('announces who entered and left as events arrive', async () => {
    const id = await saveSegment(t, CART);
    await track(t, 'v-1', 'Product Added');
    const visitor = (await profileOf(t, 'anonymousId', 'v-1'))!;
    expect(await memberIds(t, id)).toEqual([visitor.id]);
    expect(announced('segment.entered')).toEqual([{ segmentId: id, profileId: visitor.id }]);

    await track(t, 'v-1', 'Order Completed');
    expect(await memberIds(t, id)).toEqual([]);
    expect(announced('segment.exited')).toEqual([{ segmentId: id, profileId: visitor.id }]);
    expect(await storedRows(id)).toEqual([]);
  });

  it('lets a member leave as its window closes, with no new event', async () => {
    const id = await saveSegment(t, CART);
    await track(t, 'v-1', 'Product Added');
    expect(await memberIds(t, id)).toHaveLength(1);
    t.tick(4 * HOUR - MINUTE);
    expect(await memberIds(t, id)).toHaveLength(1);
    t.tick(2 * MINUTE);
    expect(await memberIds(t, id)).toEqual([]);
    expect(announced('segment.exited')).toHaveLength(1);
  });

  it('lets a profile enter when a "did not" window closes ("no order within 2 hours")', async () => {
    const id = await saveSegment(t, { all: [{ has: 'email' }, { not: { event: 'Order Completed', within: { hours: 2 } } }] });
    await identify(t, { anonymousId: 'v-1', email: 'ana@example.com' });
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!;
    expect(await memberIds(t, id)).toEqual([ana.id]);
    await track(t, 'v-1', 'Order Completed');
    expect(await memberIds(t, id)).toEqual([]);
    outbox.length = 0;
    t.tick(2 * HOUR + MINUTE);
    expect(await memberIds(t, id)).toEqual([ana.id]);
    expect(announced('segment.entered')).toEqual([{ segmentId: id, profileId: ana.id }]);
  });

  it('follows merges: the survivor enters with the anonymous history, the merged profile leaves', async () => {
    const id = await saveSegment(t, { all: [{ event: 'Product Added' }, { has: 'phone' }] });
    const anyCart = await saveSegment(t, { event: 'Product Added' });
    await identify(t, { anonymousId: 'v-phone', email: 'ana@example.com', phone: '+14155552671' });
    await track(t, 'v-cart', 'Product Added');
    const cart = (await profileOf(t, 'anonymousId', 'v-cart'))!;
    expect(await memberIds(t, anyCart)).toEqual([cart.id]);
    expect(await memberIds(t, id)).toEqual([]);

    await identify(t, { anonymousId: 'v-cart', email: 'ana@example.com' }); // v-cart's profile merges into ana's
    const survivor = (await profileOf(t, 'phone', '+14155552671'))!;
    expect(survivor.id).not.toBe(cart.id);
    expect(await memberIds(t, id)).toEqual([survivor.id]);
    expect(await memberIds(t, anyCart)).toEqual([survivor.id]);
    expect(announced('segment.exited')).toContainEqual({ segmentId: anyCart, profileId: cart.id });
  });

  it('drops a deleted profile and re-checks a suppressed one', async () => {
    const id = await saveSegment(t, { all: [{ has: 'email' }, { suppressed: 'email', is: false }] });
    await identify(t, { anonymousId: 'v-1', email: 'ana@example.com' });
    await identify(t, { anonymousId: 'v-2', email: 'bo@example.com' });
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!;
    const bo = (await profileOf(t, 'email', 'bo@example.com'))!;
    expect((await memberIds(t, id)).sort()).toEqual([ana.id, bo.id].sort());

    await suppressAddress(t, 'email', 'ana@example.com');
    expect(await memberIds(t, id)).toEqual([bo.id]);
    expect((await t.admin(`/api/profiles/${bo.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await memberIds(t, id)).toEqual([]);
    expect(announced('segment.exited').map((e) => e.profileId)).toEqual([ana.id, bo.id]);
  });

  it('counts size and reachability from the membership, and drops it with the segment', async () => {
    const id = await saveSegment(t, { event: 'Product Added' });
    await identify(t, { anonymousId: 'v-1', email: 'ana@example.com' });
    await track(t, 'v-1', 'Product Added');
    await track(t, 'v-2', 'Product Added');
    const read = await t.admin(`/api/segments/${id}`);
    expect(read.body).toMatchObject({ size: 2, contacts: 1, anonymous: 1, reachability: { email: 1, sms: 0 } });
    const report = await t.admin(`/api/reports/profiles?segment=${id}&format=json`);
    expect(report.body.profiles).toHaveLength(2);
    expect((await t.admin(`/api/segments/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await storedRows(id)).toEqual([]);
  });

  it('rebuilds the membership unannounced when the definition changes', async () => {
    const id = await saveSegment(t, { event: 'Product Added' });
    await track(t, 'v-1', 'Product Added');
    await track(t, 'v-2', 'Product Viewed');
    expect(await memberIds(t, id)).toHaveLength(1);
    outbox.length = 0;
    await t.admin(`/api/segments/${id}`, { method: 'PATCH', body: { definition: { event: 'Product Viewed' } } });
    const viewer = (await profileOf(t, 'anonymousId', 'v-2'))!;
    expect(await memberIds(t, id)).toEqual([viewer.id]);
    expect(outbox.filter((e) => e.type.startsWith('segment.'))).toEqual([]);
  });

  it('builds the membership of a segment saved before live membership, unannounced, at the next pass', async () => {
    await track(t, 'v-1', 'Product Added');
    const id = await saveSegment(t, { event: 'Product Added' });
    // As a database migrated from before 0009_audience leaves it: no rows, never built.
    await t.database.db.deleteFrom('segment_members').execute();
    await t.database.db.updateTable('segments').set({ members_at: null }).execute();
    const visitor = (await profileOf(t, 'anonymousId', 'v-1'))!;
    expect(await memberIds(t, id)).toEqual([visitor.id]);
    expect(outbox.filter((e) => e.type.startsWith('segment.'))).toEqual([]);
  });

  it('follows imports and unmerges', async () => {
    const withEmail = await saveSegment(t, { has: 'email' });
    const carts = await saveSegment(t, { event: 'Product Added' });
    await importBulk(t, [{ email: 'ana@example.com' }]);
    const ana = (await profileOf(t, 'email', 'ana@example.com'))!;
    expect(await memberIds(t, withEmail)).toEqual([ana.id]);

    await track(t, 'v-cart', 'Product Added');
    const cart = (await profileOf(t, 'anonymousId', 'v-cart'))!;
    await identify(t, { anonymousId: 'v-cart', email: 'ana@example.com' }); // the cart merges into ana
    expect(await memberIds(t, carts)).toEqual([ana.id]);

    const merge = (await logOf(t, ana.id)).find((e) => e.type === 'merged')!;
    expect((await t.admin(`/api/profiles/${ana.id}/unmerge`, { method: 'POST', body: { logId: merge.id } })).status).toBe(200);
    expect(await memberIds(t, carts)).toEqual([cart.id]);
    expect(await memberIds(t, withEmail)).toEqual([ana.id]);
  });

  it('keeps each workspace to itself: marks are per workspace', async () => {
    await saveSegment(t, { event: 'Product Added' });
    await track(t, 'v-1', 'Product Added');
    const ws = await workspaceIdOf(t);
    const marks = await t.database.db.selectFrom('audience_dirty').select(['workspace_id']).execute();
    expect(marks.map((m) => m.workspace_id)).toEqual([ws]);
  });
});
