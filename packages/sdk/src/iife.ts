// The script-tag entry (SPEC §9): the only module with a side effect.
import { createClient } from './client.js';
import { installGlobal } from './global.js';
import { withForms } from './plugins/forms/script-tag.js';
import { withPopups } from './plugins/popups/script-tag.js';

try {
  // init({ forms, popups }) adds those plugins here, so the npm core never imports them.
  installGlobal(window as never, (options, deps) => createClient(withPopups(withForms(options)), deps));
} catch {
  // Never break the host page, even if `window.threadline` is something unexpected.
}
