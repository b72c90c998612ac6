import type { triggerFirings } from '../services/triggers.js';
import { Layout } from './layout.js';
import { ToggleActions } from './post-button.js';
import { Notice } from './notice.js';
import { type ApiTrigger, windowText } from './triggers-page.js';
import { NextPage } from './next-page.js';

type ApiFiring = Awaited<ReturnType<typeof triggerFirings>>['firings'][number];

const at = (s: string | null) => (s ? s.replace('T', ' ').slice(0, 19) : '—');

/** One trigger: its condition, enable / disable and delete, and its firings (oldest first, paged). */
export function TriggerPage(props: { csrfToken: string; trigger: ApiTrigger; firings: ApiFiring[]; next: string | null; ok?: string }) {
  const tr = props.trigger;
  const base = `/console/triggers/${tr.id}`;
  return (
    <Layout title={`Trigger ${tr.name}`} active="triggers" csrfToken={props.csrfToken}>
      <Notice ok={props.ok} />
      <dl>
        <dt>Condition</dt>
        <dd class="mono">{JSON.stringify(tr.condition)}</dd>
        <dt>Channel</dt>
        <dd>{tr.channel}</dd>
        <dt>Wait for</dt>
        <dd>{windowText(tr.waitFor)}</dd>
        <dt>State</dt>
        <dd data-testid="state">{tr.enabled ? 'enabled' : 'disabled'}</dd>
      </dl>
      <ToggleActions csrfToken={props.csrfToken} base={base} enabled={tr.enabled} deleteLabel="Delete trigger" />
      <section aria-labelledby="firings">
        <h2 id="firings">Firings</h2>
        {props.firings.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                {['Profile', 'Status', 'Matched', 'Expires', 'Fired'].map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.firings.map((f) => (
                <tr>
                  <td>
                    <a href={`/console/people/${f.profileId}`} class="mono">
                      {f.profileId}
                    </a>
                  </td>
                  <td>{f.status}</td>
                  <td>{at(f.matchedAt)}</td>
                  <td>{at(f.expiresAt)}</td>
                  <td>{at(f.firedAt)}</td>
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
