// The script-tag entry (SPEC §9): the only module with a side effect.
import { createClient } from './client.js';
import { installGlobal, type ScriptOptions } from './global.js';
import { popups } from './plugins/popups/index.js';

// `init({ popups: true })` adds the plugin; the npm core never imports it (apps add it themselves).
const withFeatures = (options: ScriptOptions): ScriptOptions =>
  options?.popups ? { ...options, plugins: [...(options.plugins ?? []), popups(options.popups === true ? {} : options.popups)] } : options;

try {
  installGlobal(window as never, (options, deps) => createClient(withFeatures(options), deps));
} catch {
  // Never break the host page, even if `window.threadline` is something unexpected.
}
