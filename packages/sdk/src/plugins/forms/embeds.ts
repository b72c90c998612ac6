import { guard } from '../../util/guard.js';
import { mountForm, type EmbedApi } from './mount-form.js';

/**
 * Mounts every `<div data-threadline-embed="email|phone">` under `root` that is
 * not mounted yet, with its texts from `data-label`, `data-placeholder`,
 * `data-submit`, `data-consent`, `data-success`, `data-invalid` and `data-form-id`.
 * Answers how many it mounted.
 * @example mountEmbeds(tl, document);
 */
export function mountEmbeds(api: EmbedApi, root: ParentNode = document): number {
  let count = 0;
  root.querySelectorAll<HTMLElement>('[data-threadline-embed]').forEach(
    guard(api.log ?? (() => {}), (el: HTMLElement) => {
      const field = el.getAttribute('data-threadline-embed');
      // Mounted once, even when init runs twice or the page calls this again after adding embeds.
      if (el.hasAttribute('data-threadline-mounted')) return;
      if (field !== 'email' && field !== 'phone') return api.log?.(`data-threadline-embed="${field}": expected email or phone`);
      const d = el.dataset;
      mountForm(api, el, {
        field,
        label: d.label,
        placeholder: d.placeholder,
        submitLabel: d.submit,
        consentText: d.consent,
        successText: d.success,
        invalidText: d.invalid,
        formId: d.formId,
      });
      el.setAttribute('data-threadline-mounted', '');
      count++;
    }),
  );
  return count;
}
