import type { ApiProfile } from '../services/profile-view.js';
import { CsrfField } from './csrf-field.js';

const BLOCKS = [
  ['sms', 'phone', 'Block mobile'],
  ['email', 'email', 'Block email'],
] as const;

/**
 * Netcore's per-row buttons: the operator per-profile suppression (POST
 * …/suppressions, the same service as the admin API's), offered only for an
 * address the profile holds and not already suppressed; back to the same tab.
 */
export function BlockButtons(props: { profile: ApiProfile; csrfToken: string; tab: string }) {
  const p = props.profile;
  return (
    <>
      {BLOCKS.map(([channel, kind, label]) => {
        const address = p[kind];
        if (!address) return null;
        if (p.suppressions.some((s) => s.channel === channel && s.address === address)) return <span class="badge">{channel} blocked</span>;
        return (
          <form method="post" action={`/console/people/${p.id}/suppressions`} class="inline">
            <CsrfField token={props.csrfToken} />
            <input type="hidden" name="channel" value={channel} />
            <input type="hidden" name="back" value={props.tab} />
            <button type="submit" aria-label={`${label} ${address}`}>
              {label}
            </button>
          </form>
        );
      })}
    </>
  );
}
