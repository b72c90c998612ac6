import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../env.js';
import type { ServiceContext } from '../services/context.js';

export const serviceContext = (c: Context<AppEnv>, deps: AppDeps): ServiceContext => ({
  database: deps.database,
  workspace: c.get('workspace'),
  now: deps.now,
  newId: deps.newId,
});
