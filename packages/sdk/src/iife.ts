// The script-tag entry (SPEC §9): the only module with a side effect.
import { installGlobal } from './global.js';

try {
  installGlobal(window as never);
} catch {
  // Never break the host page, even if `window.threadline` is something unexpected.
}
