import { Hono } from 'hono';
import { invalid } from '../../domain/errors.js';
import type { AppDeps, AppEnv } from '../../env.js';
import { updateIdentifiers } from '../../services/profile-identifiers.js';
import { readProfile } from '../../services/profile-view.js';
import { deleteProfile, listProfilesPage, lookupProfile, profileEvents, profileLog } from '../../services/profiles.js';
import { unmerge } from '../../services/unmerge.js';
import { channelOf } from '../../domain/reach/address.js';
import { suppressProfileChannel } from '../../services/profile-suppressions.js';
import { serviceContext } from '../service-context.js';
import { limitParam, statusParam } from './params.js';

/** Profiles (SPEC §9): list, lookup, read, change identifiers, timeline, contact log, unmerge, an operator's suppression, delete. */
export function profileRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const page = await listProfilesPage(serviceContext(c, deps), {
      status: statusParam(c.req.query('status')),
      limit: limitParam(c.req.query('limit'), 100, 1000),
      after: c.req.query('after'),
    });
    return c.json(page);
  });

  app.get('/lookup', async (c) => c.json(await lookupProfile(serviceContext(c, deps), c.req.queries())));
  app.get('/:id', async (c) => c.json(await readProfile(serviceContext(c, deps), c.req.param('id'))));
  app.get('/:id/events', async (c) => {
    const limit = limitParam(c.req.query('limit'), 1000, 10_000);
    return c.json(await profileEvents(serviceContext(c, deps), c.req.param('id'), limit, c.req.query('after')));
  });
  app.get('/:id/log', async (c) => c.json({ entries: await profileLog(serviceContext(c, deps), c.req.param('id')) }));
  app.post('/:id/unmerge', async (c) => {
    const body = await c.req.json().catch(() => {
      throw invalid('body', 'must be JSON');
    });
    return c.json(await unmerge(serviceContext(c, deps), c.req.param('id'), (body as { logId?: unknown })?.logId));
  });
  app.patch('/:id', async (c) => {
    const body = await c.req.json().catch(() => {
      throw invalid('body', 'must be JSON');
    });
    return c.json(await updateIdentifiers(serviceContext(c, deps), c.req.param('id'), body));
  });
  app.post('/:id/suppressions', async (c) => {
    const body = (await c.req.json().catch(() => {
      throw invalid('body', 'must be JSON');
    })) as { channel?: unknown; source?: unknown } | null;
    const channel = channelOf(body?.channel);
    if (body?.source !== undefined && (typeof body.source !== 'string' || !body.source.trim() || body.source.length > 200))
      throw invalid('source', 'must be a non-empty string of at most 200 characters');
    const source = typeof body?.source === 'string' ? body.source.trim() : 'operator';
    const suppressions = await suppressProfileChannel(serviceContext(c, deps), c.req.param('id'), channel, source);
    return c.json({ suppressions }, 201);
  });
  app.delete('/:id', async (c) => {
    await deleteProfile(serviceContext(c, deps), c.req.param('id'));
    return c.body(null, 204);
  });
  return app;
}
