import { EVENT_ROWS, type FormFields } from '../domain/segment-form.js';
import { CsrfField } from './csrf-field.js';

/** The units a `within` window takes (WithinSchema in domain/segments/schema.ts). */
const WINDOW_UNITS: Array<[string, string]> = ['days', 'hours', 'minutes'].map((u) => [u, u]);

const OPS = ['eq', 'neq', 'contains', 'gt', 'gte', 'lt', 'lte', 'exists', 'notExists'];
const CHANNELS = ['email', 'sms', 'whatsapp', 'push', 'webpush'];

const val = (f: FormFields, name: string) => {
  const v = f[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};
const has = (f: FormFields, name: string, value: string) => {
  const v = f[name];
  return Array.isArray(v) ? v.includes(value) : v === value;
};

function Select(props: { f: FormFields; name: string; label: string; options: Array<[string, string]> }) {
  return (
    <span class="field">
      <label for={props.name}>{props.label}</label>
      <select id={props.name} name={props.name}>
        {props.options.map(([value, text]) => (
          <option value={value} selected={val(props.f, props.name) === value}>
            {text}
          </option>
        ))}
      </select>
    </span>
  );
}

function Text(props: { f: FormFields; name: string; label: string; type?: string; min?: number }) {
  return (
    <span class="field">
      <label for={props.name}>{props.label}</label>
      <input id={props.name} name={props.name} type={props.type ?? 'text'} min={props.min} value={val(props.f, props.name)} />
    </span>
  );
}

const ops = OPS.map((o): [string, string] => [o, o]);

/**
 * The segment builder: profile conditions and behaviour rows joined with
 * all/any (or negated), posted to preview (console.js previews on every
 * change) or save. The JSON field takes any definition the API takes.
 */
export function SegmentBuilder(props: { csrfToken: string; f: FormFields }) {
  const f = props.f;
  return (
    <form method="post" action="/console/segments" class="card builder" data-segment-builder>
      <CsrfField token={props.csrfToken} />
      <Text f={f} name="name" label="Segment name" />
      <fieldset>
        <legend>Match</legend>
        <Select
          f={f}
          name="combine"
          label="Combine conditions with"
          options={[
            ['all', 'all (and)'],
            ['any', 'any (or)'],
          ]}
        />
        <span class="field check">
          <input id="negate" type="checkbox" name="negate" checked={Boolean(val(f, 'negate'))} />
          <label for="negate">Not: select everyone who does not match</label>
        </span>
      </fieldset>
      <fieldset>
        <legend>Profile</legend>
        {['identified', 'addressable', 'anonymous'].map((s) => (
          <span class="field check">
            <input id={`status-${s}`} type="checkbox" name="status" value={s} checked={has(f, 'status', s)} />
            <label for={`status-${s}`}>{s}</label>
          </span>
        ))}
        <Select
          f={f}
          name="has"
          label="Has"
          options={[
            ['', 'any'],
            ['email', 'an email'],
            ['phone', 'a phone'],
            ['userId', 'a user ID'],
          ]}
        />
        <Text f={f} name="trait" label="Trait" />
        <Select f={f} name="traitOp" label="Trait test" options={ops} />
        <Text f={f} name="traitValue" label="Trait value" />
        <Select f={f} name="suppressed" label="Suppressed on" options={[['', '—'], ...CHANNELS.map((c): [string, string] => [c, c])]} />
        <Select
          f={f}
          name="suppressedIs"
          label="Suppression"
          options={[
            ['true', 'is suppressed'],
            ['false', 'is not suppressed'],
          ]}
        />
      </fieldset>
      {Array.from({ length: EVENT_ROWS }, (_, i) => (
        <fieldset>
          <legend>Behaviour {i + 1}</legend>
          <Select
            f={f}
            name={`ev${i}Mode`}
            label="Did or did not"
            options={[
              ['did', 'did'],
              ['didNot', 'did not'],
            ]}
          />
          <Text f={f} name={`ev${i}Name`} label="Event" />
          <Text f={f} name={`ev${i}Prop`} label="Property" />
          <Select f={f} name={`ev${i}PropOp`} label="Property test" options={ops} />
          <Text f={f} name={`ev${i}PropValue`} label="Property value" />
          <Text f={f} name={`ev${i}AtLeast`} label="At least (times)" type="number" min={1} />
          <Text f={f} name={`ev${i}Within`} label="Within" type="number" min={1} />
          <Select f={f} name={`ev${i}Unit`} label="Window unit" options={WINDOW_UNITS} />
        </fieldset>
      ))}
      <details open={Boolean(val(f, 'json'))}>
        <summary>Definition as JSON (replaces the fields above)</summary>
        <label for="json">Definition JSON</label>
        <textarea id="json" name="json" rows={4}>
          {val(f, 'json')}
        </textarea>
      </details>
      <output class="preview" data-segment-preview aria-live="polite" for="name" />
      <div class="actions">
        <button type="submit" formaction="/console/segments/preview">
          Preview size
        </button>
        <button type="submit" class="primary">
          Save segment
        </button>
      </div>
    </form>
  );
}
