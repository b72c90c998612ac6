/** A message at the top of a page: an error is announced at once (role alert), a success politely. */
export function Notice(props: { error?: string; ok?: string }) {
  if (props.error)
    return (
      <p class="notice error" role="alert">
        {props.error}
      </p>
    );
  if (props.ok)
    return (
      <p class="notice ok" role="status">
        {props.ok}
      </p>
    );
  return null;
}
