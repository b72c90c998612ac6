import type { consoleOverview } from '../services/console-overview.js';
import { ActivityChart } from './activity-chart.js';
import { Layout } from './layout.js';
import { LogSummary } from './log-summary.js';

type Overview = Awaited<ReturnType<typeof consoleOverview>>;

const CHANNEL_NAMES = { email: 'Email', sms: 'SMS', whatsapp: 'WhatsApp', push: 'App push', webpush: 'Web push' } as const;

/** Contacts and anonymous visitors counted apart (live: console.js refreshes `data-live`), reachability, activity, notable log entries. */
export function OverviewPage(props: { csrfToken: string; overview: Overview }) {
  const { stats, days, recent } = props.overview;
  return (
    <Layout title="Overview" active="overview" csrfToken={props.csrfToken}>
      <section aria-labelledby="audience" class="cards" data-live-source="/console/live">
        <h2 id="audience" class="visually-hidden">
          Audience
        </h2>
        {(
          [
            ['contacts', 'Contacts', 'identified + addressable'],
            ['identified', 'Identified', 'hold the primary key'],
            ['addressable', 'Addressable', 'an email, phone or user ID'],
            ['anonymous', 'Anonymous visitors', 'not counted as contacts'],
          ] as const
        ).map(([key, label, hint]) => (
          <div class="card stat">
            <p class="label">{label}</p>
            <p class="value" data-live={key} aria-live="polite">
              {stats[key]}
            </p>
            <p class="hint">{hint}</p>
          </div>
        ))}
      </section>
      <section aria-labelledby="reach">
        <h2 id="reach">Reachability</h2>
        <table>
          <thead>
            <tr>
              {Object.values(CHANNEL_NAMES).map((n) => (
                <th scope="col">{n}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              {(Object.keys(CHANNEL_NAMES) as Array<keyof typeof CHANNEL_NAMES>).map((k) => (
                <td data-live={`reachability.${k}`}>{stats.reachability[k]}</td>
              ))}
            </tr>
          </tbody>
        </table>
      </section>
      <section aria-labelledby="activity">
        <h2 id="activity">Activity</h2>
        <ActivityChart days={days} />
      </section>
      <section aria-labelledby="recent">
        <h2 id="recent">Recent merges and refusals</h2>
        {recent.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <ul class="log">
            {recent.map((e) => (
              <li>
                <time datetime={new Date(e.at).toISOString()}>{new Date(e.at).toISOString().replace('T', ' ').slice(0, 19)}</time>{' '}
                <a href={`/console/people/${e.profileId}`}>
                  <LogSummary type={e.type} details={e.details} />
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}
