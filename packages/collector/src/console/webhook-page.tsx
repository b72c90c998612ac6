import type { endpointDeliveries } from '../services/webhooks.js';
import { Layout } from './layout.js';
import { PostButton, ToggleActions } from './post-button.js';
import { Notice } from './notice.js';
import type { ApiEndpoint } from './webhooks-page.js';
import { NextPage } from './next-page.js';

type ApiDelivery = Awaited<ReturnType<typeof endpointDeliveries>>['deliveries'][number];

/** A button that posts to one action of the endpoint, with the CSRF token. */
/**
 * One endpoint: its state with enable / disable and delete, the signing
 * secret only right after creation (`secret`), and its deliveries with Retry.
 */
export function WebhookPage(props: {
  csrfToken: string;
  endpoint: ApiEndpoint;
  deliveries: ApiDelivery[];
  /** The cursor of the next page of deliveries (oldest first, as the admin API pages them). */
  next: string | null;
  secret?: string;
  ok?: string;
}) {
  const e = props.endpoint;
  const base = `/console/webhooks/${e.id}`;
  return (
    <Layout title={`Webhook ${e.url}`} active="webhooks" csrfToken={props.csrfToken}>
      <Notice ok={props.ok} />
      {props.secret && (
        <section class="card" aria-labelledby="secret">
          <h2 id="secret">Signing secret</h2>
          <p>Copy it now: this page shows it only once. Verify each delivery's webhook-signature with it.</p>
          <p class="mono" data-testid="secret">
            {props.secret}
          </p>
        </section>
      )}
      <dl>
        <dt>Events</dt>
        <dd>{e.events.join(', ')}</dd>
        <dt>Description</dt>
        <dd>{e.description ?? '—'}</dd>
        <dt>State</dt>
        <dd data-testid="state">{e.enabled ? 'enabled' : `disabled${e.disabledReason ? ` (${e.disabledReason})` : ''}`}</dd>
      </dl>
      <ToggleActions csrfToken={props.csrfToken} base={base} enabled={e.enabled} deleteLabel="Delete endpoint" />
      <section aria-labelledby="deliveries">
        <h2 id="deliveries">Deliveries</h2>
        {props.deliveries.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                {['Created', 'Type', 'Status', 'Attempts', 'Last answer', 'Retry'].map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.deliveries.map((d) => (
                <tr data-delivery={d.id}>
                  <td>{d.createdAt.replace('T', ' ').slice(0, 19)}</td>
                  <td>{d.type}</td>
                  <td>{d.status}</td>
                  <td>{d.attempts}</td>
                  <td>{d.lastStatus ?? d.lastError ?? '—'}</td>
                  <td>
                    <PostButton csrfToken={props.csrfToken} action={`${base}/deliveries/${d.id}/retry`} label="Retry" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <NextPage href={base} next={props.next} />
      </section>
    </Layout>
  );
}
