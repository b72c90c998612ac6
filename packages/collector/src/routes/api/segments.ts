import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../env.js';
import { jsonBody } from '../../middleware/json-body.js';
import {
  createSegment,
  listSavedSegments,
  patchSegment,
  previewSegment,
  readSegment,
  removeSegment,
  segmentProfiles,
} from '../../services/segments.js';
import { serviceContext } from '../service-context.js';
import { limitParam, statusParam } from './params.js';

/** A definition of 50 conditions fits in a few KB; anything far larger is not a segment. */
const MAX_SEGMENT_BODY = 64 * 1024;

/** Segments (SPEC §5): preview a definition, save, list, read with live counts, change, delete, list members. */
export function segmentRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const body = jsonBody(MAX_SEGMENT_BODY);

  app.post('/preview', body, async (c) => c.json(await previewSegment(serviceContext(c, deps), c.get('body'))));
  app.post('/', body, async (c) => c.json(await createSegment(serviceContext(c, deps), c.get('body')), 201));
  app.get('/', async (c) => c.json(await listSavedSegments(serviceContext(c, deps))));
  app.get('/:id', async (c) => c.json(await readSegment(serviceContext(c, deps), c.req.param('id'))));
  app.patch('/:id', body, async (c) => c.json(await patchSegment(serviceContext(c, deps), c.req.param('id'), c.get('body'))));
  app.delete('/:id', async (c) => {
    await removeSegment(serviceContext(c, deps), c.req.param('id'));
    return c.body(null, 204);
  });
  app.get('/:id/profiles', async (c) =>
    c.json(
      await segmentProfiles(serviceContext(c, deps), c.req.param('id'), {
        status: statusParam(c.req.query('status')),
        limit: limitParam(c.req.query('limit'), 100, 1000),
        after: c.req.query('after'),
      }),
    ),
  );
  return app;
}
