import { randomUUID } from 'node:crypto';
import { POPUP_EVENTS } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { createWorkspace } from '../../repos/workspaces.js';
import { useTestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { createRule } from '../../test-support/popups.js';

const databases = await testDatabases();

describe.each(databases)('popup stats on $name', (store) => {
  const t = useTestApp(store);

  const popupEvent = (anonymousId: string, event: string, popupId: unknown, extra: Record<string, unknown> = {}) => ({
    type: 'track',
    messageId: randomUUID(),
    anonymousId,
    event,
    properties: { popupId, ...extra },
  });
  /** Sends messages the way the SDK flushes them: one /v1/batch with the write key. */
  const batch = async (messages: unknown[], writeKey = t.writeKey) => {
    const res = await t.app.request('/v1/batch', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ writeKey, batch: messages }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.rejected).toEqual([]);
    return body;
  };
  const stats = async (id: string) => {
    const res = await t.admin(`/api/popups/${id}/stats`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('answers zeros for a rule nobody saw', async () => {
    const rule = await createRule(t);
    expect(await stats(rule.id)).toEqual({ viewed: 0, dismissed: 0, converted: 0, visitors: 0 });
  });

  it('counts the tracked popup events of this rule only', async () => {
    const rule = await createRule(t, { name: 'mine' });
    const other = await createRule(t, { name: 'other' });
    await batch([
      popupEvent('v1', POPUP_EVENTS.viewed, rule.id),
      popupEvent('v1', POPUP_EVENTS.dismissed, rule.id),
      popupEvent('v1', POPUP_EVENTS.viewed, rule.id),
      popupEvent('v2', POPUP_EVENTS.viewed, rule.id),
      popupEvent('v2', POPUP_EVENTS.converted, rule.id, { field: 'email' }),
      popupEvent('v3', POPUP_EVENTS.viewed, other.id),
      // Not popup events, or not this popup: not counted.
      popupEvent('v3', 'Product Viewed', rule.id),
      popupEvent('v3', POPUP_EVENTS.viewed, undefined),
      popupEvent('v3', POPUP_EVENTS.viewed, 12345),
      { type: 'page', messageId: randomUUID(), anonymousId: 'v3', name: POPUP_EVENTS.viewed, properties: { popupId: rule.id } },
    ]);
    expect(await stats(rule.id)).toEqual({ viewed: 3, dismissed: 1, converted: 1, visitors: 2 });
    expect(await stats(other.id)).toEqual({ viewed: 1, dismissed: 0, converted: 0, visitors: 1 });
  });

  it('counts a re-sent event once', async () => {
    const rule = await createRule(t);
    const viewed = popupEvent('v1', POPUP_EVENTS.viewed, rule.id);
    await batch([viewed]);
    await batch([viewed, popupEvent('v1', POPUP_EVENTS.dismissed, rule.id)]);
    expect(await stats(rule.id)).toEqual({ viewed: 1, dismissed: 1, converted: 0, visitors: 1 });
  });

  it('keeps counting after the visitor identified, and counts a merged person once', async () => {
    const rule = await createRule(t);
    await batch([popupEvent('phone-visit', POPUP_EVENTS.viewed, rule.id), popupEvent('laptop-visit', POPUP_EVENTS.viewed, rule.id)]);
    expect(await stats(rule.id)).toMatchObject({ viewed: 2, visitors: 2 });

    // The capture form converts on the laptop: the SDK tracks the conversion and identifies in one flush.
    await batch([
      popupEvent('laptop-visit', POPUP_EVENTS.converted, rule.id),
      { type: 'identify', messageId: randomUUID(), anonymousId: 'laptop-visit', traits: { email: 'ana@example.com' } },
    ]);
    expect(await stats(rule.id)).toEqual({ viewed: 2, dismissed: 0, converted: 1, visitors: 2 });

    // Later the phone identifies as the same person: the two profiles merge.
    await batch([
      { type: 'identify', messageId: randomUUID(), anonymousId: 'phone-visit', traits: { email: 'ana@example.com' } },
      popupEvent('phone-visit', POPUP_EVENTS.dismissed, rule.id),
    ]);
    const profile = await t.admin('/api/profiles/lookup?email=ana@example.com');
    expect(profile.body.anonymousIds.sort()).toEqual(['laptop-visit', 'phone-visit']);
    expect(await stats(rule.id)).toEqual({ viewed: 2, dismissed: 1, converted: 1, visitors: 1 });
  });

  it('never counts another workspace’s events, even naming this rule', async () => {
    const rule = await createRule(t);
    const theirs = await createWorkspace(t.database.db, { name: 'theirs' }, 0);
    await batch([popupEvent('v1', POPUP_EVENTS.viewed, rule.id)], theirs.writeKey);
    await batch([popupEvent('v1', POPUP_EVENTS.converted, rule.id)]);
    expect(await stats(rule.id)).toEqual({ viewed: 0, dismissed: 0, converted: 1, visitors: 1 });
  });
});
