import { WEBHOOK_TYPES } from '../domain/webhooks/types.js';
import type { listWebhookEndpoints } from '../services/webhooks.js';
import { CsrfField } from './csrf-field.js';
import { Layout } from './layout.js';
import { Notice } from './notice.js';

export type ApiEndpoint = Awaited<ReturnType<typeof listWebhookEndpoints>>['webhooks'][number];

/** The create form: URL, the event types (every one, or "*"), a description. Refilled after an error. */
function NewEndpoint(props: { csrfToken: string; f: Record<string, string | string[]> }) {
  const chosen = new Set([props.f.events ?? []].flat());
  return (
    <form method="post" action="/console/webhooks" class="stack">
      <CsrfField token={props.csrfToken} />
      <label for="url">Endpoint URL</label>
      <input id="url" name="url" type="url" required value={String(props.f.url ?? '')} />
      <fieldset>
        <legend>Events</legend>
        {['*', ...WEBHOOK_TYPES].map((type, i) => (
          <span class="field check">
            <input id={`event-${i}`} name="events" type="checkbox" value={type} checked={chosen.has(type)} />
            <label for={`event-${i}`}>{type === '*' ? 'Every event (*)' : type}</label>
          </span>
        ))}
      </fieldset>
      <label for="description">Description (optional)</label>
      <input id="description" name="description" value={String(props.f.description ?? '')} />
      <button type="submit" class="primary">
        Create endpoint
      </button>
    </form>
  );
}

/** Webhook endpoints with their state, and the form for a new one. */
export function WebhooksPage(props: {
  csrfToken: string;
  endpoints: ApiEndpoint[];
  f: Record<string, string | string[]>;
  error?: string;
  ok?: string;
}) {
  return (
    <Layout title="Webhooks" active="webhooks" csrfToken={props.csrfToken}>
      <Notice error={props.error} ok={props.ok} />
      <section aria-labelledby="endpoints">
        <h2 id="endpoints">Endpoints</h2>
        {props.endpoints.length === 0 ? (
          <p>No endpoints yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                {['URL', 'Events', 'Description', 'State'].map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.endpoints.map((e) => (
                <tr>
                  <td>
                    <a href={`/console/webhooks/${e.id}`}>{e.url}</a>
                  </td>
                  <td>{e.events.join(', ')}</td>
                  <td>{e.description ?? '—'}</td>
                  <td>{e.enabled ? 'enabled' : `disabled${e.disabledReason ? ` (${e.disabledReason})` : ''}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="new-endpoint">
        <h2 id="new-endpoint">New endpoint</h2>
        <NewEndpoint csrfToken={props.csrfToken} f={props.f} />
      </section>
    </Layout>
  );
}
