import { TRIGGER_CHANNELS } from '../domain/triggers/parse-trigger.js';
import type { listTriggersApi } from '../services/triggers.js';
import { CsrfField } from './csrf-field.js';
import { Layout } from './layout.js';
import { Notice } from './notice.js';

export type ApiTrigger = Awaited<ReturnType<typeof listTriggersApi>>['triggers'][number];

/**
 * A window in words.
 *
 * @example
 * windowText({ hours: 72 }) // → '72 hours'
 */
export const windowText = (w: Record<string, number | undefined>) =>
  Object.entries(w)
    .filter(([, n]) => n !== undefined)
    .map(([unit, n]) => `${n} ${unit}`)
    .join(' ');

const UNITS = ['hours', 'minutes', 'days'];

/** The create form: name, the condition as a segment definition in JSON, channel, and how long to wait. */
function NewTrigger(props: { csrfToken: string; f: Record<string, string> }) {
  const f = props.f;
  return (
    <form method="post" action="/console/triggers" class="stack">
      <CsrfField token={props.csrfToken} />
      <label for="name">Name</label>
      <input id="name" name="name" required value={f.name ?? ''} />
      <label for="condition">Condition (a segment definition as JSON)</label>
      <textarea id="condition" name="condition" rows={4} required aria-describedby="condition-hint">
        {f.condition ?? ''}
      </textarea>
      <small id="condition-hint" class="hint">
        For example {'{"not":{"event":"Order Completed","within":{"hours":4}}}'}
      </small>
      <label for="channel">Channel the profile must be reachable on</label>
      <select id="channel" name="channel">
        {TRIGGER_CHANNELS.map((c) => (
          <option value={c} selected={f.channel === c}>
            {c}
          </option>
        ))}
      </select>
      <label for="waitFor">Wait for</label>
      <input id="waitFor" name="waitFor" type="number" min={1} required value={f.waitFor ?? ''} />
      <label for="waitUnit">Wait unit</label>
      <select id="waitUnit" name="waitUnit">
        {UNITS.map((u) => (
          <option value={u} selected={f.waitUnit === u}>
            {u}
          </option>
        ))}
      </select>
      <button type="submit" class="primary">
        Create trigger
      </button>
    </form>
  );
}

/** Every trigger with its state, and the form for a new one. */
export function TriggersPage(props: { csrfToken: string; triggers: ApiTrigger[]; f: Record<string, string>; error?: string; ok?: string }) {
  return (
    <Layout title="Triggers" active="triggers" csrfToken={props.csrfToken}>
      <Notice error={props.error} ok={props.ok} />
      <section aria-labelledby="triggers">
        <h2 id="triggers">Triggers</h2>
        {props.triggers.length === 0 ? (
          <p>No triggers yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                {['Name', 'Channel', 'Wait for', 'On'].map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.triggers.map((tr) => (
                <tr>
                  <td>
                    <a href={`/console/triggers/${tr.id}`}>{tr.name}</a>
                  </td>
                  <td>{tr.channel}</td>
                  <td>{windowText(tr.waitFor)}</td>
                  <td>{tr.enabled ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="new-trigger">
        <h2 id="new-trigger">New trigger</h2>
        <NewTrigger csrfToken={props.csrfToken} f={props.f} />
      </section>
    </Layout>
  );
}
