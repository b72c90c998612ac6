import type { ApiProfile } from '../services/profile-view.js';
import { type Audience, AudienceCounts } from './audience-counts.js';
import { Layout } from './layout.js';
import { ProfileTable } from './profile-table.js';
import { NextPage } from './next-page.js';

/** A saved segment: live size and reachability, its definition, members (keyset paged) and a CSV export. */
export function SegmentPage(props: {
  csrfToken: string;
  segment: Audience & { id: string; name: string; definition: unknown };
  members: ApiProfile[];
  next: string | null;
}) {
  const s = props.segment;
  return (
    <Layout title={s.name} active="segments" csrfToken={props.csrfToken}>
      <AudienceCounts audience={s} />
      <p>
        <a href={`/console/segments/${s.id}/export.csv`} download>
          Export members as CSV
        </a>
      </p>
      <details>
        <summary>Definition</summary>
        <pre>{JSON.stringify(s.definition, null, 2)}</pre>
      </details>
      <h2>Members</h2>
      {props.members.length ? <ProfileTable profiles={props.members} caption="Members" /> : <p>No members right now.</p>}
      <NextPage href={`/console/segments/${s.id}`} next={props.next} />
    </Layout>
  );
}
