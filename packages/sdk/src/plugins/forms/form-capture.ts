import type { Plugin, PluginApi } from '../../types.js';
import { guard } from '../../util/guard.js';
import { hasContactField, readForm, type FormLike } from './fields.js';

/** Where submits are listened for; `document` by default. */
export interface SubmitSource {
  addEventListener(type: 'submit', listener: (event: { target: unknown }) => void, capture: boolean): void;
}

export interface FormCaptureOptions {
  /** Also capture unmarked forms that have an email or tel field. */
  auto?: boolean;
  /** Listen here instead of on `document` (tests, or a part of the page). */
  root?: SubmitSource;
}

const isForm = (t: unknown): t is FormLike =>
  !!t && String((t as { tagName?: unknown }).tagName).toUpperCase() === 'FORM' && typeof (t as FormLike).getAttribute === 'function';

/** The form's name for the `Form Submitted` event: the mark's value, else its id or name attribute. */
export function formIdOf(form: FormLike): string | null {
  return form.getAttribute('data-threadline-form') || form.id || form.getAttribute('name') || null;
}

/**
 * Handles one submit: for a watched form, `identify` with its email/phone and
 * marked traits (traits only, never a userId), then `track('Form Submitted', { formId })`.
 * Never cancels or delays the submit.
 */
export function captureSubmit(api: Pick<PluginApi, 'identify' | 'track'>, target: unknown, auto?: boolean): void {
  if (!isForm(target) || target.getAttribute('data-threadline-ignore') !== null) return;
  if (target.getAttribute('data-threadline-form') === null && !(auto && hasContactField(target))) return;
  const traits = readForm(target);
  if (Object.keys(traits).length) api.identify(traits);
  api.track('Form Submitted', { formId: formIdOf(target) });
}

/**
 * The form capture plugin (SPEC §6): identifies visitors from forms the site
 * marks with `data-threadline-form` (and, with `auto`, any form with an email
 * or tel field). One delegated capture-phase listener on `document`, so forms
 * added later are covered and values are read before the site's own handler
 * can clear the form.
 * @example
 * createClient({ writeKey, host, plugins: [formCapture({ auto: true })] });
 */
export function formCapture(options: FormCaptureOptions = {}): Plugin {
  return (api) => {
    const root = options.root ?? (globalThis as { document?: SubmitSource }).document;
    root?.addEventListener(
      'submit',
      guard(api.log, (e) => captureSubmit(api, e.target, options.auto)),
      true,
    );
  };
}
