import { CsrfField } from './csrf-field.js';
import { Layout } from './layout.js';

/** The confirmation step before a profile is deleted: nothing is deleted by following a link. */
export function DeletePage(props: { csrfToken: string; id: string; name: string }) {
  return (
    <Layout title="Delete this profile?" active="people" csrfToken={props.csrfToken}>
      <p>
        Delete <strong>{props.name}</strong> ({props.id})? Its identifiers, traits and events are removed. This cannot be undone.
      </p>
      <form method="post" action={`/console/people/${props.id}/delete`} class="actions">
        <CsrfField token={props.csrfToken} />
        <button type="submit" class="danger">
          Delete for good
        </button>
        <a href={`/console/people/${props.id}`}>Cancel</a>
      </form>
    </Layout>
  );
}
