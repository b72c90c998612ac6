import type { ApiProfile } from '../services/profile-view.js';
import { BlockButtons } from './block-buttons.js';

/** Profiles as rows: the identifiers a marketer recognises first, the system ID as the link. */
/** `block` adds the per-row block buttons (the Addressable and Anonymous tabs). */
export function ProfileTable(props: { profiles: ApiProfile[]; caption: string; block?: { csrfToken: string; tab: string } }) {
  // No column where no row holds an address to block (anonymous visitors never do).
  const block = props.profiles.some((p) => p.email || p.phone) ? props.block : undefined;
  return (
    <table>
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Profile</th>
          <th scope="col">Status</th>
          <th scope="col">Email</th>
          <th scope="col">Phone</th>
          <th scope="col">User ID</th>
          <th scope="col">Anonymous IDs</th>
          <th scope="col">Created</th>
          {block && <th scope="col">Block</th>}
        </tr>
      </thead>
      <tbody>
        {props.profiles.map((p) => (
          <tr>
            <td>
              <a href={`/console/people/${p.id}`} class="mono">
                {p.id.slice(0, 8)}…<span class="visually-hidden">{p.id.slice(8)}</span>
              </a>
            </td>
            <td>
              <span class={`badge ${p.status}`}>{p.status}</span>
            </td>
            <td>{p.email ?? '—'}</td>
            <td>{p.phone ?? '—'}</td>
            <td>{p.userId ?? '—'}</td>
            <td>{p.anonymousIds.length}</td>
            <td>{p.createdAt.slice(0, 10)}</td>
            {block && (
              <td>
                <BlockButtons profile={p} csrfToken={block.csrfToken} tab={block.tab} />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
