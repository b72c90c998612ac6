import { guard } from '../util/guard.js';
import type { Log } from '../util/logger.js';
import { contactValue, type ContactKind } from './contact.js';
import { el } from './el.js';

/** What a capture form asks for and says; a text left out takes the default below. */
export interface CaptureFormTexts {
  field: ContactKind;
  label?: string;
  placeholder?: string;
  submitLabel?: string;
  /** Shown under the field and read with it by screen readers. */
  consentText?: string;
  /** Shown, and announced, when the value is missing or not an address. */
  invalidText?: string;
}

/** A capture form's texts and where it goes. */
export interface CaptureFormOptions extends CaptureFormTexts {
  /** Prefix of the element ids (`<id>-input`, `-consent`, `-status`): unique in the document or shadow root. */
  id: string;
  /** The form's class, the site's styling hook for an embed in the light DOM. */
  className?: string;
  /**
   * `status` (default): one polite live region after the button says what went wrong and, when
   * `onValid` answers a text, the outcome (the embed). `alert`: the error is an alert right under
   * the input, and `onValid` shows the outcome itself (the popup replaces the form).
   */
  role?: 'status' | 'alert';
  log?: Log;
}

const TEXT = {
  email: ['Email', 'email', 'Please enter a valid email address.'],
  phone: ['Mobile number', 'tel', 'Please enter a valid mobile number.'],
} as const;

/**
 * Renders a labelled email or tel input, the consent text and a submit button
 * into `parent` (SPEC §6): the one capture form of the form embed and the popup.
 * Every text is set with `textContent`, never parsed as HTML. A valid submit
 * calls `onValid` with the trimmed value (`contactValue`) and the field, then clears the input
 * and shows the text `onValid` answers; an invalid one says why in the form's
 * live region, focuses the input and calls nothing.
 * @example renderCaptureForm(el, { field: 'email', id: 'signup' }, (email) => (tl.identify({ email }), 'Thanks!'));
 */
export function renderCaptureForm(
  parent: ParentNode & Node,
  o: CaptureFormOptions,
  // biome-ignore lint/suspicious/noConfusingVoidType: callers return nothing on success, or the message to show
  onValid: (value: string, field: ContactKind) => string | void,
): HTMLFormElement {
  const field: ContactKind = o.field === 'phone' ? 'phone' : 'email';
  const [label, type, invalid] = TEXT[field];
  const doc = parent.ownerDocument!;
  const { id, role = 'status', consentText } = o;
  // novalidate: our message in the live region instead of the browser's bubble, which differs by
  // browser, escapes the popup's styles and is handled unevenly by tests and AT.
  // data-threadline-ignore: form capture with `auto` must not identify it a second time.
  const form = el(doc, 'form', { novalidate: '', 'data-threadline-ignore': '' });
  if (o.className) form.className = o.className;
  const describedBy = consentText ? `${id}-consent ${id}-status` : `${id}-status`;
  const input = el(doc, 'input', {
    id: `${id}-input`,
    type,
    name: field,
    autocomplete: type,
    required: '',
    'aria-describedby': describedBy,
  });
  if (o.placeholder) input.placeholder = o.placeholder;
  // No aria-live: `status` is polite and `alert` assertive by their role (WAI-ARIA), 21 B gzip saved.
  const message = el(doc, 'p', { id: `${id}-status`, role });
  form.append(el(doc, 'label', { for: `${id}-input` }, o.label || label), input);
  if (consentText) form.append(el(doc, 'p', { id: `${id}-consent` }, consentText));
  form.append(el(doc, 'button', { type: 'submit' }, o.submitLabel || 'Subscribe'), message);
  if (role === 'alert') input.after(message);

  form.addEventListener('submit', (e) => {
    // First, outside the guard: an exception later must never let the browser submit the address in a URL.
    e.preventDefault();
    guard(o.log ?? (() => {}), () => {
      const value = contactValue(field, input.value);
      input.setAttribute('aria-invalid', String(!value));
      if (!value) {
        message.textContent = o.invalidText || invalid;
        return input.focus();
      }
      const outcome = onValid(value, field);
      input.value = '';
      message.textContent = outcome || '';
    })();
  });
  parent.append(form);
  return form;
}
