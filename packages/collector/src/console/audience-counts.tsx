export interface Audience {
  size: number;
  contacts: number;
  anonymous: number;
  reachability: Record<string, number>;
}

/** A segment's size and reachability per channel, as the admin API's preview answers them. */
export function AudienceCounts(props: { audience: Audience }) {
  const a = props.audience;
  return (
    <p class="counts" data-testid="segment-size">
      <strong>{a.size}</strong> profiles ({a.contacts} contacts, {a.anonymous} anonymous). Reachable:{' '}
      {Object.entries(a.reachability)
        .map(([channel, n]) => `${channel} ${n}`)
        .join(', ')}
      .
    </p>
  );
}
