/** A labelled input, select or textarea whose value comes from the submitted or stored fields. */
export function Field(props: {
  f: Record<string, string>;
  name: string;
  label: string;
  type?: 'text' | 'number' | 'url' | 'checkbox' | 'textarea';
  options?: string[];
  hint?: string;
  required?: boolean;
}) {
  const value = props.f[props.name] ?? '';
  const hintId = props.hint ? `${props.name}-hint` : undefined;
  const control = props.options ? (
    <select id={props.name} name={props.name} aria-describedby={hintId}>
      {props.options.map((o) => (
        <option value={o} selected={value === o}>
          {o || '—'}
        </option>
      ))}
    </select>
  ) : props.type === 'textarea' ? (
    <textarea id={props.name} name={props.name} rows={3} aria-describedby={hintId}>
      {value}
    </textarea>
  ) : props.type === 'checkbox' ? (
    <input id={props.name} name={props.name} type="checkbox" checked={value !== ''} aria-describedby={hintId} />
  ) : (
    <input
      id={props.name}
      name={props.name}
      type={props.type ?? 'text'}
      value={value}
      required={props.required}
      aria-describedby={hintId}
    />
  );
  return (
    <span class={props.type === 'checkbox' ? 'field check' : 'field'}>
      <label for={props.name}>{props.label}</label>
      {control}
      {props.hint && (
        <small id={hintId} class="hint">
          {props.hint}
        </small>
      )}
    </span>
  );
}
