import type { PopupRule } from '@threadline/protocol';
import type { PopupStats } from '../repos/popup-stats.js';
import { Layout } from './layout.js';

/** Every popup rule with how it did: viewed, dismissed, converted, distinct visitors. */
export function PopupsPage(props: { csrfToken: string; popups: Array<PopupRule & { stats: PopupStats }> }) {
  return (
    <Layout title="Popups" active="popups" csrfToken={props.csrfToken}>
      <p>
        <a href="/console/popups/new" class="button primary">
          New popup
        </a>
      </p>
      {props.popups.length === 0 ? (
        <p>No popups yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              {['Name', 'Audience', 'Trigger', 'On', 'Viewed', 'Dismissed', 'Converted', 'Visitors'].map((h) => (
                <th scope="col">{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.popups.map((p) => (
              <tr>
                <td>
                  <a href={`/console/popups/${p.id}`}>{p.name}</a>
                </td>
                <td>{p.audience}</td>
                <td>{p.trigger.type}</td>
                <td>{p.enabled ? 'yes' : 'no'}</td>
                <td>{p.stats.viewed}</td>
                <td>{p.stats.dismissed}</td>
                <td>{p.stats.converted}</td>
                <td>{p.stats.visitors}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
