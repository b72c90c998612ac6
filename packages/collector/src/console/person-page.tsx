import type { ApiProfile } from '../services/profile-view.js';
import { ContactLog, type LogRow } from './contact-log.js';
import { Layout } from './layout.js';
import { Notice } from './notice.js';
import { PersonReach } from './person-reach.js';
import { Timeline, type TimelineRow } from './timeline.js';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** One person's whole story: identifiers and status, traits, suppressions and devices, timeline, contact log, delete. */
export function PersonPage(props: {
  csrfToken: string;
  profile: ApiProfile;
  events: TimelineRow[];
  pre: boolean[];
  log: LogRow[];
  notice?: { error?: string; ok?: string };
  /** Prefills the lift form's time. */
  now: string;
}) {
  const p = props.profile;
  const traits = Object.entries(p.traits);
  return (
    <Layout title={p.email ?? p.phone ?? p.userId ?? 'Anonymous visitor'} active="people" csrfToken={props.csrfToken}>
      <Notice {...props.notice} />
      <div class="grid">
        <section class="card" aria-labelledby="identifiers">
          <h2 id="identifiers">Identifiers</h2>
          <dl>
            <dt>Status</dt>
            <dd>
              <span class={`badge ${p.status}`} data-testid="status">
                {p.status}
              </span>
            </dd>
            <dt>Profile ID</dt>
            <dd class="mono">{p.id}</dd>
            <dt>Email</dt>
            <dd>{p.email ?? '—'}</dd>
            <dt>Phone</dt>
            <dd>{p.phone ?? '—'}</dd>
            <dt>User ID</dt>
            <dd>{p.userId ?? '—'}</dd>
            <dt>Anonymous IDs</dt>
            <dd class="mono">{p.anonymousIds.length ? p.anonymousIds.join(', ') : '—'}</dd>
            <dt>Created</dt>
            <dd>{p.createdAt}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="traits">
          <h2 id="traits">Traits</h2>
          {traits.length ? (
            <dl>
              {traits.map(([k, v]) => (
                <>
                  <dt>{k}</dt>
                  <dd>{show(v)}</dd>
                </>
              ))}
            </dl>
          ) : (
            <p>None.</p>
          )}
        </section>
      </div>
      <PersonReach profile={p} csrfToken={props.csrfToken} now={props.now} />
      <section aria-labelledby="timeline">
        <h2 id="timeline">Timeline</h2>
        <Timeline events={props.events} pre={props.pre} />
      </section>
      <section aria-labelledby="log">
        <h2 id="log">Contact log</h2>
        <ContactLog profileId={p.id} entries={props.log} csrfToken={props.csrfToken} />
      </section>
      <section aria-labelledby="danger" class="danger">
        <h2 id="danger">Delete</h2>
        <p>Removes this person's identifiers, traits and events. The contact log keeps a redacted record.</p>
        <a href={`/console/people/${p.id}/delete`} class="button danger">
          Delete this profile…
        </a>
      </section>
    </Layout>
  );
}
