// The script-tag entry (SPEC §9): the only module with a side effect.
import { createClient } from './client.js';
import { installGlobal } from './global.js';
import { withForms } from './plugins/forms/script-tag.js';

try {
  // init({ forms }) adds the forms plugin here, so the npm core never imports it.
  installGlobal(window as never, (options, deps) => createClient(withForms(options), deps));
} catch {
  // Never break the host page, even if `window.threadline` is something unexpected.
}
