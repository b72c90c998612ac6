import type { listPastImports } from '../services/import-report.js';
import { CsrfField } from './csrf-field.js';
import { Layout } from './layout.js';
import { Notice } from './notice.js';

type PastImport = Awaited<ReturnType<typeof listPastImports>>[number];

/** Upload a CSV of contacts (the same import as POST /api/imports) and the imports made so far. */
export function ImportsPage(props: { csrfToken: string; imports: PastImport[]; error?: string }) {
  return (
    <Layout title="Imports" active="imports" csrfToken={props.csrfToken}>
      <Notice error={props.error} />
      <form method="post" action="/console/imports" enctype="multipart/form-data" class="card narrow" data-upload-progress>
        <CsrfField token={props.csrfToken} />
        <label for="file">CSV file (UTF-8, a header row: email, phone, userId, traits…)</label>
        <input id="file" name="file" type="file" accept=".csv,text/csv" required />
        <button type="submit" class="primary">
          Import
        </button>
        <progress data-upload-bar hidden max={1} value={0} aria-label="Upload progress" />
        <p role="status" data-upload-status />
      </form>
      <h2>Past imports</h2>
      {props.imports.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              {['Started', 'Status', 'Rows', 'Created', 'Matched', 'Merged', 'Conflicts', 'Rejected'].map((h) => (
                <th scope="col">{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.imports.map((i) => (
              <tr>
                <td>
                  <a href={`/console/imports/${i.id}`}>{i.createdAt.replace('T', ' ').slice(0, 19)}</a>
                </td>
                <td>{i.status}</td>
                <td>{i.rows}</td>
                <td>{i.created}</td>
                <td>{i.matched}</td>
                <td>{i.merged}</td>
                <td>{i.conflicts}</td>
                <td>{i.rejected}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
