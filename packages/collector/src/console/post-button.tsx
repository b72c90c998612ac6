import { CsrfField } from './csrf-field.js';

/** A one-button form that posts to `action` with the CSRF token (enable, disable, delete, retry). */
export const PostButton = (props: { csrfToken: string; action: string; label: string; danger?: boolean }) => (
  <form method="post" action={props.action} class="inline">
    <CsrfField token={props.csrfToken} />
    <button type="submit" class={props.danger ? 'danger' : undefined}>
      {props.label}
    </button>
  </form>
);

/** Enable or disable, then delete: the actions a webhook endpoint and a trigger share. */
export const ToggleActions = (props: { csrfToken: string; base: string; enabled: boolean; deleteLabel: string }) => (
  <div class="actions">
    <PostButton
      csrfToken={props.csrfToken}
      action={`${props.base}/${props.enabled ? 'disable' : 'enable'}`}
      label={props.enabled ? 'Disable' : 'Enable'}
    />
    <PostButton csrfToken={props.csrfToken} action={`${props.base}/delete`} label={props.deleteLabel} danger />
  </div>
);
