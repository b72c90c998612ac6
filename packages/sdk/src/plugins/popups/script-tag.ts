import type { ClientOptions } from '../../types.js';
import { popups, type PopupsOptions } from './popups.js';

/** The script tag's `init` option: `popups: true` (or the plugin's options) turns popups on (SPEC §6). */
export interface PopupsInit {
  popups?: boolean | PopupsOptions;
}

/**
 * The client options with the popups plugin added when `init({ popups })` asks for it.
 * @example createClient(withPopups({ writeKey, host, popups: true }));
 */
export function withPopups<O extends ClientOptions & PopupsInit>(options: O): O {
  const wanted = options?.popups;
  if (!wanted) return options;
  return { ...options, plugins: [...(options.plugins ?? []), popups(wanted === true ? {} : wanted)] };
}
