import type { FormFields } from '../domain/segment-form.js';
import { type Audience, AudienceCounts } from './audience-counts.js';
import { Layout } from './layout.js';
import { Notice } from './notice.js';
import { SegmentBuilder } from './segment-builder.js';

/** Saved segments and the builder for a new one, with a preview when the form was previewed without script. */
export function SegmentsPage(props: {
  csrfToken: string;
  segments: Array<{ id: string; name: string; updatedAt: string }>;
  f: FormFields;
  preview?: Audience;
  error?: string;
}) {
  return (
    <Layout title="Segments" active="segments" csrfToken={props.csrfToken}>
      <section aria-labelledby="saved">
        <h2 id="saved">Saved segments</h2>
        {props.segments.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <ul>
            {props.segments.map((s) => (
              <li>
                <a href={`/console/segments/${s.id}`}>{s.name}</a> <span class="hint">updated {s.updatedAt.slice(0, 10)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="new">
        <h2 id="new">New segment</h2>
        <Notice error={props.error} />
        {props.preview && <AudienceCounts audience={props.preview} />}
        <SegmentBuilder csrfToken={props.csrfToken} f={props.f} />
      </section>
    </Layout>
  );
}
