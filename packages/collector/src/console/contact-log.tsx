import { CsrfField } from './csrf-field.js';
import { LogSummary } from './log-summary.js';

export interface LogRow {
  id: string;
  type: string;
  at: string;
  details: Record<string, unknown>;
}

/** The contact log, oldest first: an Unmerge button on each merge, the reason on each refusal. */
export function ContactLog(props: { profileId: string; entries: LogRow[]; csrfToken: string }) {
  return (
    <ol class="log">
      {props.entries.map((e) => (
        <li class={`log-${e.type}`}>
          <time datetime={e.at}>{e.at.replace('T', ' ').slice(0, 19)}</time> <LogSummary type={e.type} details={e.details} />
          {e.type === 'merged' && (
            <form method="post" action={`/console/people/${props.profileId}/unmerge`} class="inline">
              <CsrfField token={props.csrfToken} />
              <input type="hidden" name="logId" value={e.id} />
              <button type="submit">Unmerge</button>
            </form>
          )}
        </li>
      ))}
    </ol>
  );
}
