import type { PopupForm } from '@threadline/protocol';
import { el } from './dom.js';
import { contactValue } from '../../ui/contact.js';

const TEXT = {
  email: { label: 'Email address', type: 'email', invalid: 'Please enter a valid email address.' },
  phone: { label: 'Mobile number', type: 'tel', invalid: 'Please enter a valid mobile number.' },
} as const;

/**
 * The optional capture form (SPEC §6): one labelled email or tel input, the
 * consent text, a submit button. A valid submit calls `onCapture` with the
 * trimmed value and replaces the form with the success text; an invalid one
 * shows why, next to the input, and sends nothing.
 * @example dialog.append(captureForm(document, rule.form, (field, value) => identify({ [field]: value }), done));
 */
export function captureForm(doc: Document, form: PopupForm, onCapture: (field: 'email' | 'phone', value: string) => void, onDone: () => void): HTMLFormElement {
  const field = form.field === 'phone' ? 'phone' : 'email';
  const text = TEXT[field];
  // novalidate: the browser's own bubbles would differ by browser and escape our styles.
  const node = el(doc, 'form', { novalidate: '' });
  const input = el(doc, 'input', { id: 'tl-field', name: field, type: text.type, autocomplete: text.type === 'tel' ? 'tel' : 'email', required: '', 'aria-describedby': 'tl-error tl-consent' });
  if (form.placeholder) input.placeholder = form.placeholder;
  const error = el(doc, 'p', { id: 'tl-error', class: 'error', role: 'alert' });
  node.append(el(doc, 'label', { for: 'tl-field' }, form.label || text.label), input, error);
  if (form.consentText) node.append(el(doc, 'p', { id: 'tl-consent', class: 'consent' }, form.consentText));
  node.append(el(doc, 'button', { type: 'submit', class: 'submit' }, form.submitLabel || 'Subscribe'));
  node.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = contactValue(field, input.value);
    if (!value) {
      error.textContent = text.invalid;
      input.setAttribute('aria-invalid', 'true');
      return input.focus();
    }
    onCapture(field, value);
    node.replaceWith(el(doc, 'p', { class: 'success', role: 'status' }, form.successText || 'Thank you!'));
    onDone();
  });
  return node;
}
