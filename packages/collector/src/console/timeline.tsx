export interface TimelineRow {
  messageId: string;
  type: string;
  event: string | null;
  name: string | null;
  timestamp: string;
  properties: unknown;
  anonymousId: string | null;
}

const label = (e: TimelineRow) => (e.type === 'track' ? e.event : e.type === 'page' ? `Viewed ${e.name ?? 'a page'}` : e.type);

/** The events in time order; those before `identifiedAt` sit in a group marked as before identification. */
export function Timeline(props: { events: TimelineRow[]; identifiedAt: string | null }) {
  if (!props.events.length) return <p>No events.</p>;
  const cut = props.identifiedAt;
  const before = props.events.filter((e) => cut === null || e.timestamp < cut);
  const after = props.events.filter((e) => cut !== null && e.timestamp >= cut);
  const rows = (list: TimelineRow[]) =>
    list.map((e) => (
      <li>
        <time datetime={e.timestamp}>{e.timestamp.replace('T', ' ').slice(0, 19)}</time> <strong>{label(e)}</strong>
        {e.properties && Object.keys(e.properties as object).length > 0 && <code class="props">{JSON.stringify(e.properties)}</code>}
      </li>
    ));
  return (
    <div class="timeline">
      {before.length > 0 && (
        <section class="pre-identify" aria-labelledby="pre-identify" data-testid="pre-identify">
          <h3 id="pre-identify">Before identification (anonymous)</h3>
          <ol>{rows(before)}</ol>
        </section>
      )}
      {after.length > 0 && (
        <section aria-labelledby="post-identify" data-testid="post-identify">
          <h3 id="post-identify">Identified</h3>
          <ol>{rows(after)}</ol>
        </section>
      )}
    </div>
  );
}
