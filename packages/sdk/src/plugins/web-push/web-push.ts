import type { Plugin, PluginApi } from '../../types.js';
import { applicationServerKey } from './vapid-key.js';

/** The part of a browser PushSubscription the plugin uses; an injected `subscribe` answers one. */
export interface PushSubscriptionLike {
  endpoint: string;
  toJSON(): unknown;
  unsubscribe(): Promise<boolean>;
}

export interface WebPushOptions {
  /** The VAPID public key (base64url) your push sender signs with. */
  vapidPublicKey: string;
  /** URL of the site's service worker script, which shows the notifications (e.g. `/sw.js`). */
  serviceWorker: string;
  /** Subscribes a registration (default: its PushManager). For tests and browsers without a reachable push service. */
  subscribe?: (registration: ServiceWorkerRegistration, options: PushSubscriptionOptionsInit) => Promise<PushSubscriptionLike>;
}

/** The plugin, with `subscribe()` for the site to call once the visitor allowed notifications. */
export interface WebPush extends Plugin {
  /** Subscribes through PushManager (if permission is granted) and registers the subscription; true when the collector took it. */
  subscribe(): Promise<boolean>;
}

/**
 * Web push (SPEC §9, issue 9): once the site has asked for permission and it
 * was granted, subscribes through the browser's PushManager and registers the
 * subscription as a `web` device of this visitor. The plugin never asks for
 * permission itself (browsers penalise prompts that are not a click's
 * answer). On load, a visitor who already allowed notifications is registered
 * again, so the subscription follows the anonymous ID. `reset()` disables the
 * registered subscription (`DELETE /v1/devices/:token`) and unsubscribes it,
 * so the next person in this browser gets their own.
 * @example
 * const push = webPush({ vapidPublicKey: 'BEl6…', serviceWorker: '/sw.js' });
 * const tl = createClient({ writeKey, host, plugins: [push] });
 * button.onclick = async () => (await Notification.requestPermission()) === 'granted' && push.subscribe();
 */
export function webPush(options: WebPushOptions): WebPush {
  let api: PluginApi | undefined;
  let registered: PushSubscriptionLike | undefined;

  async function subscribe(): Promise<boolean> {
    if (!api || globalThis.Notification?.permission !== 'granted') return false;
    await api.ready(); // consent granted and the visitor loaded: until then nothing is sent (SPEC §7)
    const workers = navigator.serviceWorker;
    await workers.register(options.serviceWorker);
    const registration = await workers.ready;
    const subscription =
      (await registration.pushManager.getSubscription()) ??
      (await (options.subscribe ?? ((r, o) => r.pushManager.subscribe(o)))(registration, {
        userVisibleOnly: true, // Chrome refuses silent push
        applicationServerKey: applicationServerKey(options.vapidPublicKey) as BufferSource,
      }));
    registered = subscription;
    return api.registerDevice(subscription.endpoint, 'web', subscription.toJSON());
  }

  function disable(a: PluginApi, subscription: PushSubscriptionLike) {
    registered = undefined;
    // The write key as HTTP Basic user (SPEC §9): a DELETE has no body to carry it.
    fetch(`${a.host}/v1/devices/${encodeURIComponent(subscription.endpoint)}`, {
      method: 'DELETE',
      headers: { Authorization: `Basic ${btoa(`${a.writeKey}:`)}` },
      keepalive: true,
    }).catch(a.log);
    subscription.unsubscribe().catch(a.log);
  }

  const plugin = ((a: PluginApi) => {
    api = a;
    a.onCall((type) => type === 'reset' && registered && disable(a, registered));
    subscribe().catch(a.log);
  }) as WebPush;
  plugin.subscribe = () => subscribe().catch((e) => (api?.log(e), false));
  return plugin;
}
