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

/** The events in time order; each one from before its visitor identified is marked so (dashed, labelled). */
export function Timeline(props: { events: TimelineRow[]; pre: boolean[] }) {
  if (!props.events.length) return <p>No events.</p>;
  return (
    <ol class="timeline">
      {props.events.map((e, i) => (
        <li class={props.pre[i] ? 'pre-identify' : undefined} data-pre-identify={props.pre[i] ? 'true' : undefined}>
          <time datetime={e.timestamp}>{e.timestamp.replace('T', ' ').slice(0, 19)}</time> <strong>{label(e)}</strong>
          {props.pre[i] && <span class="badge anonymous">before identification</span>}
          {e.properties && Object.keys(e.properties as object).length > 0 && <code class="props">{JSON.stringify(e.properties)}</code>}
        </li>
      ))}
    </ol>
  );
}
