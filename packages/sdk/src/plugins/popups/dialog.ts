import type { PopupRule } from '@threadline/protocol';
import { renderCaptureForm } from '../../ui/capture-form.js';
import { el } from '../../ui/el.js';
import { HOST_STYLE, POPUP_CSS } from './styles.js';
import { safeUrl } from './safe-url.js';

/** What the visitor did with an open popup. */
export interface DialogHandlers {
  /** Closed it: the close button, Escape or a click outside. Not called after a conversion. */
  dismiss(): void;
  /** Clicked the call to action. */
  convert(): void;
  /** Submitted a valid capture form (also a conversion). */
  capture(field: 'email' | 'phone', value: string): void;
  /** It is gone, however it closed. */
  closed(): void;
}

/**
 * Renders a popup as a modal dialog (SPEC §6) in a closed Shadow DOM: the page
 * cannot restyle or script into it, and its styles cannot leak out. Focus moves
 * in and is trapped; Escape, the close button or the backdrop close it; focus
 * then returns where it was. Answers a function that closes it silently.
 * @example const close = openDialog(document, rule, { dismiss, convert, capture });
 */
export function openDialog(doc: Document, rule: PopupRule, on: DialogHandlers): () => void {
  const { title, body, cta } = rule.content;
  const previous = doc.activeElement as HTMLElement | null;
  const host = el(doc, 'threadline-popup', { style: HOST_STYLE });
  const root = host.attachShadow({ mode: 'closed' });
  const backdrop = el(doc, 'div', { class: 'backdrop' });
  const dialog = el(doc, 'div', { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'tl-title', tabindex: '-1' });
  const close = el(doc, 'button', { type: 'button', class: 'close', 'aria-label': 'Close' }, '×');
  let converted = false;

  dialog.append(el(doc, 'h2', { id: 'tl-title' }, String(title ?? '')));
  if (body) dialog.append(el(doc, 'p', { id: 'tl-body' }, String(body)));
  if (body) dialog.setAttribute('aria-describedby', 'tl-body');
  const f = rule.form;
  if (f) {
    // The popup's own default label; the error is an alert under the input; a valid submit
    // converts and the success text replaces the form, focus moving to the close button.
    const form = renderCaptureForm(
      dialog,
      { ...f, id: 'tl', role: 'alert', label: f.label || (f.field === 'phone' ? '' : 'Email address') },
      (value, field) => {
        converted = true;
        on.capture(field, value);
        form.replaceWith(el(doc, 'p', { class: 'success', role: 'status' }, f.successText || 'Thank you!'));
        close.focus();
      },
    );
  }
  if (cta?.label) {
    const href = safeUrl(cta.url);
    // Without a safe link the call to action is a button that converts and closes.
    const action = href ? el(doc, 'a', { class: 'cta', href }, cta.label) : el(doc, 'button', { type: 'button', class: 'cta' }, cta.label);
    action.addEventListener('click', () => finish(on.convert, true));
    dialog.append(action);
  }
  dialog.append(close);
  root.append(el(doc, 'style', {}, POPUP_CSS), backdrop, dialog);

  const focusables = () => [...dialog.querySelectorAll<HTMLElement>('a[href],button,input')];
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      finish(on.dismiss);
    } else if (e.key === 'Tab') {
      const items = focusables();
      const at = items.indexOf(root.activeElement as HTMLElement);
      // Tab past the last (or Shift+Tab before the first) wraps: focus stays in the dialog.
      if (e.shiftKey ? at <= 0 : at === items.length - 1) {
        e.preventDefault();
        items[e.shiftKey ? items.length - 1 : 0]?.focus();
      }
    }
  };
  // Focus that lands in the page anyway (a script, the browser's own UI) comes back.
  const onFocus = (e: FocusEvent) => e.target !== host && (focusables()[0] ?? dialog).focus();
  backdrop.addEventListener('click', () => finish(on.dismiss));
  close.addEventListener('click', () => finish(on.dismiss));
  doc.addEventListener('keydown', onKey, true);
  doc.addEventListener('focusin', onFocus, true);
  doc.body.append(host);
  (root.querySelector<HTMLElement>('input') ?? root.querySelector<HTMLElement>('.cta') ?? close).focus();

  let open = true;
  function teardown() {
    if (!open) return;
    open = false;
    doc.removeEventListener('keydown', onKey, true);
    doc.removeEventListener('focusin', onFocus, true);
    host.remove();
    if (previous?.isConnected) previous.focus?.();
    on.closed();
  }
  function finish(report: () => void, conversion = false) {
    if (!open) return;
    teardown();
    // After a captured form, closing is the end of a conversion, not a dismissal.
    if (conversion || !converted) report();
  }
  return teardown;
}
