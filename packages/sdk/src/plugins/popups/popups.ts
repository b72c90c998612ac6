import { POPUP_EVENTS, type PopupRule } from '@threadline/protocol';
import type { UseStore } from 'idb-keyval';
import type { Plugin } from '../../types.js';
import { guard } from '../../util/guard.js';
import { chooseRule, type Occurrence } from './choose-rule.js';
import {
  countInSession,
  identifiedBefore,
  loadCounters,
  popupsStore,
  readSession,
  rememberIdentified,
  saveCounter,
  type SessionLike,
} from './counters-store.js';
import { openDialog } from './dialog.js';
import { fetchRules, type GetJson } from './fetch-rules.js';
import { countOutcome, type Counters, type Outcome } from './frequency.js';
import { watchPage } from './watch-page.js';

/** Where the plugin reaches outside itself; each defaults lazily to the browser's. For tests and unusual hosts. */
export interface PopupsOptions {
  /** IndexedDB store for the frequency-cap counters (default: the SDK's `threadline-v1`). */
  store?: UseStore;
  fetch?: GetJson;
  now?: () => number;
  sessionStorage?: SessionLike;
  window?: Window;
}

/**
 * The popups plugin (SPEC §6): once the visitor is loaded it fetches the rules
 * that apply to them, watches the page for their triggers, and shows at most
 * one popup at a time, the highest priority, within each rule's caps. Views,
 * dismissals and conversions are tracked; a capture form identifies.
 * @example createClient({ writeKey, host, plugins: [popups()] });
 */
export function popups(options: PopupsOptions = {}): Plugin {
  return (api) => {
    const win = options.window ?? window;
    const now = options.now ?? Date.now;
    const store = options.store ?? popupsStore();
    const session = () => {
      try {
        return options.sessionStorage ?? win.sessionStorage;
      } catch {
        return undefined; // reading sessionStorage throws where storage is blocked
      }
    };
    let rules: PopupRule[] | undefined;
    let counters: Counters = {};
    let identified = false;
    let showing = false;
    let shownOnPage = new Set<string>();
    let stopWatching = () => {};
    const early: Occurrence[] = [];

    const consider = guard(api.log, (o: Occurrence) => {
      if (!rules) return void (o.type === 'event' && early.push(o));
      identified ||= identifiedBefore(session(), api.anonymousId());
      const visit = { page: win.location, identified, shownOnPage, counters, session: readSession(session()), now: now() };
      const rule = showing ? undefined : chooseRule(rules, o, visit);
      if (rule) show(rule);
    });

    // A page view: the first on load, then each SPA page(); time on page counts from `startedAt` s ago.
    function startPage(startedAt: number) {
      stopWatching();
      shownOnPage = new Set();
      const seconds = rules!.flatMap((r) => (r.trigger?.type === 'timeOnPage' ? [r.trigger.seconds] : []));
      stopWatching = watchPage(win, seconds, startedAt, consider);
      consider({ type: 'pageView' });
    }

    function show(rule: PopupRule) {
      showing = true;
      shownOnPage.add(rule.id);
      const props = { popupId: rule.id, popupName: rule.name };
      const count = (outcome: Outcome) => {
        const at = now();
        counters[rule.id] = countOutcome(counters[rule.id], outcome, at);
        saveCounter(store, rule.id, (c) => countOutcome(c, outcome, at)).then((c) => void (counters[rule.id] = c), api.log);
      };
      count('shown');
      countInSession(session(), rule.id);
      api.track(POPUP_EVENTS.viewed, props);
      openDialog(win.document, rule, {
        dismiss: () => (count('dismissed'), api.track(POPUP_EVENTS.dismissed, props)),
        convert: () => (count('converted'), api.track(POPUP_EVENTS.converted, props)),
        // The traits form: an email or a phone is never sent as a userId (SPEC §8).
        capture: (field, value) => (api.identify({ [field]: value }), count('converted'), api.track(POPUP_EVENTS.converted, props)),
        closed: () => void (showing = false),
      });
    }

    api.onCall((type, name, properties) => {
      if (type === 'identify') {
        if (!(name || properties?.email || properties?.phone)) return; // traits alone identify nobody
        identified = true;
        rememberIdentified(session(), api.anonymousId());
      } else if (type === 'track' && name) consider({ type: 'event', event: name });
      else if (type === 'page' && rules) guard(api.log, startPage)(0);
    });

    api
      .ready()
      .then(() => Promise.all([fetchRules(api.host, api.writeKey, api.anonymousId(), options.fetch), loadCounters(store)]))
      .then(([fetched, stored]) => {
        rules = fetched;
        counters = stored;
        if (rules.length) startPage(win.performance.now() / 1000);
        early.splice(0).forEach(consider);
      })
      .catch(api.log);
  };
}
