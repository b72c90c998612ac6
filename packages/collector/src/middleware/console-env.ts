import type { Context } from 'hono';
import type { AppEnv, RouteDeps } from '../env.js';
import type { ServiceContext } from '../services/context.js';

/** The console's request variables: the admin API's, plus the session's CSRF token for its forms. */
export interface ConsoleEnv {
  Variables: AppEnv['Variables'] & { csrfToken: string };
}

export type ConsoleContext = Context<ConsoleEnv>;

/** The session cookie; versioned like every key we store in a browser. */
export const CONSOLE_COOKIE = 'tl_console_v1';

/** The same service context the admin API builds, from the signed-in session's workspace. */
export const consoleServices = (c: ConsoleContext, deps: RouteDeps): ServiceContext => ({
  database: deps.database,
  workspace: c.get('workspace'),
  now: deps.now,
  newId: deps.newId,
});

/** A form field as one string ('' when absent or a file). */
export async function formText(c: ConsoleContext, name: string): Promise<string> {
  const body = await c.req.parseBody({ all: true });
  const value = body[name];
  const one = Array.isArray(value) ? value[0] : value;
  return typeof one === 'string' ? one : '';
}

/** Every text field of a posted form (files left out), for the form → input mappers in domain/. */
export async function formFields(c: ConsoleContext): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    const texts = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
    if (texts.length) out[k] = texts.length === 1 ? texts[0]! : texts;
  }
  return out;
}
