import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ErrorPage } from '../../console/error-page.js';
import { DomainError } from '../../domain/errors.js';
import type { RouteDeps } from '../../env.js';
import type { ConsoleEnv } from '../../middleware/console-env.js';

/** Console errors as pages: a domain error says what was wrong; anything else is logged and answered with the request ID only. */
export const consoleErrorPage =
  (deps: RouteDeps): ErrorHandler<ConsoleEnv> =>
  (err, c) => {
    const csrfToken = c.get('csrfToken');
    if (err instanceof DomainError) {
      const title = err.status === 404 ? 'Not found' : 'That did not work';
      return c.html(<ErrorPage title={title} message={err.message} csrfToken={csrfToken} />, err.status);
    }
    // hono/csrf refuses a post from another origin with a 403.
    if (err instanceof HTTPException)
      return c.html(<ErrorPage title="Refused" message={err.message || 'Request refused.'} csrfToken={csrfToken} />, err.status);
    deps.logger.error({ err, requestId: c.get('requestId') }, 'unhandled console error');
    return c.html(
      <ErrorPage title="Something went wrong" message={`Internal error (request ${c.get('requestId')}).`} csrfToken={csrfToken} />,
      500,
    );
  };
