// The SDK's own dialog: the preview is exactly what a visitor sees (same markup, styles, focus handling).
import { openDialog } from '../../../../sdk/src/plugins/popups/dialog.js';
import type { PopupRule } from '@threadline/protocol';
import { postForm } from './post-form.js';

/** The popup form's Preview button: the collector validates the fields into a rule, the SDK draws it. */
export function popupPreview(doc: Document): void {
  const form = doc.querySelector<HTMLFormElement>('form[data-popup-form]');
  const button = form?.querySelector<HTMLButtonElement>('[data-popup-preview]');
  const error = form?.querySelector<HTMLElement>('[data-popup-preview-error]');
  if (!form || !button || !error) return;
  button.hidden = false;
  button.addEventListener('click', async () => {
    const { ok, body } = await postForm(form, '/console/popups/preview');
    error.textContent = ok ? '' : (body?.error?.message ?? 'Cannot preview this popup.');
    if (!ok) return;
    const noop = () => {};
    openDialog(
      doc,
      { ...(body.rule as PopupRule), id: 'preview', createdAt: '', updatedAt: '' },
      { dismiss: noop, convert: noop, capture: noop, closed: noop },
    );
  });
}
