// Compiled strictly by scripts/pack-check.mjs against the packed @threadline/sdk/web-push.
import { createClient } from '@threadline/sdk';
import { type WebPush, type WebPushOptions, webPush } from '@threadline/sdk/web-push';

const options: WebPushOptions = { vapidPublicKey: 'BPk…', serviceWorker: '/sw.js' };
const push: WebPush = webPush(options);
const client = createClient({ writeKey: 'wk_pack_check', host: 'https://collect.example.com', plugins: [push] });
const subscribed: Promise<boolean> = push.subscribe();

// @ts-expect-error the service worker is a URL string
webPush({ vapidPublicKey: 'BPk…', serviceWorker: 42 });

export { client, subscribed };
