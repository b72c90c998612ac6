import type { PopupRule } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { createWorkspace } from '../../repos/workspaces.js';
import { useTestApp } from '../../test-support/app.js';
import { testDatabases } from '../../test-support/databases.js';
import { createRule, ruleInput } from '../../test-support/popups.js';

const databases = await testDatabases();

describe.each(databases)('popup rules admin API on $name', (store) => {
  const t = useTestApp(store);

  describe('CRUD', () => {
    it('creates a rule with defaults filled in and reads it back', async () => {
      const res = await t.admin<PopupRule>('/api/popups', { method: 'POST', body: ruleInput() });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        ...ruleInput(),
        enabled: true,
        priority: 0,
        pages: { include: [], exclude: [] },
        frequency: {},
        createdAt: '2026-01-01T12:00:00.000Z',
        updatedAt: '2026-01-01T12:00:00.000Z',
      });
      const read = await t.admin(`/api/popups/${res.body.id}`);
      expect(read).toEqual({ status: 200, body: res.body });
    });

    it('keeps every field of a full rule', async () => {
      const full = ruleInput({
        enabled: false,
        priority: 5,
        audience: 'anonymous',
        pages: {
          include: [
            { match: 'startsWith', value: '/products/' },
            { match: 'regex', value: '^/p/\\d+$' },
          ],
          exclude: [{ match: 'glob', value: '/checkout/*' }],
        },
        trigger: { type: 'scrollDepth', percent: 50 },
        frequency: { maxImpressions: 3, maxPerSession: 1, minIntervalSeconds: 3600, stopAfterDismiss: true, stopAfterConversion: true },
        form: {
          field: 'phone',
          label: 'Mobile',
          placeholder: '+1 …',
          submitLabel: 'Send',
          consentText: 'We text you offers.',
          successText: 'Thanks!',
        },
      });
      const created = await createRule(t, full);
      expect(created).toMatchObject(full);
      expect((await t.admin(`/api/popups/${created.id}`)).body).toEqual(created);
    });

    it('replaces a rule with PUT, keeping its id and createdAt', async () => {
      const created = await createRule(t);
      t.tick(60_000);
      const replacement = ruleInput({ name: 'Exit offer', trigger: { type: 'exitIntent' }, content: { title: 'Wait!' } });
      const res = await t.admin<PopupRule>(`/api/popups/${created.id}`, { method: 'PUT', body: replacement });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        ...replacement,
        id: created.id,
        createdAt: created.createdAt,
        updatedAt: '2026-01-01T12:01:00.000Z',
      });
      // A replacement, not a patch: the old CTA is gone.
      expect(res.body.content).toEqual({ title: 'Wait!' });
      expect((await t.admin(`/api/popups/${created.id}`)).body).toEqual(res.body);
    });

    it('deletes a rule: 204, then 404 on every route', async () => {
      const created = await createRule(t);
      expect((await t.admin(`/api/popups/${created.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await t.admin(`/api/popups/${created.id}`)).status).toBe(404);
      expect((await t.admin(`/api/popups/${created.id}`, { method: 'DELETE' })).status).toBe(404);
      expect((await t.admin(`/api/popups/${created.id}`, { method: 'PUT', body: ruleInput() })).status).toBe(404);
      expect((await t.admin(`/api/popups/${created.id}/stats`)).status).toBe(404);
      expect((await t.admin('/api/popups')).body).toEqual({ popups: [] });
    });

    it('answers 404 with the error shape for an unknown id', async () => {
      const res = await t.admin('/api/popups/nope');
      expect(res).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'popup not found' } } });
    });

    it('lists rules by priority, highest first, then oldest first, disabled ones included', async () => {
      const low = await createRule(t, { name: 'low', priority: -1 });
      t.tick(1);
      const first = await createRule(t, { name: 'first', priority: 10 });
      t.tick(1);
      const disabled = await createRule(t, { name: 'disabled', priority: 3, enabled: false });
      t.tick(1);
      const second = await createRule(t, { name: 'second', priority: 10 });
      t.tick(1);
      const plain = await createRule(t, { name: 'plain' });
      const { status, body } = await t.admin<{ popups: PopupRule[] }>('/api/popups');
      expect(status).toBe(200);
      expect(body.popups.map((p) => p.name)).toEqual(['first', 'second', 'disabled', 'plain', 'low']);
      expect(body.popups.map((p) => p.id)).toEqual([first.id, second.id, disabled.id, plain.id, low.id]);
    });
  });

  describe('auth and workspaces', () => {
    it('refuses requests without the secret key, and the write key', async () => {
      expect((await t.app.request('/api/popups')).status).toBe(401);
      const withWriteKey = await t.app.request('/api/popups', { headers: { Authorization: `Bearer ${t.writeKey}` } });
      expect(withWriteKey.status).toBe(401);
    });

    it('never shows or changes one workspace’s rules to another (404)', async () => {
      const mine = await createRule(t, { name: 'mine' });
      const theirs = await createWorkspace(t.database.db, { name: 'theirs' }, 0);
      const as = (path: string, init: { method?: string; body?: unknown } = {}) =>
        t.app.request(path, {
          method: init.method ?? 'GET',
          headers: { Authorization: `Bearer ${theirs.secretKey}`, 'Content-Type': 'application/json' },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
        });
      await as('/api/popups', { method: 'POST', body: ruleInput({ name: 'theirs' }) });
      expect((await as(`/api/popups/${mine.id}`)).status).toBe(404);
      expect((await as(`/api/popups/${mine.id}/stats`)).status).toBe(404);
      expect((await as(`/api/popups/${mine.id}`, { method: 'PUT', body: ruleInput({ name: 'hijacked' }) })).status).toBe(404);
      expect((await as(`/api/popups/${mine.id}`, { method: 'DELETE' })).status).toBe(404);
      expect((await (await as('/api/popups')).json()).popups.map((p: PopupRule) => p.name)).toEqual(['theirs']);
      expect((await t.admin('/api/popups')).body.popups.map((p: PopupRule) => p.name)).toEqual(['mine']);
      expect((await t.admin(`/api/popups/${mine.id}`)).body).toEqual(mine);
    });
  });
});
