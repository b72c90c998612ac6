import type { RejectionRecord } from '../repos/imports.js';
import type { readImport } from '../services/import-report.js';
import { Layout } from './layout.js';
import { NextPage } from './next-page.js';

type Report = Awaited<ReturnType<typeof readImport>>;

/** One import's report: every count, and every rejected row with its field and reason (paged past the first hundred). */
export function ImportReportPage(props: { csrfToken: string; report: Report; rejections: RejectionRecord[]; next: string | null }) {
  const r = props.report;
  return (
    <Layout title="Import report" active="imports" csrfToken={props.csrfToken}>
      <dl class="cards" data-testid="import-report">
        {(['rows', 'created', 'matched', 'merged', 'conflicts', 'rejected'] as const).map((k) => (
          <div class="card stat">
            <dt class="label">{k}</dt>
            <dd class="value">{r[k]}</dd>
          </div>
        ))}
      </dl>
      <p>
        Status: {r.status}. Started {r.createdAt}
        {r.finishedAt ? `, finished ${r.finishedAt}` : ''}.
      </p>
      <h2>Rejected rows</h2>
      {props.rejections.length === 0 ? (
        <p>No row was rejected.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Field</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {props.rejections.map((x) => (
              <tr>
                <td>{x.row}</td>
                <td>{x.field}</td>
                <td>{x.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NextPage href={`/console/imports/${r.id}`} next={props.next} label="More rejected rows" />
      <p>
        <a href="/console/imports">All imports</a>
      </p>
    </Layout>
  );
}
