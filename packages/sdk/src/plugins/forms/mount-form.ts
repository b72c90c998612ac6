import type { PluginApi } from '../../types.js';
import { renderCaptureForm, type CaptureFormTexts } from '../../ui/capture-form.js';

/** What an embed needs: `createClient()`'s client, the script-tag global, or a `PluginApi`. */
export type EmbedApi = Pick<PluginApi, 'identify' | 'track'> & { log?: PluginApi['log'] };

export interface FormEmbedOptions extends CaptureFormTexts {
  successText?: string;
  /** The `formId` of its `Form Submitted` event (default `embed-email` / `embed-phone`). */
  formId?: string;
}

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
  target.textContent = '';
  // Plain DOM in the page, so the site styles it through `.threadline-embed`.
  return renderCaptureForm(
    target,
    { ...options, id: `threadline-embed-${++mounted}`, className: 'threadline-embed', log: api.log },
    (value, field) => {
      api.identify({ [field]: value });
      api.track('Form Submitted', { formId: options.formId || `embed-${field}` });
      return options.successText || 'Thanks, you are subscribed.';
    },
  );
}
