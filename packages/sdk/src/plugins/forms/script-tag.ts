import type { ClientOptions, Plugin } from '../../types.js';
import { guard } from '../../util/guard.js';
import { mountEmbeds } from './embeds.js';
import { formCapture, type FormCaptureOptions } from './form-capture.js';

/** The script tag's `init` option: `forms: true` for marked forms and embeds, `{ auto: true }` for any form with an email or tel field. */
export interface FormsInit {
  forms?: boolean | FormCaptureOptions;
}

/**
 * The client options with the forms plugin added when `init({ forms })` asks
 * for it: capture, and the declarative embeds mounted once the page is parsed
 * (the snippet's `init` runs in `<head>`, before they exist).
 * @example createClient(withForms({ writeKey, host, forms: { auto: true } }));
 */
export function withForms<O extends ClientOptions & FormsInit>(options: O): O {
  const forms = options?.forms;
  if (!forms) return options;
  const plugin: Plugin = (api) => {
    formCapture(forms === true ? {} : forms)(api);
    const mount = guard(api.log, () => mountEmbeds(api, document));
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
    else mount();
  };
  return { ...options, plugins: [...(options.plugins ?? []), plugin] };
}
