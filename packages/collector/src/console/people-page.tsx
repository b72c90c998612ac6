import type { ApiProfile } from '../services/profile-view.js';
import { Layout } from './layout.js';
import { Notice } from './notice.js';
import { ProfileTable } from './profile-table.js';
import { NextPage } from './next-page.js';

export const PEOPLE_TABS = ['identified', 'addressable', 'anonymous'] as const;
export type PeopleTab = (typeof PEOPLE_TABS)[number];

/** Profiles by status in tabs, a search by any identifier, and keyset paging ("Next page" carries the cursor). */
export function PeoplePage(props: {
  csrfToken: string;
  tab: PeopleTab;
  q?: string;
  profiles: ApiProfile[];
  next: string | null;
  error?: string;
  ok?: string;
}) {
  return (
    <Layout title="People" active="people" csrfToken={props.csrfToken}>
      <form method="get" action="/console/people" class="search">
        <label for="q">Find by email, phone, user ID or anonymous ID</label>
        <input id="q" name="q" type="search" value={props.q ?? ''} />
        <button type="submit">Search</button>
      </form>
      <nav aria-label="Status" class="tabs">
        <ul>
          {PEOPLE_TABS.map((t) => (
            <li>
              <a href={`/console/people?status=${t}`} aria-current={!props.q && props.tab === t ? 'page' : undefined}>
                {t[0]!.toUpperCase() + t.slice(1)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <Notice error={props.error} ok={props.ok} />
      {props.profiles.length === 0 ? (
        <p>No profiles here yet.</p>
      ) : (
        <ProfileTable
          profiles={props.profiles}
          caption={props.q ? `Search results for ${props.q}` : `${props.tab} profiles`}
          block={!props.q && props.tab !== 'identified' ? { csrfToken: props.csrfToken, tab: props.tab } : undefined}
        />
      )}
      <NextPage href={`/console/people?status=${props.tab}`} next={props.next} />
    </Layout>
  );
}
