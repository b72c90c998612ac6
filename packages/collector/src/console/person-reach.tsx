import type { ApiProfile } from '../services/profile-view.js';
import { CsrfField } from './csrf-field.js';

/**
 * The channels this profile holds an address for: the only ones an operator can suppress on it (SPEC §4).
 *
 * @example
 * suppressibleChannels({ ...profile, email: null, phone: '+14155550100', devices: [] }) // → ['sms', 'whatsapp']
 */
export function suppressibleChannels(p: ApiProfile): string[] {
  const out: string[] = [];
  if (p.email) out.push('email');
  if (p.phone) out.push('sms', 'whatsapp');
  const enabled = p.devices.filter((d) => d.enabled);
  if (enabled.some((d) => d.platform !== 'web')) out.push('push');
  if (enabled.some((d) => d.platform === 'web')) out.push('webpush');
  return out;
}

/** One suppression with the lift form: a lift needs the recorded re-opt-in (source, time, optional text). */
function Lift(props: { profileId: string; s: ApiProfile['suppressions'][number]; i: number; csrfToken: string; now: string }) {
  const { s, i } = props;
  const id = (f: string) => `lift-${i}-${f}`;
  return (
    <li>
      <strong>{s.channel}</strong>: {s.address} ({s.reason}, {s.source}, {s.at.slice(0, 10)})
      <details>
        <summary>Lift with evidence…</summary>
        <form method="post" action={`/console/people/${props.profileId}/suppressions/lift`} class="stack">
          <CsrfField token={props.csrfToken} />
          <input type="hidden" name="channel" value={s.channel} />
          <input type="hidden" name="address" value={s.address} />
          <label for={id('source')}>Where they opted in again</label>
          <input id={id('source')} name="source" required />
          <label for={id('at')}>When (ISO 8601)</label>
          <input id={id('at')} name="at" value={props.now} required />
          <label for={id('text')}>What they said (optional)</label>
          <textarea id={id('text')} name="text" rows={2} />
          <button type="submit">Lift suppression</button>
        </form>
      </details>
    </li>
  );
}

/** A person's suppressions (add one on an address it holds, lift one with evidence) and devices. */
export function PersonReach(props: { profile: ApiProfile; csrfToken: string; now: string }) {
  const p = props.profile;
  const channels = suppressibleChannels(p);
  return (
    <div class="grid">
      <section class="card" aria-labelledby="suppressions">
        <h2 id="suppressions">Suppressions</h2>
        {p.suppressions.length ? (
          <ul data-testid="suppressions">
            {p.suppressions.map((s, i) => (
              <Lift profileId={p.id} s={s} i={i} csrfToken={props.csrfToken} now={props.now} />
            ))}
          </ul>
        ) : (
          <p>Reachable on every channel it has an address for.</p>
        )}
        {channels.length > 0 && (
          <form method="post" action={`/console/people/${p.id}/suppressions`} class="inline">
            <CsrfField token={props.csrfToken} />
            <label for="suppress-channel">Suppress channel</label>
            <select id="suppress-channel" name="channel">
              {channels.map((c) => (
                <option value={c}>{c}</option>
              ))}
            </select>
            <button type="submit">Add suppression</button>
          </form>
        )}
      </section>
      <section class="card" aria-labelledby="devices">
        <h2 id="devices">Devices</h2>
        {p.devices.length ? (
          <table>
            <thead>
              <tr>
                {['Token', 'Platform', 'Enabled', 'Updated'].map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.devices.map((d) => (
                <tr>
                  <td class="mono">{d.token.length > 24 ? `${d.token.slice(0, 24)}…` : d.token}</td>
                  <td>{d.platform}</td>
                  <td>{d.enabled ? 'yes' : 'no'}</td>
                  <td>{d.updatedAt.replace('T', ' ').slice(0, 19)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No devices registered.</p>
        )}
      </section>
    </div>
  );
}
