import type { PluginApi } from '../../types.js';
import { guard } from '../../util/guard.js';
import { contactValue, type ContactKind } from '../../ui/contact.js';

/** What an embed needs: `createClient()`'s client, the script-tag global, or a `PluginApi`. */
export type EmbedApi = Pick<PluginApi, 'identify' | 'track'> & { log?: PluginApi['log'] };

export interface FormEmbedOptions {
  field: ContactKind;
  label?: string;
  placeholder?: string;
  submitLabel?: string;
  /** Shown under the field and read with it by screen readers. */
  consentText?: string;
  successText?: string;
  /** Shown, and announced, when the value is missing or not an address. */
  invalidText?: string;
  /** The `formId` of its `Form Submitted` event (default `embed-email` / `embed-phone`). */
  formId?: string;
}

const DEFAULTS = {
  email: { label: 'Email', invalid: 'Please enter a valid email address.' },
  phone: { label: 'Mobile number', invalid: 'Please enter a valid mobile number.' },
};
let mounted = 0;

/**
 * Renders a signup form for an email or a mobile number into `target`
 * (replacing its content) and identifies the visitor on submit (SPEC §6).
 * Every text is set with `textContent`, never parsed as HTML. An invalid value
 * shows a message in the form's live region and sends nothing.
 * @example
 * mountForm(tl, document.getElementById('newsletter')!, { field: 'email', label: 'Your email', successText: 'Thanks!' });
 */
export function mountForm(api: EmbedApi, target: Element, options: FormEmbedOptions): HTMLFormElement {
  const field: ContactKind = options.field === 'phone' ? 'phone' : 'email';
  const texts = DEFAULTS[field];
  const doc = target.ownerDocument;
  const id = `threadline-embed-${++mounted}`;
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string) => {
    const el = doc.createElement(tag);
    if (text) el.textContent = text;
    return el;
  };

  const form = make('form');
  form.className = 'threadline-embed';
  form.noValidate = true; // our message in the live region instead of the browser's bubble, which tests and AT handle unevenly
  form.setAttribute('data-threadline-ignore', ''); // form capture with `auto` must not identify it a second time
  const label = make('label', options.label || texts.label);
  label.htmlFor = `${id}-input`;
  const input = make('input');
  Object.assign(input, { id: `${id}-input`, type: field === 'email' ? 'email' : 'tel', name: field, required: true, autocomplete: field === 'email' ? 'email' : 'tel' });
  if (options.placeholder) input.placeholder = options.placeholder;
  const consent = options.consentText ? make('p', options.consentText) : undefined;
  const button = make('button', options.submitLabel || 'Subscribe');
  button.type = 'submit';
  const status = make('p');
  status.id = `${id}-status`;
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  if (consent) consent.id = `${id}-consent`;
  input.setAttribute('aria-describedby', consent ? `${consent.id} ${status.id}` : status.id);
  form.append(label, input, ...(consent ? [consent] : []), button, status);

  form.addEventListener('submit', (e) => {
    // First, outside the guard: an exception later must never let the browser submit the address in a URL.
    e.preventDefault();
    guard(api.log ?? (() => {}), () => {
      const value = input.checkValidity() ? contactValue(field, input.value) : undefined;
      input.setAttribute('aria-invalid', String(!value));
      if (!value) {
        status.textContent = options.invalidText || texts.invalid;
        return input.focus();
      }
      api.identify({ [field]: value });
      api.track('Form Submitted', { formId: options.formId || `embed-${field}` });
      input.value = '';
      status.textContent = options.successText || 'Thanks, you are subscribed.';
    })();
  });
  target.textContent = '';
  target.appendChild(form);
  return form;
}
